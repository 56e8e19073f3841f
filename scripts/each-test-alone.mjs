#!/usr/bin/env node
/**
 * Runs every test of the suite alone: one vitest run per test case (by its id, as `vitest -t` would select it),
 * in a fresh worker, so a test that leans on state an earlier test left behind fails here. Needs `npm run build`
 * first, like `npm test`. Usage:
 *   node scripts/each-test-alone.mjs [file filter ...] [--skip <file filter>] ... [--json <path>]
 * Prints one line per file (tests passed alone / tests) and every test that failed alone; exits 1 if any did.
 * Slow by nature (a worker start per test): a file whose cases each start emulators is better run per file.
 */
import { writeFileSync } from 'node:fs';
import { createVitest } from 'vitest/node';

const args = process.argv.slice(2);
const filters = [];
const skips = [];
let jsonPath;
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--skip') skips.push(args[++i]);
  else if (args[i] === '--json') jsonPath = args[++i];
  else filters.push(args[i]);
}

const vitest = await createVitest('test', { watch: false, reporters: [{}], silent: true });
const { testModules, unhandledErrors } = await vitest.collect(filters);
if (unhandledErrors.length > 0) {
  console.error('each-test-alone: collecting the tests failed:', unhandledErrors);
  process.exit(1);
}

const modules = testModules
  .filter((m) => !skips.some((s) => m.moduleId.includes(s)))
  .map((m) => ({ module: m, tests: [...m.children.allTests()].filter((t) => t.options.mode === 'run') }))
  .filter((m) => m.tests.length > 0)
  .sort((a, b) => a.module.moduleId.localeCompare(b.module.moduleId));

const total = modules.reduce((n, m) => n + m.tests.length, 0);
console.log(`each-test-alone: ${total} tests in ${modules.length} files, each run alone`);
const started = Date.now();
const failures = [];
const perFile = [];

// One test of each of several files per round: vitest runs those files in parallel workers (one module each).
const width = Math.max(1, vitest.config.maxWorkers ?? 2);
const queue = modules.map((m) => ({ ...m, next: 0, passed: 0 }));
let active = queue.slice(0, width);
let waiting = queue.slice(width);
while (active.length > 0) {
  const round = active.map((m) => ({ m, test: m.tests[m.next++] }));
  const specs = round.map(({ m, test }) => m.module.project.createSpecification(m.module.moduleId, { testIds: [test.id] }));
  const { testModules: ran } = await vitest.runTestSpecifications(specs);
  for (const { m, test } of round) {
    const ranTests = [...(ran.find((r) => r.moduleId === m.module.moduleId)?.children.allTests() ?? [])];
    const result = ranTests.find((t) => t.id === test.id)?.result();
    // Alone means alone: any other test of the file that ran would void the check.
    const others = ranTests.filter((t) => t.id !== test.id && t.result().state !== 'skipped').map((t) => t.fullName);
    if (result?.state === 'passed' && others.length === 0) m.passed++;
    else {
      const why = others.length > 0 ? [`ran with ${others.length} other test(s): ${others.join('; ')}`] : (result?.errors ?? []).map((e) => e.message);
      failures.push({ file: m.module.relativeModuleId, test: test.fullName, state: result?.state ?? 'not run', errors: why });
    }
  }
  const done = active.filter((m) => m.next >= m.tests.length);
  for (const m of done) {
    perFile.push({ file: m.module.relativeModuleId, tests: m.tests.length, passedAlone: m.passed });
    console.log(`${m.passed === m.tests.length ? 'ok  ' : 'FAIL'} ${m.module.relativeModuleId}: ${m.passed}/${m.tests.length} passed alone`);
  }
  active = active.filter((m) => m.next < m.tests.length);
  while (active.length < width && waiting.length > 0) active.push(waiting.shift());
}
await vitest.close();

const seconds = Math.round((Date.now() - started) / 1000);
console.log(`\neach-test-alone: ${total - failures.length}/${total} tests passed alone, ${modules.length} files, ${seconds} s`);
for (const f of failures) console.log(`failed alone: ${f.file} > ${f.test} (${f.state})${f.errors.length > 0 ? `\n  ${f.errors.join('\n  ')}` : ''}`);
if (jsonPath) writeFileSync(jsonPath, JSON.stringify({ total, seconds, perFile, failures }, null, 2));
process.exit(failures.length > 0 ? 1 : 0);
