/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  // One worker per core: jest's default leaves one core to its main thread, which only collects
  // results (on 2 cores that halves the speed).
  maxWorkers: '100%',
  globalSetup: '<rootDir>/test/global-setup.mjs',
  // Every spy (jest.spyOn) is undone before each test, so none made in a test, a hook or a file's
  // loading reaches a later test, in a file of its own (npm test) as in a group of the unit tier.
  restoreMocks: true,
  // main.test.ts beside main.ts, as `cdk8s init` lays out an app; the other tests in test/.
  testMatch: ['<rootDir>/main.test.ts', '<rootDir>/test/**/*.test.ts'],
  // swc strips types without type-checking; `npm test` runs tsc --noEmit first for that.
  // kubernetes-models ships ES modules only: swc turns them into CommonJS for jest.
  transform: { '^.+\\.(ts|js|mjs)$': ['@swc/jest'] },
  transformIgnorePatterns: ['/node_modules/(?!(kubernetes-models|@kubernetes-models|is-cidr|cidr-regex)/)'],
  // ...and exports them only under the "import" condition, which jest (CommonJS) does not ask for.
  moduleNameMapper: {
    // The models of every core kind are about a thousand modules: each test file that validates
    // would load them one by one (about 0.1 s). One bundle of them, built by the global setup,
    // loads in a fifth of that; it is the same code the CLI's bundle runs.
    '(^|/)core-models-all$': '<rootDir>/node_modules/.cache/image-registry-synth/app__validate__core-models-all.cjs',
    '^kubernetes-models/(.*/[A-Z][A-Za-z]*)$': '<rootDir>/node_modules/kubernetes-models/$1.js',
    '^kubernetes-models/(.*)$': '<rootDir>/node_modules/kubernetes-models/$1/index.js',
    '^@kubernetes-models/(base|validate)$': '<rootDir>/node_modules/@kubernetes-models/$1/dist/index.js',
    '^@kubernetes-models/validate/runtime/(.*)$': '<rootDir>/node_modules/@kubernetes-models/validate/dist/runtime/$1.js',
    '^@kubernetes-models/apimachinery/_schemas/(.*)$': '<rootDir>/node_modules/@kubernetes-models/apimachinery/_schemas/$1.js',
    '^@kubernetes-models/apimachinery/(.*)$': '<rootDir>/node_modules/@kubernetes-models/apimachinery/$1/index.js',
  },
};
