/** One jest run for the whole monorepo: TypeScript via swc, native ESM, real servers from global setup. */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      { jsc: { parser: { syntax: 'typescript' }, target: 'es2022', experimental: { keepImportAttributes: true } }, module: { type: 'es6' }, sourceMaps: 'inline' },
    ],
  },
  moduleNameMapper: {
    '^@shop/router$': '<rootDir>/router/src/index.ts',
    '^@shop/(users|products|inventory|orders|payments|cart|search|shipping|notifications|analytics)$':
      '<rootDir>/subgraphs/$1/src/index.ts',
    '^@shop/client-core$': '<rootDir>/clients/client-core/src/index.ts',
    '^@shop/([a-z-]+)$': '<rootDir>/packages/$1/src/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  testMatch: ['<rootDir>/**/test/**/*.test.ts', '<rootDir>/**/test/**/*.e2e.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  modulePathIgnorePatterns: ['<rootDir>/.*/dist/'],
  globalSetup: '<rootDir>/test/globalSetup.js',
  globalTeardown: '<rootDir>/test/globalTeardown.js',
  testTimeout: 60_000,
  maxWorkers: 2,
};
