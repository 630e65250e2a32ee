/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // The emulator apply takes minutes; it has its own command (`npm run test:apply`, jest.apply.config.js).
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/apply\\.test\\.ts$'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }],
  },
  // Real-Terraform suites take a few seconds per example; keep the default timeout honest.
  testTimeout: 120000,
  maxWorkers: 2,
};
