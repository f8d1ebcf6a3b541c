// Runs Nx itself in a throwaway clone of the repository; each Nx call in a fresh clone takes seconds.
module.exports = {
  displayName: 'affected-check:int',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  transform: {
    '^.+\\.[tj]s$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }],
  },
  moduleFileExtensions: ['ts', 'js'],
  testMatch: ['<rootDir>/src/**/*.int-spec.ts'],
  testTimeout: 180_000,
};
