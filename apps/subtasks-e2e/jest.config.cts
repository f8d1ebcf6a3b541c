// End-to-end: both apps run as real processes (their nx build output, as `nx serve` runs it)
// against the real Kafka, Schema Registry and PostgreSQL.
module.exports = {
  displayName: 'subtasks-e2e',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  transform: {
    '^.+\\.[tj]s$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }],
  },
  moduleFileExtensions: ['ts', 'js'],
  testMatch: ['<rootDir>/src/**/*.e2e-spec.ts'],
  testTimeout: 120_000,
};
