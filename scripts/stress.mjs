#!/usr/bin/env node
/**
 * `npm run stress`: a bounded loopback load on each provider's emulator, with exact message accounting.
 *
 * For each provider (all three, or the ones named: `node scripts/stress.mjs aws gcp`) it
 *  1. builds scripts/stress/app (an HTTP echo function and a queue function) with `faasport build` into a
 *     temporary folder,
 *  2. starts the emulator through the public API (`startEmulator` from dist/conformance.js) in a process of its
 *     own (scripts/stress/emulator-host.mjs), so the memory figures are the emulator's,
 *  3. sends 500 POST requests, 50 at a time, to the HTTP front door on 127.0.0.1 and times each one,
 *  4. delivers 1,000 queue messages: every tenth fails on each delivery (it must end dead-lettered after
 *     maxAttempts), one good message crashes its process the first time it runs (it must be redelivered and
 *     acked),
 *  5. checks the accounting against the handler's ledger (a file each run appends to before returning).
 *
 * Counted per provider:
 *  - lost: a message without an outcome, or a good message whose handler never finished;
 *  - wrongly acked: a failing message acked, or a good message acked although its handler never finished;
 *  - good dead-lettered: a good message that ended in the dead-letter queue;
 *  - re-runs: extra finished runs of good messages (a crash makes the messages beside it run again; README
 *    "A crash makes the messages beside it run again"), reported, not failed;
 *  - failing runs: how often the handler ran a failing message; an attempt that met the crashed process never
 *    reached a handler, so this may be below messages x maxAttempts (printed, not failed).
 * Exit 1 when anything is lost, wrongly acked or good dead-lettered, when a failing message is dead-lettered
 * after fewer than maxAttempts deliveries, or when the crash did not happen; never because of a timing. Exit 2
 * on a setup error, 3 when the global time cap (STRESS_TIME_LIMIT_S, default 600 s) ends the run.
 * Latency and memory are printed figures: they vary with the machine and whatever else runs on it.
 * STRESS_KEEP=1 keeps the build and the ledgers; STRESS_APP=<dir> builds another app with the same function
 * names (a deliberately broken copy shows the checks failing).
 */
import { fork, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir, cpus } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const PROVIDERS = ['aws', 'azure', 'gcp'];
const REQUESTS = 500;
const CONCURRENCY = 50;
const MESSAGES = 1000;
/** Every tenth message fails on every delivery: 10 %. */
const isFailing = (seq) => seq % 10 === 9;
/** The one good message that crashes its process on its first run. */
const CRASH_SEQ = 500;
/** The stress app's queue function declares maxAttempts 5 (the delivery contract's default). */
const MAX_ATTEMPTS = 5;
const TIME_LIMIT_S = Number(process.env.STRESS_TIME_LIMIT_S ?? 600);
const START_LIMIT_MS = 120_000;

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const unknown = wanted.filter((p) => !PROVIDERS.includes(p));
if (unknown.length > 0) {
  console.error(`stress: unknown provider ${unknown.join(', ')}; name any of ${PROVIDERS.join(', ')} (or none for all three)`);
  process.exit(2);
}
const providers = wanted.length > 0 ? wanted : PROVIDERS;
if (!Number.isFinite(TIME_LIMIT_S) || TIME_LIMIT_S <= 0) {
  console.error(`stress: STRESS_TIME_LIMIT_S must be a positive number of seconds, not "${process.env.STRESS_TIME_LIMIT_S}"`);
  process.exit(2);
}
if (!existsSync(join(root, 'dist', 'conformance.js')) || !existsSync(join(root, 'dist', 'cli.js'))) {
  console.error('stress: dist/ is missing; run `npm run build` first (`npm run stress` does).');
  process.exit(2);
}

const started = Date.now();
const work = mkdtempSync(join(tmpdir(), 'faasport-stress-'));
let phase = 'building the stress app';
/** The emulator host running now, ended by the time cap or Ctrl-C. */
let currentHost;

function killHost(host) {
  if (!host || host.exitCode !== null || host.signalCode !== null) return;
  // The host leads its own process group (detached), which holds the function processes it started.
  try {
    process.kill(-host.pid, 'SIGKILL');
  } catch {
    host.kill('SIGKILL');
  }
}

function giveUp(message, code) {
  console.error(message);
  killHost(currentHost);
  rmSync(work, { recursive: true, force: true });
  process.exit(code);
}

const cap = setTimeout(
  () => giveUp(`stress: stopped at the time cap of ${TIME_LIMIT_S} s while ${phase}. Nothing is asserted about speed; on a busy machine raise the cap (STRESS_TIME_LIMIT_S=1200 npm run stress) or run one provider (node scripts/stress.mjs aws).`, 3),
  TIME_LIMIT_S * 1000,
);
cap.unref();
process.on('SIGINT', () => giveUp('stress: interrupted', 130));

console.log(`faasport stress — Node ${process.version}, ${cpus().length} cores, ${new Date().toISOString()}; loopback only (127.0.0.1)`);
console.log(`per provider: ${REQUESTS} HTTP requests at ${CONCURRENCY} concurrent; ${MESSAGES} queue messages, ${MESSAGES / 10} failing, 1 process crash; time cap ${TIME_LIMIT_S} s\n`);

// A copy of the built package (dist/ and package.json, with node_modules linked) is what runs, so a rebuild of
// dist/ during the run (another terminal, a watcher) cannot pull files from under the emulators.
const pkg = join(work, 'faasport');
cpSync(join(root, 'dist'), join(pkg, 'dist'), { recursive: true });
cpSync(join(root, 'package.json'), join(pkg, 'package.json'));
symlinkSync(join(root, 'node_modules'), join(pkg, 'node_modules'), 'dir');
if (!existsSync(join(pkg, 'dist', 'conformance.js')) || !existsSync(join(pkg, 'dist', 'cli.js'))) {
  giveUp('stress: dist/ changed while it was being copied (a build running?); run again once it is built.', 2);
}

// STRESS_APP swaps in another app with the same function names, e.g. a deliberately broken copy, to see the checks fail.
const app = process.env.STRESS_APP ?? join(root, 'scripts', 'stress', 'app');
const build = spawnSync(process.execPath, [join(pkg, 'dist', 'cli.js'), 'build', app, '--provider', 'all', '--out', join(work, 'out'), '--force'], {
  cwd: root,
  encoding: 'utf8',
  // spawnSync blocks the time cap's timer, so the build gets a bound of its own.
  timeout: 180_000,
});
if (build.status !== 0) giveUp(`stress: building ${app} failed (${build.error?.message ?? `exit ${build.status}`}):\n${build.stdout}${build.stderr}`, 2);

// ---- the emulator host ------------------------------------------------------------------------------------

/** Starts the host; `ready()` resolves with the emulator's URL once it is up. */
function startHost(provider, functionEnv) {
  const host = fork(join(root, 'scripts', 'stress', 'emulator-host.mjs'), [provider, join(work, 'out', provider)], {
    env: { ...process.env, STRESS_FUNCTION_ENV: JSON.stringify(functionEnv), STRESS_CONFORMANCE_MODULE: join(pkg, 'dist', 'conformance.js') },
    detached: true,
    // The host collects garbage before it reports memory, so "heap used" is what the emulator still holds.
    execArgv: ['--expose-gc'],
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  // What the emulator and functions print (crash traces, framework banners) is kept, not shown; the tail is
  // printed if something goes wrong.
  const output = [];
  const keep = (chunk) => {
    output.push(chunk.toString('utf8'));
    if (output.length > 200) output.shift();
  };
  host.stdout.on('data', keep);
  host.stderr.on('data', keep);
  const waiters = [];
  let exitError;
  host.on('message', (message) => waiters.shift()?.resolve(message));
  host.on('exit', (code, signal) => {
    exitError = new Error(`the emulator host exited (${signal ?? code}); its last output:\n${output.join('').slice(-2000)}`);
    for (const waiter of waiters.splice(0)) waiter.reject(exitError);
  });
  const next = () =>
    new Promise((resolve, reject) => {
      if (exitError) reject(exitError);
      else waiters.push({ resolve, reject });
    });
  const request = async (message) => {
    const answer = next();
    host.send(message);
    return answer;
  };
  const handle = {
    host,
    output,
    request,
    async ready() {
      const timer = new Promise((_, reject) => setTimeout(() => reject(new Error(`the ${provider} emulator was not ready within ${START_LIMIT_MS / 1000} s`)), START_LIMIT_MS).unref());
      const message = await Promise.race([next(), timer]);
      if (message.type !== 'ready') throw new Error(message.error ?? `unexpected ${message.type}`);
      return message.url;
    },
    async stop() {
      if (exitError) return;
      const exited = new Promise((resolve) => host.once('exit', resolve));
      try {
        host.send({ type: 'stop' });
      } catch {
        killHost(host);
      }
      const timer = setTimeout(() => killHost(host), 20_000);
      await exited;
      clearTimeout(timer);
      killHost(host); // anything of the group left behind
    },
  };
  return handle;
}

// ---- HTTP load --------------------------------------------------------------------------------------------

async function httpLoad(url) {
  const target = new URL('/stress/echo', url);
  if (target.hostname !== '127.0.0.1') throw new Error(`stress: the emulator's URL ${url} is not on 127.0.0.1; the load only targets loopback`);
  const latencies = [];
  let errors = 0;
  const errorKinds = new Map();
  const noteError = (kind) => {
    errors += 1;
    errorKinds.set(kind, (errorKinds.get(kind) ?? 0) + 1);
  };
  let nextIndex = 0;
  const lane = async () => {
    for (let i = nextIndex++; i < REQUESTS; i = nextIndex++) {
      const sent = { n: i, note: 'faasport stress' };
      const t0 = performance.now();
      try {
        const res = await fetch(target, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(sent), signal: AbortSignal.timeout(60_000) });
        const text = await res.text();
        latencies.push(performance.now() - t0);
        if (res.status < 200 || res.status > 299) noteError(`HTTP ${res.status}`);
        else if (JSON.parse(text)?.echo?.n !== i) noteError('wrong body');
      } catch (error) {
        latencies.push(performance.now() - t0);
        noteError(error.name === 'TimeoutError' ? 'no answer in 60 s' : (error.cause?.code ?? error.message));
      }
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, lane));
  const seconds = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  const quantile = (q) => latencies[Math.max(0, Math.ceil(q * latencies.length) - 1)];
  return { requests: latencies.length, errors, errorKinds, p50: quantile(0.5), p99: quantile(0.99), perSecond: REQUESTS / seconds };
}

// ---- messages and their accounting ------------------------------------------------------------------------

const jobs = Array.from({ length: MESSAGES }, (_, seq) => ({ seq, kind: isFailing(seq) ? 'fail' : seq === CRASH_SEQ ? 'crash' : 'ok' }));

function readLedger(path) {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line));
}

/** Compares the delivery report (outcomes in message order) with what the handlers wrote down. */
function account(report, ledger, crashed) {
  const finished = new Map();
  const failedRuns = new Map();
  for (const line of ledger) {
    const into = line.ran === 'done' ? finished : line.ran === 'failed' ? failedRuns : undefined;
    if (into) into.set(line.seq, (into.get(line.seq) ?? 0) + 1);
  }
  const tally = { acked: 0, deadLettered: 0, lost: 0, wronglyAcked: 0, goodDeadLettered: 0, reRuns: 0, reRunMessages: 0, failingRuns: 0, duplicates: 0, problems: [] };
  for (const job of jobs) {
    const outcome = report.outcomes[job.seq]?.outcome;
    const runs = finished.get(job.seq) ?? 0;
    // Deliveries the emulator's at-least-once mode added on purpose (off by default): re-runs, but not the crash's.
    tally.duplicates += report.outcomes[job.seq]?.duplicates ?? 0;
    if (outcome === 'acked') tally.acked += 1;
    if (outcome === 'dead-lettered') tally.deadLettered += 1;
    if (job.kind === 'fail') {
      tally.failingRuns += failedRuns.get(job.seq) ?? 0;
      if (outcome === undefined) tally.lost += 1;
      if (outcome === 'acked') tally.wronglyAcked += 1;
      if (outcome !== 'dead-lettered') tally.problems.push(`failing message ${job.seq}: ${outcome ?? 'no outcome'}`);
      // Dead-lettered before maxAttempts deliveries would break the promise to redeliver a failed message.
      else if (report.outcomes[job.seq].attempts !== MAX_ATTEMPTS) tally.problems.push(`failing message ${job.seq}: dead-lettered after ${report.outcomes[job.seq].attempts} attempts, not ${MAX_ATTEMPTS}`);
      continue;
    }
    if (runs > 1) {
      tally.reRuns += runs - 1;
      tally.reRunMessages += 1;
    }
    if (outcome === undefined || runs === 0) tally.lost += 1;
    if (outcome === 'acked' && runs === 0) tally.wronglyAcked += 1;
    if (outcome === 'dead-lettered') tally.goodDeadLettered += 1;
    if (outcome !== 'acked' || runs === 0) tally.problems.push(`${job.kind} message ${job.seq}: ${outcome ?? 'no outcome'}, handler finished ${runs} time(s)`);
  }
  if (report.outcomes.length !== MESSAGES) tally.problems.push(`${report.outcomes.length} outcomes for ${MESSAGES} messages`);
  if (!crashed) tally.problems.push(`message ${CRASH_SEQ} never crashed its process, so the crash path was not exercised`);
  return tally;
}

async function deliverAll(handle) {
  const stimulus = { messages: jobs.map((job) => ({ body: JSON.stringify(job) })), maxAttempts: MAX_ATTEMPTS };
  const t0 = performance.now();
  const answer = await handle.request({ type: 'deliver', fn: 'stressJobs', stimulus });
  if (answer.type !== 'delivered') throw new Error(`deliver failed: ${answer.error}`);
  return { report: answer.report, seconds: (performance.now() - t0) / 1000 };
}

// ---- one provider -----------------------------------------------------------------------------------------

async function stressProvider(provider) {
  const ledger = join(work, `${provider}-ledger.jsonl`);
  const crashMarker = join(work, `${provider}-crashed`);
  phase = `starting the ${provider} emulator`;
  const handle = startHost(provider, { STRESS_LEDGER: ledger, STRESS_CRASH_MARKER: crashMarker });
  currentHost = handle.host;
  try {
    const url = await handle.ready();
    const before = await handle.request({ type: 'memory' });
    phase = `sending HTTP requests to the ${provider} emulator`;
    const http = await httpLoad(url);
    phase = `delivering messages on ${provider}`;
    const delivery = await deliverAll(handle);
    const after = await handle.request({ type: 'memory' });
    const crashed = existsSync(crashMarker);
    const tally = account(delivery.report, readLedger(ledger), crashed);
    return { provider, http, delivery, tally, before, after };
  } catch (error) {
    return { provider, error: `${error.message}\n${handle.output.join('').slice(-1500)}` };
  } finally {
    phase = `stopping the ${provider} emulator`;
    await handle.stop();
    currentHost = undefined;
  }
}

const results = [];
for (const provider of providers) {
  const result = await stressProvider(provider);
  results.push(result);
  if (result.error) console.error(`stress: ${provider}: ${result.error}`);
  else console.log(`${provider}: done in ${((Date.now() - started) / 1000).toFixed(0)} s so far`);
}
clearTimeout(cap);
if (process.env.STRESS_KEEP) console.log(`(kept the build and the ledgers in ${work})`);
else rmSync(work, { recursive: true, force: true });

// ---- report -----------------------------------------------------------------------------------------------

const mb = (bytes) => (bytes === undefined ? '?' : `${(bytes / 2 ** 20).toFixed(0)}`);
const ms = (value) => (value === undefined ? '?' : value < 10 ? value.toFixed(1) : value.toFixed(0));
const table = (header, rows) => [header, header.map(() => '---'), ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
const ok = results.filter((r) => !r.error);

console.log('\nHTTP front door (POST /stress/echo, small JSON echoed)\n');
console.log(
  table(
    ['provider', 'requests', 'errors', 'p50 ms', 'p99 ms', 'req/s'],
    ok.map(({ provider, http }) => [provider, http.requests, http.errors + (http.errors ? ` (${[...http.errorKinds].map(([k, n]) => `${n}× ${k}`).join(', ')})` : ''), ms(http.p50), ms(http.p99), http.perSecond.toFixed(0)]),
  ),
);
console.log(`\nQueue (${MESSAGES} messages, ${MESSAGES / 10} failing on every delivery, maxAttempts ${MAX_ATTEMPTS}, 1 process crash)\n`);
console.log(
  table(
    ['provider', 'acked', 'dead-lettered', 'lost', 'wrongly acked', 'good dead-lettered', 're-runs after the crash', 'failing runs', 'deliver s'],
    ok.map(({ provider, tally, delivery }) => [
      provider,
      tally.acked,
      tally.deadLettered,
      tally.lost,
      tally.wronglyAcked,
      tally.goodDeadLettered,
      `${tally.reRuns} (${tally.reRunMessages} messages)${tally.duplicates ? `, of which ${tally.duplicates} at-least-once duplicates` : ''}`,
      `${tally.failingRuns} of ${(MESSAGES / 10) * MAX_ATTEMPTS}`,
      delivery.seconds.toFixed(1),
    ]),
  ),
);
console.log('\nMemory, before the load -> after it (MB; emulator = the process running startEmulator, functions = every process below it)\n');
console.log(
  table(
    ['provider', 'emulator RSS', 'emulator heap used', 'function processes RSS'],
    ok.map(({ provider, before, after }) => [
      provider,
      `${mb(before.rss)} -> ${mb(after.rss)}`,
      `${mb(before.heapUsed)} -> ${mb(after.heapUsed)}`,
      before.children && after.children ? `${mb(before.children.rssBytes)} (${before.children.count}) -> ${mb(after.children.rssBytes)} (${after.children.count})` : 'n/a (no /proc)',
    ]),
  ),
);
console.log(`\n(${((Date.now() - started) / 1000).toFixed(0)} s in all; latency and memory vary with the machine's load and are not asserted)`);

const failures = [
  ...results.filter((r) => r.error).map((r) => `${r.provider}: did not complete: ${r.error.split('\n')[0]}`),
  ...ok.flatMap(({ provider, tally }) => tally.problems.slice(0, 10).map((p) => `${provider}: ${p}`).concat(tally.problems.length > 10 ? [`${provider}: … ${tally.problems.length - 10} more`] : [])),
];
if (failures.length > 0) {
  console.error(`\nstress: FAILED — messages lost, wrongly acknowledged or not exercised:\n${failures.map((f) => `  ${f}`).join('\n')}`);
  process.exit(1);
}
console.log('\nstress: every message accounted for: good ones acked, failing ones dead-lettered, none lost, none wrongly acked.');
