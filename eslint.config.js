// Lint = typescript-eslint's recommended rules, React hooks rules, the project's import direction
// (ARCHITECTURE.md): core imports nothing of ours and no DOM; ui never touches gpu — and "same bits
// everywhere": no engine-approximated Math function or ** where instances and runs are computed.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

// Math members whose last bits differ between Chromium, Firefox and Node, with the replacement in
// src/core/fmath (null: no port there yet).
const APPROXIMATED_MATH = {
  log: 'ln', log10: 'log10', log1p: 'log1p', exp: 'exp', sin: 'sin', cos: 'cos', atan: 'atan', atan2: 'atan2',
  hypot: 'hypot', pow: 'pow (or powInt for an integer exponent, x * x for a square)',
  log2: null, expm1: null, tan: null, asin: null, acos: null, sinh: null, cosh: null, tanh: null, cbrt: null,
};
const sameBitsProperties = Object.entries(APPROXIMATED_MATH).map(([property, port]) => ({
  object: 'Math',
  property,
  message: `Math.${property} differs in the last bit between Chromium, Firefox and Node; ${port
    ? `use ${port} from src/core/fmath (bit-identical everywhere)`
    : 'add a port to src/core/fmath (fdlibm, + − × ÷ √ only) and use that'}.`,
}));
// SpiderMonkey computes x ** k by repeated multiplication for integer k and V8 does not, so ** is only
// exact everywhere between two non-negative integer literals (2 ** 20).
const INT_LITERAL = '/^[0-9][0-9_]*$/';
const sameBitsSyntax = [
  {
    selector: `BinaryExpression[operator='**']:not([left.type='Literal'][left.raw=${INT_LITERAL}][right.type='Literal'][right.raw=${INT_LITERAL}])`,
    message: 'x ** y differs in the last bit between Chromium, Firefox and Node; write x * x, or use powInt / pow from src/core/fmath (bit-identical everywhere). Only integer-literal ** integer-literal (2 ** 20) is allowed.',
  },
  {
    selector: "AssignmentExpression[operator='**=']",
    message: 'x **= y differs in the last bit between Chromium, Firefox and Node; use powInt / pow from src/core/fmath (bit-identical everywhere).',
  },
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'test-results/**', 'kit/**'] },
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
      'no-restricted-globals': ['error', 'window', 'document', 'navigator', 'self', 'GPUBufferUsage', 'GPUShaderStage'],
    },
  },
  // src/core imports nothing outside src/core, at every folder depth (src/core/problems/<family>/ included)
  ...['src/core/*.ts', 'src/core/*/*.ts', 'src/core/*/*/*.ts'].map((files, depth) => ({
    files: [files],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: [`${'../'.repeat(depth + 1)}*`, `!${'../'.repeat(depth + 1)}core`], message: 'src/core imports nothing outside src/core.' },
        { group: ['react', 'react-dom', 'zustand', 'plotly.js*', 'webgpu'], message: 'src/core is DOM- and GPU-free.' },
      ] }],
    },
  })),
  {
    // everything that computes instances, runs, traces and results (src/ui only displays them)
    files: ['src/core/**/*.ts', 'src/engine/**/*.ts', 'src/gpu/**/*.ts', 'src/state/**/*.ts', 'src/cli/**/*.ts'],
    rules: {
      'no-restricted-properties': ['error', ...sameBitsProperties],
      // a later entry for these files that sets no-restricted-syntax replaces this one: spread sameBitsSyntax into it
      'no-restricted-syntax': ['error', ...sameBitsSyntax],
    },
  },
  {
    // the GPU engines implement the seam in src/core/engine-api.ts; src/engine drives them, never the reverse
    files: ['src/gpu/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['../engine/*', '../../engine/*', '../state/*', '../ui/*', '../cli/*'], message: 'src/gpu imports only src/core (the engine seam is src/core/engine-api.ts); src/engine drives the GPU engines, never the reverse.' }] }],
    },
  },
  {
    files: ['src/ui/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['../gpu/*', '../../gpu/*', '../engine/*', '../../engine/*'], message: 'the UI reaches engines only through src/state (the store, and src/state/engines.ts for result types), never src/engine or src/gpu.' }] }],
      'no-restricted-syntax': ['error', { selector: 'ImportExpression[source.value=/\\/(gpu|engine)\\//]', message: 'the UI reaches engines only through src/state, never src/engine or src/gpu (dynamic imports included).' }],
    },
  },
  {
    files: ['src/ui/**/*.tsx', 'src/**/*.tsx'],
    plugins: { 'react-hooks': reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
);
