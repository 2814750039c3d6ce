// Lint (`npx eslint .`, run by `npm test`): ESLint's and typescript-eslint's recommended rules.
// Not type-aware on purpose: the type-checked rule sets need a full TypeScript program, which
// doubles the run on a 2-core till build machine, and tsc (also in `npm test`) checks types.
// Formatting is Prettier's job (.prettierrc.json); no stylistic rules here.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    // Build output and generated files, as in .prettierignore; node_modules is always ignored.
    ignores: ['dist/', 'models/build/', 'coverage/', 'test-results/', '.bench/', '.data/', '.scratch/'],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // `_`-prefixed names are deliberately unused: destructuring a field away, a required
      // callback parameter.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true },
      ],
    },
  },
  {
    // Tests read JSON answers from the real processes (HTTP, RPC, CLI stdout) and check them with
    // expect(); typing each answer would restate the contract the test is there to check, and a
    // wrong field fails the assertion anyway. Product code gets no `any` (the rule stays on there).
    files: ['**/*.test.ts', '**/*.test.tsx', 'test/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // The renderer runs in Chromium (Electron or the web host's browser), not Node.
    files: ['app/renderer/**', 'app/preload/**'],
    languageOptions: { globals: { ...globals.browser } },
  },
);
