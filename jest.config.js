// Tests are compiled by tsc into dist/ and run there: no transpiler inside jest.
module.exports = {
  rootDir: 'dist',
  testMatch: ['<rootDir>/test/**/*.test.js'],
  testEnvironment: 'node',
  maxWorkers: 2,
  // Worker threads pass results by structured clone: a failed assertion on bigints is reported, not a serialization crash.
  workerThreads: true,
  testTimeout: 60000,
};
