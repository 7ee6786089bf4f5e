// The unit tier (`npm run test:unit`, jest.unit.config.js) runs its test files in a few groups, one
// jest module registry each. jest gives every test file a registry of its own, so each file loaded
// what it imports again (the app: about 0.25 s of CPU) and ran its first synth cold. A group loads
// it once. `npm test` still runs every file alone, so a test that passes only because
// another file ran before it in the same group still fails there.
'use strict';
const { readdirSync, readFileSync, statSync } = require('node:fs');
const { join, relative } = require('node:path');

const root = join(__dirname, '..', '..');

/** How many group files there are (group-1.unit.js ...): the most workers a group run uses. */
const GROUP_FILES = 4;

/**
 * A file that needs a registry or a snapshot file of its own: module mocks and registry resets
 * reach every later file of a group, fake timers and timeouts every later test, `.only` skips the
 * group's other files, and a snapshot is stored per test file.
 */
const NEEDS_OWN_FILE = /\bjest\.(mock|unmock|resetModules|enableAutomock|useFakeTimers|setTimeout|retryTimes)\(|\.only\(|toMatch(Inline)?Snapshot|toThrowErrorMatching(Inline)?Snapshot/;

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
  return NEEDS_OWN_FILE.test(source);
}

function runsAlone(file) {
  return needsOwnFile(readFileSync(file, 'utf8'));
}

/** The groups' files, as many groups as `count` allows: each file to the lightest group so far, largest file first (size stands for time). */
function groups(count) {
  const grouped = unitTierFiles().filter((file) => !runsAlone(file));
  const bins = Array.from({ length: Math.max(1, Math.min(count, GROUP_FILES, grouped.length)) }, () => ({ bytes: 0, files: [] }));
  const bySize = grouped.map((file) => ({ file, bytes: statSync(file).size })).sort((a, b) => b.bytes - a.bytes || (a.file < b.file ? -1 : 1));
  for (const { file, bytes } of bySize) {
    const lightest = bins.reduce((a, b) => (b.bytes < a.bytes ? b : a));
    lightest.bytes += bytes;
    lightest.files.push(file);
  }
  return bins.map((bin) => bin.files.sort());
}

/**
 * Registers the tests of one group, each file's under a describe named by its path (so that its
 * hooks stay its own). The group's number is in its file's name; `count` is the config's.
 */
function defineGroup(groupFile, count) {
  const number = Number(/group-(\d+)\.unit\.js$/.exec(groupFile)[1]);
  for (const file of groups(count)[number - 1] ?? []) describe(relative(root, file), () => { require(file); });
}

module.exports = { GROUP_FILES, unitTierFiles, needsOwnFile, runsAlone, groups, defineGroup };
