/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  // swc strips types without type-checking; `npm test` runs tsc --noEmit first for that.
  transform: { '^.+\\.ts$': ['@swc/jest'] },
};
