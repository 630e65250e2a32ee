import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// cdktf and its maintained fork CDK Terrain (cdktn) publish the same classes under two
// package families; a guard must name both, or a swap to the fork leaves it matching nothing.
const CDK_PACKAGES = ['cdktf', 'cdktf/*', '@cdktf/*', 'cdktn', 'cdktn/*', '@cdktn/*', 'constructs'];
/** Issue 18: the check stage and advice read each area's tables from src/areas/<area>/catalog.ts. */
const NORMALIZE_IMPORTS = {
  group: ['**/compiler/normalize', '**/compiler/normalize/*', '../normalize', '../normalize/*'],
  message:
    'The check stage, the catalogs and advice are pure: import the area catalog (src/areas/<area>/catalog.ts), not normalize.',
};
const PROVIDER_ROOT_MESSAGE =
  'Import provider classes by deep path (@cdktf/provider-aws/lib/<resource>): the root costs ~5 s and ~500 MB.';

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'dist/',
      'generated/',
      'cdktf.out/',
      'test-artifacts/',
      'src/spec/types.generated.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.mjs', '**/*.js', '**/*.cjs'],
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        module: 'writable',
        require: 'readonly',
        __dirname: 'readonly',
        Buffer: 'readonly',
      },
    },
  },
  {
    // CommonJS entry points and configs.
    files: ['bin/**/*.js', 'jest.config.js', '**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', ignoreRestSiblings: true }],
      'no-restricted-imports': [
        'error',
        {
          paths: ['@cdktf/provider-aws', '@cdktn/provider-aws'].map((name) => ({
            name,
            message: PROVIDER_ROOT_MESSAGE,
          })),
        },
      ],
    },
  },
  {
    // The stages before build are pure and fast: `pipeform validate` must never load cdktf
    // or the provider (architecture.md). Only src/constructs and src/synth may import them.
    files: [
      'src/compiler/**/*.ts',
      'src/spec/**/*.ts',
      'src/areas/**/*.ts',
      'src/model/**/*.ts',
      'src/cli.ts',
      'src/cli-io.ts',
      'src/starter.ts',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: CDK_PACKAGES,
              message: 'Only src/constructs and src/synth may import cdktf.',
            },
          ],
        },
      ],
    },
  },
  {
    // The check stage, its rules and the catalogs they read never import normalize (issue
    // 18): the rules read each area's pure catalog, which normalize imports too, so a default
    // lives in one place and the layers stay one-way. Repeats the cdktf guard, since a later
    // block's no-restricted-imports replaces the earlier one.
    files: ['src/areas/**/*.ts', 'src/compiler/check.ts', 'src/compiler/rules/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: CDK_PACKAGES, message: 'Only src/constructs and src/synth may import cdktf.' },
            NORMALIZE_IMPORTS,
          ],
        },
      ],
    },
  },
  {
    // Advice reads the same catalogs (and keeps the provider-root guard of every file).
    files: ['src/advise/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['@cdktf/provider-aws', '@cdktn/provider-aws'].map((name) => ({
            name,
            message: PROVIDER_ROOT_MESSAGE,
          })),
          patterns: [NORMALIZE_IMPORTS],
        },
      ],
    },
  },
);
