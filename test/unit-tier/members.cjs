// The unit tier (`npm run test:unit`, jest.unit.config.js) runs its test files in a few groups, one
// jest module registry each. jest gives every test file a registry of its own, so each file loaded
// what it imports again (the app: about 0.25 s of CPU) and ran its first synth cold. A group loads
// it once. The files of a group share one global object and one instance of each module (its top
// level runs once): `npm test` still runs every file alone, so a test that passes only because
// another file of its group ran first, or changed a global, still fails there.
'use strict';
const { existsSync, readdirSync, readFileSync, statSync } = require('node:fs');
const { dirname, join, relative, resolve } = require('node:path');

const root = join(__dirname, '..', '..');

/** How many group files there are (group-1.unit.js ...): the most groups a run has, whatever its cores. */
const GROUP_FILES = 4;

/**
 * What a grouped file may reach through `jest`: mock functions, spies (undone before each test:
 * `restoreMocks` in jest.config.js), a module as it is, and the types. Anything else (module mocks,
 * registry resets, fake timers, timeouts, retries, resets of every mock) reaches the group's other
 * files too.
 */
const SHAREABLE_JEST = /\bjest\s*\.\s*(?:(?:fn|spyOn|requireActual|mocked|isMockFunction)\s*(?:<[^()]*>)?\s*\(|restoreAllMocks\b|[A-Z]\w*)/g;

/**
 * What else a grouped file may not do, each for its reason: focus skips the group's other files,
 * `expect.extend` adds matchers for all of them, a snapshot is stored per test file, and a module
 * loaded by a computed name, or code run by `eval`, cannot be read for any of this.
 */
const UNSHAREABLE = {
  focus: /\bf(?:it|describe)\s*[(.[]|\b(?:test|it|describe)(?:\s*(?:\.\s*\w+|\[\s*['"`]\w+['"`]\s*\]))*\s*(?:\.\s*|\[\s*['"`])only\b/,
  expectExtend: /\bexpect\s*(?:\.\s*|\[\s*['"`])extend\b/,
  snapshot: /Snapshot/,
  computedLoad: /\b(?:require|import)\s*\(\s*(?!['"]|`[^`$]*`)|\beval\s*\(/,
};

function testFilesIn(folder) {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return testFilesIn(path);
    return entry.name.endsWith('.test.ts') && !entry.name.endsWith('.slow.test.ts') ? [path] : [];
  });
}

/** The unit tier's test files: main.test.ts, and those of test/lib and test/app but their *.slow.test.ts. */
function unitTierFiles() {
  return [join(root, 'main.test.ts'), ...testFilesIn(join(root, 'test', 'lib')), ...testFilesIn(join(root, 'test', 'app'))].sort();
}

/** Whether a test file with this source needs a registry and a snapshot file of its own. */
function needsOwnFile(source) {
  const code = source.replace(/^\s*\/\/.*$/gm, ''); // a comment may say "jest"
  return Object.values(UNSHAREABLE).some((pattern) => pattern.test(code)) || /\bjest\b/.test(code.replace(SHAREABLE_JEST, ''));
}

const RELATIVE_IMPORT = /(?:\bfrom|\bimport|\brequire\()\s*\(?\s*(['"`])(\.\.?(?:\/[^'"`$]*)?)\1/g;

/** The file, and the modules under `within` it imports, at any depth (helpers can mock too). */
function sourcesOf(file, within, seen = new Set()) {
  if (seen.has(file)) return seen;
  seen.add(file);
  for (const [, , specifier] of readFileSync(file, 'utf8').matchAll(RELATIVE_IMPORT)) {
    const base = resolve(dirname(file), specifier);
    const found = ['', '.ts', '.js', '.cjs', '.mjs', '/index.ts', '/index.js'].map((ext) => base + ext).find((path) => existsSync(path) && statSync(path).isFile());
    if (found !== undefined && !relative(within, found).startsWith('..')) sourcesOf(found, within, seen);
  }
  return seen;
}

/** Whether a test file, or a module of test/ it imports, needs what a group cannot share. */
function runsAlone(file) {
  return [...sourcesOf(file, join(root, 'test'))].some((source) => needsOwnFile(readFileSync(source, 'utf8')));
}

/** The unit tier's files, as the groups take them and as they run alone. */
function tierSplit() {
  const files = unitTierFiles();
  const alone = files.filter((file) => runsAlone(file));
  return { grouped: files.filter((file) => !alone.includes(file)), alone };
}

/** The groups' files, as many groups as `count` allows: each file to the lightest group so far, largest file first (size stands for time). */
function groups(count, { grouped } = tierSplit()) {
  const bins = Array.from({ length: Math.max(1, Math.min(count, GROUP_FILES, grouped.length)) }, () => ({ bytes: 0, files: [] }));
  const bySize = grouped.map((file) => ({ file, bytes: statSync(file).size })).sort((a, b) => b.bytes - a.bytes || (a.file < b.file ? -1 : 1));
  for (const { file, bytes } of bySize) {
    const lightest = bins.reduce((a, b) => (b.bytes < a.bytes ? b : a));
    lightest.bytes += bytes;
    lightest.files.push(file);
  }
  return bins.map((bin) => bin.files.sort());
}

/** How many snapshots this test file's tests have taken so far. */
function snapshotsTaken() {
  const { snapshotState } = expect.getState();
  return snapshotState ? snapshotState.added + snapshotState.matched + snapshotState.unmatched + snapshotState.updated : 0;
}

/** Makes process.env hold exactly `values`. */
function setEnv(values) {
  for (const key of Object.keys(process.env)) if (!Object.hasOwn(values, key)) delete process.env[key];
  Object.assign(process.env, values);
}

const DEFINES_TESTS = /\b(?:test|it|fit|xit|xtest)\s*(?:\.\s*\w+\s*)*\(/;

/**
 * While `file` loads, focus and `expect.extend` throw, whatever name they were reached by: in a
 * group, focus would skip the other files' tests and a matcher would be theirs too. (Written
 * plainly, they send the file alone; see UNSHAREABLE.)
 */
function refusingShared(name, load) {
  const refuse = (what) => () => { throw new Error(`${name} calls ${what} in a group of the unit tier, where it reaches the group's other files: run it with \`npx jest ${name}\``); };
  const swaps = [
    [globalThis, 'fit', 'fit'], [globalThis, 'fdescribe', 'fdescribe'], [expect, 'extend', 'expect.extend'],
    ...[test, it, describe, test.concurrent, test.failing].filter(Boolean).map((target) => [target, 'only', '.only']),
  ].filter(([target, key]) => target[key] !== undefined).map(([target, key, what]) => ({ target, key, original: target[key], refusal: refuse(what) }));
  for (const swap of swaps) swap.target[swap.key] = swap.refusal;
  try {
    load();
  } finally {
    for (const swap of swaps) swap.target[swap.key] = swap.original;
  }
}

/**
 * Registers the tests of one group, each file's under a describe named by its path (so that its
 * hooks stay its own). `groupFiles` is the config's list of each group's files, made once for the
 * run (a file that grows during the run must not move to another group); the group's number is in
 * its file's name.
 *
 * What jest gives each test file of its own, each file of a group gets too, or its failure: its
 * process.env (as its loading left it, from the group's start) and its `expect.getState().testPath`,
 * a failure of its own when it does not load or has no test, and one when it took a snapshot
 * (stored under the group's name, not the file's). Spies are undone before its first hook and
 * before each test (`restoreMocks`). What it cannot have: a global object and module states of its
 * own (a module's top level runs once for the group).
 */
function defineGroup(groupFile, groupFiles) {
  const number = Number(/group-(\d+)\.unit\.js$/.exec(groupFile)[1]);
  const startEnv = { ...process.env };
  const groupPath = expect.getState().testPath;
  for (const name of groupFiles[number - 1] ?? []) {
    const file = resolve(root, name);
    const path = relative(root, file);
    describe(path, () => {
      let snapshots = 0;
      // The env the file's loading leaves is its own: kept here, and put back for its hooks and tests.
      let fileEnv = startEnv;
      beforeAll(() => {
        // Before the file's own hooks: no spy made while another file loaded or ended reaches them.
        jest.restoreAllMocks();
        snapshots = snapshotsTaken();
        setEnv(fileEnv);
        expect.setState({ testPath: file });
      });
      try {
        refusingShared(path, () => require(file));
      } catch (error) {
        // Where jest would say the file failed to run; the group's other files still run.
        test('the file loads', () => { throw error; });
      }
      fileEnv = { ...process.env };
      setEnv(startEnv); // the next file loads from the group's start
      // (A describe with hooks and no test is an error that would name this module, not the file.)
      if (![...sourcesOf(file, join(root, 'test'))].some((source) => DEFINES_TESTS.test(readFileSync(source, 'utf8')))) {
        test('the file has a test', () => { throw new Error('Your test suite must contain at least one test.'); });
      }
      afterAll(() => {
        setEnv(startEnv);
        expect.setState({ testPath: groupPath });
        if (snapshotsTaken() > snapshots) throw new Error(`${path} took a snapshot in a group, where it is stored under the group's name: make the module that takes it match UNSHAREABLE in test/unit-tier/members.cjs, and delete test/unit-tier/__snapshots__/`);
      });
    });
  }
}

/**
 * jest's `dependencyExtractor` for the unit tier (this module is it): jest finds the tests to run
 * for a changed file (`-o`, `--watch`, `--findRelatedTests`) through what each test file imports,
 * and a group requires its files by a computed path. So a group file depends on every file a group
 * can hold.
 */
function extract(code, filePath, defaultExtract) {
  const found = defaultExtract(code, filePath);
  return /group-\d+\.unit\.js$/.test(filePath) ? new Set([...found, ...tierSplit().grouped]) : found;
}

/** jest keeps each file's dependencies until this changes: a new test file is a new dependency. */
const getCacheKey = () => tierSplit().grouped.join('\n');

module.exports = { GROUP_FILES, unitTierFiles, needsOwnFile, sourcesOf, runsAlone, tierSplit, groups, defineGroup, extract, getCacheKey };
