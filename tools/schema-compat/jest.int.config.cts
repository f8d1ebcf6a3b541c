/* Integration tests against the real Schema Registry: `nx run schema-compat:int-test`. */
module.exports = {
  displayName: 'schema-compat-int',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  transform: {
    '^.+\\.[tj]s$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }],
  },
  moduleFileExtensions: ['ts', 'js', 'html'],
  testMatch: ['<rootDir>/src/**/*.int-spec.ts'],
  maxWorkers: 1,
  testTimeout: 60000,
  coverageDirectory: '../../coverage/tools/schema-compat-int',
};
