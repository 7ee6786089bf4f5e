// The unit tier's groups (members.cjs, jest.unit.config.js): every unit test file runs in
// `npm run test:unit`, once, alone or in exactly one group.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';

const root = join(__dirname, '..', '..');
const members = require('./members.cjs') as {
  GROUP_FILES: number;
  unitTierFiles(): string[];
  needsOwnFile(source: string): boolean;
  sourcesOf(file: string, within: string): Set<string>;
  runsAlone(file: string): boolean;
  tierSplit(): { grouped: string[]; alone: string[] };
  extract(code: string, file: string, fallback: (code: string, file: string) => Iterable<string>): Iterable<string>;
  getCacheKey(): string;
  groups(count: number): string[][];
};
const { GROUP_FILES, extract, getCacheKey, groups, needsOwnFile, runsAlone, sourcesOf, tierSplit, unitTierFiles } = members;
const rel = (files: string[]) => files.map((file) => relative(root, file));

test('the unit tier is main.test.ts and the test files of test/lib and test/app, but their *.slow.test.ts', () => {
  const files = rel(unitTierFiles());
  expect(files).toContain('main.test.ts');
  expect(files).toContain('test/lib/rules/cron.test.ts');
  expect(files).toContain('test/app/validate/validate.test.ts');
  expect(files.filter((file) => file.endsWith('.slow.test.ts'))).toEqual([]);
  expect(files.filter((file) => !(file === 'main.test.ts' || /^test\/(lib|app)\/.*\.test\.ts$/.test(file)))).toEqual([]);
});

test.each([1, 2, 3, GROUP_FILES, GROUP_FILES + 4])('%i workers: each file is in one group or runs alone, and no group is empty', (workers) => {
  const all = unitTierFiles();
  const grouped = groups(workers);
  expect(grouped).toHaveLength(Math.min(workers, GROUP_FILES));
  for (const group of grouped) expect(group.length).toBeGreaterThan(0);
  const alone = all.filter((file) => runsAlone(file));
  expect([...grouped.flat(), ...alone].sort()).toEqual(all);
  expect(new Set(grouped.flat()).size).toBe(grouped.flat().length);
  expect(alone.length).toBeLessThan(all.length / 4);
});

test('a file that reaches jest beyond mock functions and spies, focuses, extends expect or snapshots runs alone, however it is written', () => {
  for (const source of [
    "jest.mock('node:fs', () => ({}));",
    "jest['mock']('node:fs');",
    "jest . mock ('node:fs');",
    "jest?.mock('node:fs');",
    "jest\n  .mock('node:fs');",
    "jest.doMock('x', () => ({}));",
    "jest.setMock('x', {});",
    'const j = jest; j.mock("x");',
    'jest.resetModules();',
    'afterEach(jest.resetAllMocks);',
    'jest.useFakeTimers();',
    'jest.setTimeout(10_000);',
    'jest.retryTimes(2);',
    "jest.isolateModules(() => { jest.doMock('x', () => ({})); });",
    "test.only('x', () => {});",
    "test.only ('x', () => {});",
    "test['only']('x', () => {});",
    "test.only.each([1])('x %i', () => {});",
    "describe.only('x', () => {});",
    "fit('x', () => {});",
    "fdescribe('x', () => {});",
    'expect.extend({ toBeX() { return { pass: true, message: () => "" }; } });',
    "expect['extend']({});",
    "const mod = require(join(__dirname, 'helpers'));",
    'const mod = await import(name);',
    "eval('je' + 'st').mock('x');",
    'expect(out).toMatchSnapshot();',
    'expect(out).toMatchInlineSnapshot(`x`);',
    'expect(f).toThrowErrorMatchingSnapshot();',
  ]) expect([source, needsOwnFile(source)]).toEqual([source, true]);
  for (const source of [
    'const f = jest.fn(() => 1);',
    "const spy = jest.spyOn(fs, 'renameSync');",
    "const actual = jest.requireActual('x');",
    'afterEach(() => jest.restoreAllMocks());',
    'afterEach(jest.restoreAllMocks);',
    'let spy: jest.SpiedFunction<typeof fs.renameSync>;',
    'const f = jest.fn<number, []>(() => 1);',
    'expect(jest.mocked(f)).toHaveBeenCalled();',
    "const fs: typeof import('node:fs') = require('node:fs');",
    "const { x } = require(`./helpers`);",
    '  // jest cannot stop a synchronous test',
    "test('only the first', () => {});",
    "test('CRNs fit the patterns', () => {});",
    'expect([...only.keys()]).toEqual([]);',
    'expect(x).toMatchObject({});',
  ]) expect([source, needsOwnFile(source)]).toEqual([source, false]);
  expect(rel(unitTierFiles().filter((file) => runsAlone(file)))).toEqual(expect.arrayContaining(['main.test.ts', 'test/app/output/output-lock.test.ts', 'test/app/cli/cli.test.ts', 'test/lib/rules/cel/parsed-expr.test.ts']));
});

test('the modules of test/ a test file imports, at any depth, are read too: a helper can mock or snapshot', () => {
  const dir = mkdtempSync(join(tmpdir(), 'unit-tier-'));
  const within = join(dir, 'test');
  const write = (path: string, text: string) => { mkdirSync(dirname(join(dir, path)), { recursive: true }); writeFileSync(join(dir, path), text); return join(dir, path); };
  try {
    const file = write('test/app/a.test.ts', "import { fixture } from '../helpers';\nimport { synth } from '../../app/synth';\nconst more = require(`./more.cjs`);\n");
    const helpers = write('test/helpers.ts', "export * from './deeper';\nimport '../app/synth';\n");
    const deeper = write('test/deeper/index.ts', "import { fixture } from '../helpers';\nimport { up } from '..';\njest.mock('node:fs');\n");
    const index = write('test/index.js', '');
    const more = write('test/app/more.cjs', '');
    write('app/synth.ts', "jest.mock('node:fs');\n");
    expect([...sourcesOf(file, within)].sort()).toEqual([deeper, file, helpers, index, more].sort());
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** Runs jest on a group of these files (name -> source) in a new folder: its exit status and output. */
function runGroup(files: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), 'unit-tier-'));
  try {
    for (const [name, source] of Object.entries(files)) writeFileSync(join(dir, name), source);
    const members = Object.keys(files).map((name) => join(dir, name));
    writeFileSync(join(dir, 'group-1.unit.js'), `require(${JSON.stringify(join(__dirname, 'members.cjs'))}).defineGroup(__filename, ${JSON.stringify([members])});\n`);
    // The project's settings that reach a group's files, and none of its transforms.
    writeFileSync(join(dir, 'jest.config.js'), `module.exports = { restoreMocks: ${JSON.stringify(require('../../jest.config.js').restoreMocks)}, testMatch: ['**/group-1.unit.js'], transform: {} };\n`);
    // Not --ci: a new snapshot is written, as on a developer's machine.
    const run = spawnSync(process.execPath, [require.resolve('jest/bin/jest'), '-c', join(dir, 'jest.config.js'), '--ci=false', '--verbose'], { cwd: dir, encoding: 'utf8' });
    return { status: run.status, output: run.stderr, name: (file: string) => relative(root, join(dir, file)) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('a grouped file that takes a snapshot fails its group, named, though no pattern saw it', () => {
  const run = runGroup({
    'plain.test.js': "test('plain', () => { expect(1).toBe(1); });\n",
    'probe.test.js': "test('probe', () => { expect('x')['toMatch' + 'Snapshot'](); });\n",
  });
  expect(run.status).toBe(1);
  expect(run.output).toContain(`${run.name('probe.test.js')} took a snapshot in a group`);
  expect(run.output).not.toContain(`${run.name('plain.test.js')} took a snapshot`);
});

test('a grouped file that does not load fails, named, and the group\'s other files still run', () => {
  const run = runGroup({
    'broken.test.js': "test('registered before the error', () => {});\nrequire('./no-such-module');\n",
    'plain.test.js': "test('plain runs', () => { expect(1).toBe(1); });\n",
  });
  expect(run.status).toBe(1);
  expect(run.output).toMatch(/✕ the file loads/);
  expect(run.output).toContain("Cannot find module './no-such-module'");
  expect(run.output).toMatch(/✓ plain runs/);
  expect(run.output).toMatch(/Tests:\s+1 failed, 2 passed, 3 total/);
});

test('jest finds the groups for a changed source (-o, --watch, --findRelatedTests): each group depends on every grouped file', () => {
  const fallback = () => new Set(['./members.cjs']);
  const { grouped } = tierSplit();
  expect(grouped).toEqual(unitTierFiles().filter((file) => !runsAlone(file)));
  expect([...extract('', join(__dirname, 'group-3.unit.js'), fallback)].sort()).toEqual(['./members.cjs', ...grouped].sort());
  expect([...extract('', join(root, 'test/lib/rules/cron.test.ts'), fallback)]).toEqual(['./members.cjs']);
  expect(getCacheKey()).toBe(grouped.join('\n'));
  const related = spawnSync(process.execPath, [require.resolve('jest/bin/jest'), '-c', 'jest.unit.config.js', '--findRelatedTests', 'lib/rules/cron.ts', '--listTests'], { cwd: root, encoding: 'utf8' });
  expect(rel(related.stdout.trim().split('\n'))).toContain('test/unit-tier/group-1.unit.js');
});

test('jest.unit.config.js runs the groups the machine has cores for, each with its files, and the files that run alone, each by its exact path', () => {
  const config = require('../../jest.unit.config.js') as { testRegex: string[]; globals: { unitTierGroups: string[][] } };
  const groupFiles = config.globals.unitTierGroups;
  expect(groupFiles.length).toBeGreaterThan(0);
  expect(groupFiles.flat().sort()).toEqual(rel(unitTierFiles().filter((file) => !runsAlone(file))));
  const candidates = [...unitTierFiles(), ...Array.from({ length: GROUP_FILES }, (_, i) => join(__dirname, `group-${i + 1}.unit.js`))];
  const matched = config.testRegex.map((pattern) => rel(candidates.filter((file) => new RegExp(pattern).test(file))));
  expect(matched).toEqual([
    ...groupFiles.map((_, i) => [`test/unit-tier/group-${i + 1}.unit.js`]),
    ...rel(unitTierFiles().filter((file) => runsAlone(file))).map((file) => [file]),
  ]);
  for (let i = 1; i <= GROUP_FILES; i++) expect(existsSync(join(__dirname, `group-${i}.unit.js`))).toBe(true);
});

test('each file of a group has its own process.env and testPath, and no spy of one file reaches another file\'s hooks or tests', () => {
  const run = runGroup({
    'c.test.js': "beforeAll(() => { if (Math.abs(-2) !== 2) throw new Error('a spy of d reached c'); });\ntest('c runs', () => {});\n",
    'a.test.js': [
      "process.env.UNIT_TIER_A = 'loaded';",
      "jest.spyOn(Math, 'max').mockReturnValue(-1);",
      "test('a sees its own', () => {",
      "  process.env.UNIT_TIER_B = 'set in a test';",
      "  jest.spyOn(Math, 'min').mockReturnValue(-2);",
      "  expect([process.env.UNIT_TIER_A, Math.min(2, 3), Math.max(2, 3), expect.getState().testPath]).toEqual(['loaded', -2, 3, __filename]);",
      '});',
    ].join('\n'),
    'b.test.js': "test('b sees none of a', () => { expect([process.env.UNIT_TIER_A, process.env.UNIT_TIER_B, Math.max(2, 3), Math.min(2, 3)]).toEqual([undefined, undefined, 3, 2]); });\n",
    // d loads before c's hooks run (every file of a group loads first): its spy must not reach them.
    'd.test.js': "jest.spyOn(Math, 'abs').mockReturnValue(-1);\ntest('d runs', () => {});\n",
  });
  expect(run.output).toMatch(/✓ c runs/);
  expect(run.output).toMatch(/✓ a sees its own/);
  expect(run.output).toMatch(/✓ b sees none of a/);
  expect(run.status).toBe(0);
});

test('focus and expect.extend, however a grouped file reaches them, fail that file, named, and skip nothing', () => {
  const run = runGroup({
    'focus.test.js': "const { only } = test;\nonly('focused', () => {});\n",
    'extend.test.js': "const e = expect;\ne['ext' + 'end']({ toBeX: () => ({ pass: true, message: () => '' }) });\ntest('uses it', () => {});\n",
    'plain.test.js': "test('plain runs', () => {});\n",
  });
  expect(run.status).toBe(1);
  expect(run.output).toContain(`${run.name('focus.test.js')} calls .only in a group`);
  expect(run.output).toContain(`${run.name('extend.test.js')} calls expect.extend in a group`);
  expect(run.output).toMatch(/✓ plain runs/);
  expect(run.output).not.toMatch(/skipped/);
});

test('a grouped file with no test fails, named', () => {
  const run = runGroup({ 'empty.test.js': '// nothing yet\n', 'plain.test.js': "test('plain runs', () => {});\n" });
  expect(run.status).toBe(1);
  expect(run.output).toContain(`${run.name('empty.test.js')} › the file has a test`);
  expect(run.output).toMatch(/✓ plain runs/);
});

test('npm run test:unit registers every test file of the tier once: in one group, under its path, or alone', () => {
  // Collect only (a name no test has): jest's own account of which file each test came from.
  const dir = mkdtempSync(join(tmpdir(), 'unit-tier-'));
  const out = join(dir, 'results.json');
  const run = spawnSync(process.execPath, [require.resolve('jest/bin/jest'), '-c', 'jest.unit.config.js', '-t', 'a name no test has', '--json', `--outputFile=${out}`], { cwd: root, encoding: 'utf8' });
  const report = existsSync(out) ? readFileSync(out, 'utf8') : '';
  rmSync(dir, { recursive: true, force: true });
  expect([run.status, run.status === 0 ? '' : run.stderr]).toEqual([0, '']);
  const results = (JSON.parse(report) as { testResults: { name: string; assertionResults: { ancestorTitles: string[] }[] }[] }).testResults;
  const seen: string[] = [];
  for (const result of results) {
    const file = relative(root, result.name);
    if (file.startsWith('test/unit-tier/')) seen.push(...new Set(result.assertionResults.map((test) => test.ancestorTitles[0])));
    else seen.push(file);
  }
  expect(seen.sort()).toEqual(rel(unitTierFiles()));
  expect(results.flatMap((result) => result.assertionResults).length).toBeGreaterThan(1000);
});
