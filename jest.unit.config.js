// `npm run test:unit`: the unit tier, its files in one group per core, at most four, each group one
// jest module registry (test/unit-tier/members.cjs).
const { existsSync } = require('node:fs');
const { availableParallelism } = require('node:os');
const { join, relative } = require('node:path');
const base = require('./jest.config.js');
const { groups, tierSplit } = require('./test/unit-tier/members.cjs');

const split = tierSplit();
const groupFiles = groups(availableParallelism(), split).map((files) => files.map((file) => relative(__dirname, file)));
const groupTests = groupFiles.map((_, i) => join(__dirname, 'test', 'unit-tier', `group-${i + 1}.unit.js`));
for (const file of groupTests) if (!existsSync(file)) throw new Error(`${relative(__dirname, file)} is missing: its files would not run`);

// Exact paths, not globs: a `*` or `[` in a file's name matches no other file.
const exactly = (file) => `^${file.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')}$`;

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  testMatch: undefined,
  testRegex: [...groupTests, ...split.alone].map(exactly),
  // Each group's files, made once here for every worker.
  globals: { unitTierGroups: groupFiles },
  dependencyExtractor: '<rootDir>/test/unit-tier/members.cjs',
};
