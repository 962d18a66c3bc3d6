// `npm run mutate`: mutation testing of src/ (StrykerJS 9.6; 10 needs Node 22). Each mutant
// (a changed operator, condition, string, ...) must make a test fail; the score is the share
// that do. Not part of `npm test`: with about 2,900 mutants it takes about an hour on two cores.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutate.config.ts' },
  // Type-checks each mutant over src/ only (tsconfig.mutate.json): a mutant TypeScript refuses
  // is no survivor. Checking every test file too, per mutant, is what made earlier runs slow.
  checkers: ['typescript'],
  tsconfigFile: 'tsconfig.mutate.json',
  // The library's code: not the fakes (their own tests are not about src/), the script-tag
  // entries and the index (re-exports and wiring, tested through the built files), or the types.
  mutate: ['src/**/*.ts', '!src/testing/**', '!src/global*.ts', '!src/index.ts', '!src/types.ts'],
  coverageAnalysis: 'perTest',
  // Shared between the TypeScript checkers and the test runners: 4 gives two of each, which
  // keeps two cores busy (2 would leave one test runner).
  concurrency: 4,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  // A later run retests only the mutants whose code or covering tests changed since the last
  // (`npx stryker run --force` retests all).
  incremental: true,
  incrementalFile: 'reports/stryker-incremental.json',
  clearTextReporter: { allowColor: false, reportScoreTable: true, reportMutants: false, reportTests: false },
  thresholds: { high: 90, low: 80, break: null },
  tempDirName: '.stryker-tmp',
};
