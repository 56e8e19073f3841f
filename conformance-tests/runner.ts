import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from '../codegen/build.js';
import { DEFAULT_NODE_RUNTIME, PROVIDERS, type NodeRuntime, type Provider } from '../core/types.js';
import { accessCases } from './cases/access.js';
import { atLeastOnceCases } from './cases/at-least-once.js';
import { sandboxCases } from './cases/sandbox.js';
import { deadlineCases } from './cases/deadlines.js';
import { eventCases } from './cases/events.js';
import { httpCases } from './cases/http.js';
import { streamingCases } from './cases/streaming.js';
import { startEmulator, type AtLeastOnceOptions } from './emulators/index.js';
import { DOCUMENTED_DIFFERENCES, type DocumentedDifference } from './differences.js';
import { describeFailure } from './failure.js';
import { createInvoker, type ConformanceCase, type InvokerTarget } from './invoker.js';
import { ObservationLog, probeObservations } from './observations.js';
import { startProbe, type Probe } from './probe.js';
import { ruleSetsLine } from './emulators/rule-sets.js';
import { formatTable, judge, runtimeLine, toJUnit, verdictsPass, type CaseResult, type CaseVerdict } from './report.js';

export interface ConformanceOptions {
  /** The app to build: files or folders (default: faasport's own fixture app). */
  entries?: string[];
  /** Cases to run (default: faasport's built-in cases, which expect the fixture app). */
  cases?: readonly ConformanceCase[];
  providers?: readonly Provider[];
  /** Where to build; default a fresh temporary folder, removed afterwards. */
  outDir?: string;
  cwd?: string;
  /** Called after each case, e.g. to print progress. */
  onResult?: (result: CaseResult) => void;
  /**
   * Differences between providers your app documents, on top of faasport's own (DOCUMENTED_DIFFERENCES):
   * each with the line of your docs it refers to and its reason.
   */
  differences?: readonly DocumentedDifference[];
  /**
   * At-least-once on demand: every emulator delivers each handled message once more at this rate (default 1),
   * as the platforms sometimes do, so a case can prove its handler idempotent. A stimulus's duplicateRate wins.
   */
  atLeastOnce?: AtLeastOnceOptions;
}

export interface ConformanceReport {
  readonly results: CaseResult[];
  readonly providers: readonly Provider[];
  /** Per case: each provider's cell (pass, differs (documented), n/a, FAIL, differs (undocumented)). */
  readonly verdicts: readonly CaseVerdict[];
  /** True when every case passed on every provider and the providers differ only where documented. */
  readonly passed: boolean;
  readonly table: string;
  /** The Node that ran the emulators and cases (process.version), and the runtime the manifests target. */
  readonly node: string;
  readonly runtime: NodeRuntime;
  /** The same results as JUnit XML. */
  junit(): string;
}

/** The fixture app shipped with faasport: next to this file in the repo, or beside dist/ when installed. */
export function fixtureAppDir(): string {
  const candidates = ['./fixture-app/', '../conformance-tests/fixture-app/'].map((p) => fileURLToPath(new URL(p, import.meta.url)));
  const found = candidates.find((dir) => existsSync(dir));
  if (!found) throw new Error(`faasport: the conformance fixture app is missing (looked in ${candidates.join(', ')})`);
  return found;
}

export const builtinCases: readonly ConformanceCase[] = [...httpCases, ...streamingCases, ...eventCases, ...accessCases, ...deadlineCases, ...sandboxCases, ...atLeastOnceCases];

/**
 * Runs one case against a running front door and keeps what the provider answered (the probe is cleared
 * first, so the handler's view is this case's alone). Never throws: a failure is in the result.
 */
export async function runCase(target: InvokerTarget, probe: Probe, c: ConformanceCase): Promise<CaseResult> {
  const provider = target.provider;
  if (c.providers && !c.providers.includes(provider)) {
    return { name: c.name, provider, passed: true, ms: 0, notApplicable: c.why ?? 'not applicable' };
  }
  const log = new ObservationLog();
  probe.clear();
  const started = performance.now();
  try {
    await c.run(createInvoker(target, probe, log));
    await log.settle();
    log.add(probeObservations(probe.records(), provider));
    return { name: c.name, provider, passed: true, ms: performance.now() - started, observations: log.entries };
  } catch (error) {
    const failure = describeFailure(error);
    return { name: c.name, provider, passed: false, ms: performance.now() - started, error: failure.message.split('\n')[0], failure };
  }
}

/** Runs one provider's cases against a running front door. A failing case never stops the others. */
export async function runCases(
  target: InvokerTarget,
  probe: Probe,
  cases: readonly ConformanceCase[],
  onResult?: (result: CaseResult) => void,
): Promise<CaseResult[]> {
  const results: CaseResult[] = [];
  for (const c of cases) {
    const result = await runCase(target, probe, c);
    results.push(result);
    onResult?.(result);
  }
  return results;
}

/** The report over every provider's results: cells, table and JUnit, providers compared with each other. */
export function makeReport(
  results: CaseResult[],
  providers: readonly Provider[],
  differences: readonly DocumentedDifference[] = DOCUMENTED_DIFFERENCES,
  runtime: NodeRuntime = DEFAULT_NODE_RUNTIME,
): ConformanceReport {
  const verdicts = judge(results, providers, differences);
  return {
    results,
    providers,
    verdicts,
    passed: results.every((r) => r.passed) && verdictsPass(verdicts),
    table: `${formatTable(results, providers, verdicts)}\n${runtimeLine(runtime)}\n${ruleSetsLine(providers)}`,
    node: process.version,
    runtime,
    junit: () => toJUnit(results, providers, verdicts),
  };
}

/**
 * Builds the app for each provider, starts that provider's emulator on the generated output and runs
 * every case against it. Emulators are stopped even when a case or a start fails.
 */
export async function runConformance(options: ConformanceOptions = {}): Promise<ConformanceReport> {
  const providers = options.providers ?? PROVIDERS;
  const cases = options.cases ?? builtinCases;
  const cwd = options.cwd ?? process.cwd();
  const outDir = options.outDir ?? (await mkdtemp(join(tmpdir(), 'faasport-conformance-')));
  const results: CaseResult[] = [];
  const probe = await startProbe();
  let runtime: NodeRuntime = DEFAULT_NODE_RUNTIME;
  try {
    // A fresh temporary folder of our own may lie outside the project.
    ({ runtime } = await build({ entries: options.entries ?? [fixtureAppDir()], providers: [...providers], outDir, cwd, force: !options.outDir }));
    for (const provider of providers) {
      let emulator: Awaited<ReturnType<typeof startEmulator>> | undefined;
      try {
        emulator = await startEmulator({
          provider,
          dir: join(outDir, provider),
          env: { FAASPORT_PROBE_URL: probe.url },
          ...(options.atLeastOnce ? { atLeastOnce: options.atLeastOnce } : {}),
        });
        results.push(...(await runCases(emulator, probe, cases, options.onResult)));
      } catch (error) {
        const message = `emulator failed: ${error instanceof Error ? error.message : String(error)}`;
        for (const c of cases) {
          if (!results.some((r) => r.provider === provider && r.name === c.name)) {
            const result: CaseResult = { name: c.name, provider, passed: false, ms: 0, error: message, failure: { message } };
            results.push(result);
            options.onResult?.(result);
          }
        }
      } finally {
        await emulator?.stop();
      }
    }
  } finally {
    await probe.stop();
    if (!options.outDir) await rm(outDir, { recursive: true, force: true });
  }
  return makeReport(results, providers, [...DOCUMENTED_DIFFERENCES, ...(options.differences ?? [])], runtime);
}
