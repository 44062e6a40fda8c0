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
  // A worker keeps growing over the files it runs (module registries and vm contexts), and the
  // grown workers took longer than jest's 500 ms to exit at the end ("A worker process has
  // failed to exit gracefully") although their JavaScript had ended with no handle open. A
  // worker past this size is replaced between files.
  workerIdleMemoryLimit: '1536MB',
};
