/**
 * ESLint (flat config): eslint's and typescript-eslint's recommended rules, type-aware (the TypeScript 6 API that
 * typescript-eslint needs is installed as `typescript`; `tsc` is TypeScript 7, from `@typescript/native`), plus rules
 * that catch real bugs: promises nobody awaits, `==`, unused names (an `_` prefix marks one unused on purpose).
 * Layout is Prettier's job (.prettierrc.json); `npm run lint` runs both, `npm run format` rewrites with Prettier.
 * max-len is ESLint's core rule (deprecated, kept until ESLint 11).
 */
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  globalIgnores([
    'data/**',
    'out/**',
    'dist/**',
    'release/**',
    'build/**',
    'models/default/**',
    'bench-results/**',
    'test-results/**',
    '.gpu-bench/**',
    'gpu-bench-out/**',
    '.ship/**',
    '**/.cli-bundle-tmp.mjs',
  ]),
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: 'module',
      globals: { ...globals.node, ...globals.browser },
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      // Prettier wraps code at 120; this catches what it leaves long: comments (strings, URLs and regexps may run on)
      'max-len': [
        'error',
        { code: 120, ignoreUrls: true, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreRegExpLiterals: true },
      ],
      'no-constant-condition': ['error', { checkLoops: false }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      // Off: an `async` method with no await implements an async interface (PackageSource, Host, the RNN stacks);
      // dropping `async` would turn its thrown errors from rejections into synchronous throws.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // Tests and command-line tools read JSON (model.json, reports, CLI output) and poke at it field by field; the
    // no-unsafe-* rules would ask for a declared type at each of those hundreds of sites. Production code keeps them.
    files: ['test/**', 'scripts/**', 'models/recipe/**', 'main/cli/**', 'renderer/engine/node/**'],
    rules: {
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    extends: [tseslint.configs.disableTypeChecked],
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // expect(mock.method).toHaveBeenCalled() hands the mock to expect; nothing calls it without its `this`
    files: ['test/**'],
    // ... and a test may type the JSON it breaks on purpose as `any`
    rules: { '@typescript-eslint/unbound-method': 'off', '@typescript-eslint/no-explicit-any': 'off' },
  },
);
