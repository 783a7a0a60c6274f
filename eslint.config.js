'use strict';
const tseslint = require('typescript-eslint');
const regexp = require('eslint-plugin-regexp');
const { builtinModules } = require('node:module');

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

module.exports = tseslint.config(
  { ignores: ['dist/**', 'dist-bench/**', 'console/src/api/schema.ts', 'node_modules/**', '.tools/**', '.data/**', 'coverage/**'] },
  ...tseslint.configs.recommended,
  {
    // Expressions read request bodies: one that backtracks super-linearly holds the event loop for as long as a long
    // input makes it (a 200 kB address held it a minute). The plugin's recommended set is style, left off.
    plugins: { regexp },
    rules: {
      'regexp/no-super-linear-backtracking': 'error',
      'regexp/no-super-linear-move': 'error',
    },
  },
  {
    files: ['**/*.ts', '**/*.tsx'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'writable', process: 'readonly', __dirname: 'readonly', console: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Workflow code is replayed and must stay deterministic: no I/O, no Node built-ins, no frameworks.
    files: ['src/workflows/**/*.ts'],
    ignores: ['src/workflows/**/*.spec.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: nodeBuiltins.map((name) => ({ name, message: 'Workflow code must not use Node built-ins; do it in an activity.' })),
        patterns: [
          { group: ['typeorm', 'typeorm/*', 'pg', '@nestjs/*', 'handlebars', 'nodemailer', '@temporalio/activity', '@temporalio/worker', '@temporalio/client'],
            message: 'Workflow code must stay deterministic: do side effects in activities.' },
          { group: ['../activities/*', '../activities', '../api/*', '../db/*', '../worker/*'],
            message: 'Workflow code may import only workflow-safe files (types: use `import type`).', allowTypeImports: true },
        ],
      }],
      'no-restricted-globals': ['error', 'setInterval', 'process', 'Buffer'],
    },
  },
  {
    // A worker shares these modules among all its runs (sharedWorkflowModules, src/worker/workflow-bundles.ts): state at
    // module scope would leak from one run into another.
    files: ['src/workflows/**/*.ts', 'src/contracts/**/*.ts'],
    ignores: ['src/workflows/**/*.spec.ts', 'src/contracts/**/*.spec.ts'],
    rules: {
      'no-restricted-syntax': ['error',
        { selector: 'Program > VariableDeclaration[kind!="const"]', message: 'Workers share workflow modules among runs: no module-scope `let` or `var`.' },
        { selector: 'Program > ExportNamedDeclaration > VariableDeclaration[kind!="const"]', message: 'Workers share workflow modules among runs: no module-scope `let` or `var`.' },
        { selector: 'Program > VariableDeclaration > VariableDeclarator > NewExpression[callee.name=/^(Map|Set|WeakMap|WeakSet|Array)$/]', message: 'Workers share workflow modules among runs: no module-scope collection.' },
        { selector: 'Program > ExportNamedDeclaration > VariableDeclaration > VariableDeclarator > NewExpression[callee.name=/^(Map|Set|WeakMap|WeakSet|Array)$/]', message: 'Workers share workflow modules among runs: no module-scope collection.' },
      ],
    },
  },
);
