#!/usr/bin/env node
/**
 * Re-checks, with plain vitest, every mutant a Stryker run reported as Survived. Stryker 9.6's vitest runner
 * reports a mutant as Survived when it breaks a `beforeAll` hook (vitest then skips every test of the file
 * instead of failing one: stryker-js#5492) and when it is a static mutant, evaluated once at import
 * (stryker-js#6209). The tests catch both kinds of mutant when it is applied by hand.
 *   node scripts/mutation-survivors.mjs <target> [...]     after `npm run test:mutation -- <target>`
 * Each mutant is applied to a temporary copy of the checkout. The target's unit tests that covered it in the run
 * then run there, with the tests beside its file; all of the target's tests for a static mutant, or one the report
 * names no test for. Prints each mutant as caught or survived. Exits 1 if one survives plain vitest too: it needs a
 * test, or a note on why it is equivalent. A file changed since the run is skipped (rerun Stryker for it).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { TARGETS } from './mutation-targets.mjs';

const root = resolve(new URL('..', import.meta.url).pathname);
const asked = process.argv.slice(2);
if (asked.length === 0 || asked.some((t) => !(t in TARGETS))) {
  console.error(`usage: node scripts/mutation-survivors.mjs <target> [...]; targets: ${Object.keys(TARGETS).join(', ')}`);
  process.exit(2);
}

/** Offset in `text` of a 1-based line and column, as the mutation report gives them. */
function offsetOf(text, { line, column }) {
  let at = 0;
  for (let n = 1; n < line; n++) at = text.indexOf('\n', at) + 1;
  return at + column - 1;
}

const dir = mkdtempSync(join(tmpdir(), 'faasport-survivors-'));
cpSync(root, dir, { recursive: true, filter: (src) => !/\/(node_modules|dist|\.git|\.faasport[^/]*|\.stryker-tmp[^/]*|reports)(\/|$)/.test(src.slice(root.length)) });
symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));

let survivors = 0;
try {
  for (const target of asked) {
    const reportPath = join(root, 'reports/mutation', `${target}.json`);
    if (!existsSync(reportPath)) throw new Error(`${reportPath} is missing: run \`npm run test:mutation -- ${target}\` first`);
    const report = JSON.parse(readFileSync(reportPath, 'utf8'));
    const fileOfTest = new Map(Object.entries(report.testFiles ?? {}).flatMap(([file, { tests }]) => tests.map((t) => [t.id, file])));
    const targetTests = TARGETS[target].tests;
    let checked = 0;
    let caught = 0;
    for (const [file, { source, mutants }] of Object.entries(report.files)) {
      const survived = mutants.filter((m) => m.status === 'Survived');
      if (survived.length === 0) continue;
      const path = join(dir, file);
      // A file the report no longer matches (changed since the run, or no longer mutated) is not re-checked.
      if (!existsSync(path) || readFileSync(path, 'utf8') !== source) {
        console.log(`${target}: ${file} changed since the Stryker run (or is no longer a target file); skipped ${survived.length} mutant(s)`);
        continue;
      }
      for (const mutant of survived) {
        const start = offsetOf(source, mutant.location.start);
        const end = offsetOf(source, mutant.location.end);
        writeFileSync(path, source.slice(0, start) + mutant.replacement + source.slice(end));
        // The tests that covered it in the run, and the tests beside its file (a test written since the run).
        const beside = readdirSync(dirname(path)).filter((f) => f.endsWith('.test.ts')).map((f) => join(dirname(file), f));
        const covering = [...new Set([...(mutant.coveredBy ?? []).map((id) => fileOfTest.get(id)).filter(Boolean), ...beside])];
        const tests = mutant.static || covering.length === 0 ? targetTests : covering;
        const run = spawnSync(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', '--config', 'vitest.mutation.config.ts', '--reporter=dot'], {
          cwd: dir,
          encoding: 'utf8',
          timeout: 300_000,
          env: { ...process.env, FAASPORT_FUZZ_RUNS: process.env.FAASPORT_FUZZ_RUNS ?? '50', FAASPORT_MUTATION_TESTS: tests.join(',') },
        });
        writeFileSync(path, source);
        checked++;
        const where = `${file}:${mutant.location.start.line}:${mutant.location.start.column} ${mutant.mutatorName} -> ${JSON.stringify(mutant.replacement).slice(0, 60)}${mutant.static ? ' (static)' : ''}`;
        if (run.status !== 0) {
          caught++;
          console.log(`caught   ${where}${run.error ? ` (${run.error.message})` : ''}`);
        } else {
          survivors++;
          console.log(`SURVIVED ${where}`);
        }
      }
    }
    console.log(`${target}: ${caught} of ${checked} reported survivors caught by plain vitest\n`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.exit(survivors > 0 ? 1 : 0);
