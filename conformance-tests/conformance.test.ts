/**
 * The conformance suite as part of `npm test`: the fixture app is built with codegen for every provider,
 * each provider's emulator runs the generated output, and each test runs one case on every provider and
 * then compares the providers with each other (differential conformance): a test fails when a provider
 * fails the case's assertions, or when providers answer differently where no documented difference says so.
 * Each test stands alone (`vitest -t <case>`). The table is printed at the end.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, it } from 'vitest';
import { build } from '../codegen/build.js';
import { PROVIDERS, type NodeRuntime, type Provider } from '../core/types.js';
import { DOCUMENTED_DIFFERENCES } from './differences.js';
import { startEmulator, type RunningEmulator } from './emulators/index.js';
import { formatFailure } from './failure.js';
import { startProbe, type Probe } from './probe.js';
import { ruleSetsLine } from './emulators/rule-sets.js';
import { describeDifference, formatTable, judge, runtimeLine, type CaseResult } from './report.js';
import { builtinCases, fixtureAppDir, runCase } from './runner.js';

const results: CaseResult[] = [];
const emulators = new Map<Provider, RunningEmulator>();
const startErrors = new Map<Provider, unknown>();
let outDir: string;
let probe: Probe;
let runtime: NodeRuntime;

beforeAll(async () => {
  probe = await startProbe();
  outDir = await mkdtemp(join(tmpdir(), 'faasport-conformance-test-'));
  ({ runtime } = await build({ entries: [fixtureAppDir()], providers: [...PROVIDERS], outDir, cwd: process.cwd(), force: true }));
  for (const provider of PROVIDERS) {
    try {
      emulators.set(provider, await startEmulator({ provider, dir: join(outDir, provider), env: { FAASPORT_PROBE_URL: probe.url } }));
    } catch (error) {
      startErrors.set(provider, error);
    }
  }
});

afterAll(async () => {
  if (results.length > 0) console.log(`\nconformance\n${formatTable(results, PROVIDERS, judge(results, PROVIDERS, DOCUMENTED_DIFFERENCES))}\n${runtimeLine(runtime)}\n${ruleSetsLine(PROVIDERS)}\n`);
  for (const emulator of emulators.values()) await emulator.stop();
  await probe?.stop();
  if (outDir) await rm(outDir, { recursive: true, force: true });
});

for (const c of builtinCases) {
  it(c.name, async () => {
    const mine: CaseResult[] = [];
    for (const provider of PROVIDERS) {
      const emulator = emulators.get(provider);
      if (!emulator) throw new Error(`the ${provider} emulator did not start: ${String(startErrors.get(provider))}`);
      mine.push(await runCase(emulator, probe, c));
    }
    results.push(...mine);
    const failed = mine.filter((r) => !r.passed).map((r) => `[${r.provider}] ${r.failure ? formatFailure(r.failure) : r.error}`);
    if (failed.length > 0) throw new Error(`the case failed:\n${failed.join('\n')}`);
    const [verdict] = judge(mine, PROVIDERS, DOCUMENTED_DIFFERENCES);
    const undocumented = verdict!.differences.filter((d) => d.documentedBy.length === 0).map(describeDifference);
    if (undocumented.length > 0) throw new Error(`the providers differ where nothing is documented:\n${undocumented.join('\n')}`);
  });
}
