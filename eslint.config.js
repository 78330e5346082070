// Lint = typescript-eslint's recommended rules, React hooks rules, and the project's import direction
// (ARCHITECTURE.md): core imports nothing of ours and no DOM; ui never touches gpu.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/core/**/*.ts'],
    languageOptions: { globals: { ...globals.es2022 } },
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: ['../*', '!../core'], message: 'src/core imports nothing outside src/core.' },
        { group: ['react', 'react-dom', 'zustand', 'plotly.js*', 'webgpu'], message: 'src/core is DOM- and GPU-free.' },
      ] }],
      'no-restricted-globals': ['error', 'window', 'document', 'navigator', 'self', 'GPUBufferUsage', 'GPUShaderStage'],
    },
  },
  {
    files: ['src/ui/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['../gpu/*', '../../gpu/*'], message: 'the UI talks to engines through src/engine and the store, never to src/gpu.' }] }],
      'no-restricted-syntax': ['error', { selector: 'ImportExpression[source.value=/\\/gpu\\//]', message: 'the UI talks to engines through src/engine and the store, never to src/gpu (dynamic imports included).' }],
    },
  },
  {
    files: ['src/ui/**/*.tsx', 'src/**/*.tsx'],
    plugins: { 'react-hooks': reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
);
