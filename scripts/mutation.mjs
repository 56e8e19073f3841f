#!/usr/bin/env node
/**
 * Mutation testing with Stryker, one target at a time so a run fits a small machine:
 *   npm run test:mutation                 every target, one after the other
 *   npm run test:mutation -- cron core    the named targets only
 * Each target mutates its own files and runs only the unit tests that exercise them (the conformance suite's
 * emulator runs use built bundles, which carry no mutants, so they could not kill any). Incremental: results are
 * kept per target in reports/mutation/<target>.incremental.json (git-ignored: a cache of this checkout's file
 * contents, rewritten by every run and by every change anyone lands; committed it would conflict on every merge).
 * Set STRYKER_CONCURRENCY (default 2) on a machine with more cores. Each target has its own sandbox folder, so two
 * targets can run at once.
 */
import { spawnSync } from 'node:child_process';
import { TARGETS } from './mutation-targets.mjs';

const asked = process.argv.slice(2);
const unknown = asked.filter((t) => !(t in TARGETS));
if (unknown.length > 0) {
  console.error(`unknown mutation target ${unknown.join(', ')}; targets: ${Object.keys(TARGETS).join(', ')}`);
  process.exit(2);
}
let failed = false;
for (const target of asked.length > 0 ? asked : Object.keys(TARGETS)) {
  const { mutate, tests } = TARGETS[target];
  console.log(`\nmutation: ${target}`);
  const result = spawnSync(
    process.execPath,
    ['node_modules/@stryker-mutator/core/bin/stryker.js', 'run', 'stryker.config.mjs', '--mutate', mutate.join(','), '--incrementalFile', `reports/mutation/${target}.incremental.json`, '--tempDirName', `.stryker-tmp-${target}`],
    {
      stdio: 'inherit',
      // Fewer generated inputs per fuzz property than npm test's 150: each mutant reruns the properties that reach it.
      env: { FAASPORT_FUZZ_RUNS: '50', ...process.env, FAASPORT_MUTATION_TESTS: tests.join(','), FAASPORT_MUTATION_TARGET: target },
    },
  );
  if (result.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
