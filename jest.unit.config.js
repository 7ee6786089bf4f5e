// `npm run test:unit`: the unit tier, its files in one group per core, at most four, each group one
// jest module registry (test/unit-tier/members.cjs).
const { availableParallelism } = require('node:os');
const { relative } = require('node:path');
const base = require('./jest.config.js');
const { groups, runsAlone, unitTierFiles } = require('./test/unit-tier/members.cjs');

const fromRoot = (file) => relative(__dirname, file);
const groupFiles = groups(availableParallelism()).map((files) => files.map(fromRoot));

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  testMatch: [
    ...groupFiles.map((_, i) => `<rootDir>/test/unit-tier/group-${i + 1}.unit.js`),
    ...unitTierFiles().filter((file) => runsAlone(file)).map((file) => `<rootDir>/${fromRoot(file)}`),
  ],
  // Each group's files, made once here for every worker.
  globals: { unitTierGroups: groupFiles },
  dependencyExtractor: '<rootDir>/test/unit-tier/dependencies.cjs',
};
