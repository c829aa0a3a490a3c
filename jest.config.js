// Tests are compiled by tsc into dist/ and run there: no transpiler inside jest.
module.exports = {
  rootDir: 'dist',
  testMatch: ['<rootDir>/test/**/*.test.js'],
  testEnvironment: 'node',
  maxWorkers: 2,
  testTimeout: 60000,
};
