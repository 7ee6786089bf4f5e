// `npm run test:unit`: the unit tier, its files in one group per worker (test/unit-tier/members.cjs).
const { availableParallelism } = require('node:os');
const { relative } = require('node:path');
const base = require('./jest.config.js');
const { groups, runsAlone, unitTierFiles } = require('./test/unit-tier/members.cjs');

const count = groups(availableParallelism()).length;

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  testMatch: [
    ...Array.from({ length: count }, (_, i) => `<rootDir>/test/unit-tier/group-${i + 1}.unit.js`),
    ...unitTierFiles().filter(runsAlone).map((file) => `<rootDir>/${relative(__dirname, file)}`),
  ],
  globals: { unitTierGroups: count },
};
