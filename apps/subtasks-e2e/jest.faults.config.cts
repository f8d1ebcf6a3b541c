// The fault suite: both apps and the servers as real processes, faults injected under load.
module.exports = {
  displayName: 'subtasks-faults',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  transform: {
    '^.+\\.[tj]s$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }],
  },
  moduleFileExtensions: ['ts', 'js'],
  testMatch: ['<rootDir>/src/faults/**/*.fault-spec.ts'],
  testTimeout: 240_000,
};
