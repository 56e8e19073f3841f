// Stryker 9.6 (the last line on Node 20) with the vitest runner; run it through scripts/mutation.mjs, which
// picks the files to mutate and the unit tests to run per target.
const target = process.env.FAASPORT_MUTATION_TARGET ?? 'all';

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  plugins: ['@stryker-mutator/vitest-runner'],
  vitest: { configFile: 'vitest.mutation.config.ts', related: false },
  checkers: [],
  // Stryker's default puts `// @ts-nocheck` atop every file of its sandbox, fixtures included, which moves the
  // line numbers the discovery tests assert; vitest does not type-check, so there is nothing to disable.
  disableTypeChecks: false,
  coverageAnalysis: 'perTest',
  incremental: true,
  concurrency: Number(process.env.STRYKER_CONCURRENCY ?? 2),
  // Added to 1.5x the covering tests' own time before a mutant counts as a timeout; a hung mutant costs this much.
  timeoutMS: Number(process.env.STRYKER_TIMEOUT_MS ?? 20_000),
  reporters: ['clear-text', 'progress', 'json'],
  jsonReporter: { fileName: `reports/mutation/${target}.json` },
  thresholds: { high: 90, low: 85, break: null },
  ignorePatterns: ['dist', '.faasport', 'bench', 'reports', 'examples', '.stryker-tmp*', 'node_modules'],
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
