/**
 * The conformance suite as part of `npm test`: the fixture app is built with codegen for every provider,
 * each provider's emulator runs the generated output, and every case runs on every provider.
 * Fixture functions report what they saw to a probe the test owns.
 * The per-provider table is printed at the end; the columns must be equal.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { build } from '../codegen/build.js';
import { PROVIDERS, type NodeRuntime } from '../core/types.js';
import { startEmulator, type RunningEmulator } from './emulators/index.js';
import { createInvoker } from './invoker.js';
import { startProbe, type Probe } from './probe.js';
import { formatTable, runtimeLine, type CaseResult } from './report.js';
import { builtinCases, fixtureAppDir } from './runner.js';

const results: CaseResult[] = [];
let outDir: string;
let probe: Probe;
let runtime: NodeRuntime;

beforeAll(async () => {
  probe = await startProbe();
  outDir = await mkdtemp(join(tmpdir(), 'faasport-conformance-test-'));
  ({ runtime } = await build({ entries: [fixtureAppDir()], providers: [...PROVIDERS], outDir, cwd: process.cwd(), force: true }));
});

afterAll(async () => {
  console.log(`\nconformance\n${formatTable(results, PROVIDERS)}\n${runtimeLine(runtime)}\n`);
  await probe?.stop();
  if (outDir) await rm(outDir, { recursive: true, force: true });
});

describe.each(PROVIDERS)('%s', (provider) => {
  let emulator: RunningEmulator | undefined;
  beforeAll(async () => {
    emulator = await startEmulator({ provider, dir: join(outDir, provider), env: { FAASPORT_PROBE_URL: probe.url } });
  });
  afterAll(async () => {
    await emulator?.stop();
  });

  for (const c of builtinCases) {
    it(c.name, async () => {
      const started = performance.now();
      try {
        if (!emulator) throw new Error(`the ${provider} emulator did not start`);
        await c.run(createInvoker(emulator, probe));
        results.push({ name: c.name, provider, passed: true, ms: performance.now() - started });
      } catch (error) {
        results.push({ name: c.name, provider, passed: false, ms: performance.now() - started, error: String(error) });
        throw error;
      }
    });
  }
});
