// Integration tests: the real Kafka broker and Schema Registry of the local stack; one worker.
module.exports = {
  displayName: 'messaging:int',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  transform: {
    '^.+\\.[tj]s$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }],
  },
  moduleFileExtensions: ['ts', 'js'],
  testMatch: ['<rootDir>/src/**/*.int-spec.ts'],
  testTimeout: 90_000,
};
