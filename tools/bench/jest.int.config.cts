// The smoke run: the whole bench end to end against the real stack, with tiny durations; one worker.
module.exports = {
  displayName: 'bench:int',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  transform: {
    '^.+\\.[tj]s$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }],
  },
  moduleFileExtensions: ['ts', 'js'],
  testMatch: ['<rootDir>/src/**/*.int-spec.ts'],
  testTimeout: 600_000,
};
