// Lint for the whole monorepo: typescript-eslint's recommended rules, type-aware where it is
// cheap (promises in production code), and the import boundaries the architecture rests on.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const SUBGRAPHS = ['analytics', 'cart', 'inventory', 'notifications', 'orders', 'payments', 'products', 'search', 'shipping', 'users'];
// Workspaces that assemble or drive the others: nothing they are built from may depend on them.
const ASSEMBLERS = ['router', 'scripts', 'bench'];

/** `no-restricted-imports` patterns: bare `@shop/<name>` and relative paths into `<name>/`. */
function forbid(names, message) {
  const group = names.join('|');
  return [
    { regex: `^@shop/(${group})(/.*)?$`, message },
    { regex: `^(\\.\\./)+(subgraphs/)?(${group})/`, message },
  ];
}

const subgraphBoundaries = SUBGRAPHS.map((name) => ({
  files: [`subgraphs/${name}/**/*.ts`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          ...forbid(
            SUBGRAPHS.filter((other) => other !== name),
            'A subgraph never imports another subgraph: read through entity references, act through events.',
          ),
          ...forbid([...ASSEMBLERS, 'clients', 'test'], 'A subgraph depends on packages/* only.'),
        ],
      },
    ],
  },
}));

export default tseslint.config(
  {
    ignores: ['**/node_modules/**', '**/dist/**', '**/generated/**', '**/gql/**', 'bench/results/**', 'coverage/**', '.data/**', 'clients/*/public/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      // Unused bindings are errors; a leading underscore marks one kept on purpose (a destructured rest).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-console': 'off',
    },
  },
  { files: ['**/*.{js,mjs}', 'scripts/**/*.ts', 'test/**/*.ts'], languageOptions: { globals: globals.node } },
  { files: ['clients/*/src/**/*.tsx'], languageOptions: { globals: globals.browser } },
  {
    // `Kysely<any>`, Kysely's own idiom where the schema is not this code's to type (migrations
    // run against the schema as it was; the outbox writes into its caller's database), and
    // clients reading untyped GraphQL responses (tests, benchmarks, soak load, the demo seed, the storefront's
    // proxy to the router).
    files: [
      '**/db/migrations/**/*.ts',
      'packages/postgres/src/migrate.ts',
      'packages/events/src/outbox.ts',
      '**/test/**/*.ts',
      'test/**/*.ts',
      'packages/testing/src/**/*.ts',
      'bench/src/**/*.ts',
      'scripts/src/seedDemo.ts',
      'scripts/src/sessionEndpoints.ts',
      'scripts/src/storefront.ts',
      'scripts/src/soak/**/*.ts',
    ],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // Type-aware where it pays and stays cheap: production code's promises (a floating one loses
    // its error, a promise passed where a callback returns void is never awaited).
    files: ['packages/*/src/**/*.ts', 'subgraphs/*/src/**/*.ts', 'router/src/**/*.ts', 'scripts/src/**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false, attributes: false } }],
    },
  },
  ...subgraphBoundaries,
  {
    files: ['packages/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: forbid([...SUBGRAPHS, ...ASSEMBLERS, 'clients'], 'packages/* hold domain-free shared code: they never import subgraphs, the router, scripts or clients.') },
      ],
    },
  },
  {
    files: ['clients/*/src/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: forbid([...SUBGRAPHS, ...ASSEMBLERS, 'packages', 'test'], 'Clients use public packages (by name) and the GraphQL API only.') },
      ],
    },
  },
);
