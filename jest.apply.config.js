/**
 * `npm run test:apply`: apply, re-plan and destroy examples in the AWS emulator (moto).
 * One suite, run serially: the examples share one emulator that is reset between them.
 * @type {import('jest').Config}
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- jest reads its config as CommonJS
const base = require('./jest.config.js');

module.exports = {
  ...base,
  testMatch: ['<rootDir>/test/apply.test.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
  // An apply of the larger examples into moto takes a few minutes.
  testTimeout: 20 * 60 * 1000,
  maxWorkers: 1,
};
