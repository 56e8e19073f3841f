#!/usr/bin/env node
/**
 * The user's path, end to end, as CI runs it: pack faasport, install the tarball in an empty folder holding a
 * small app written here (three HTTP routes, a queue worker, a schedule, and the app's own conformance cases),
 * then run every verb a user runs and assert exit codes and results. Needs the npm registry (the tarball's
 * dependencies and the emulator packages `setup` installs) and the build tools aws-lambda-ric compiles with.
 *
 *   node scripts/user-path.mjs [--transcript FILE] [--keep]
 *
 * --transcript writes every command with its output and exit code (the closing note's terminal session), then the
 * summary; the summary (command, exit code, seconds) is also printed. --keep leaves the temporary folder.
 * Every command runs under a time limit in its own process group; the run ends them all and removes its folder.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const transcriptAt = args.includes('--transcript') ? resolve(args[args.indexOf('--transcript') + 1]) : undefined;
const keep = args.includes('--keep');
const env = { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', npm_config_fund: 'false', npm_config_audit: 'false', npm_config_update_notifier: 'false' };
const MINUTE = 60_000;
/** Generous ceilings, so a hung step fails the run instead of CI's 90 minutes: aws-lambda-ric's native build is the slow one. */
const SETUP_TIMEOUT_MS = 30 * MINUTE;
const STEP_TIMEOUT_MS = 10 * MINUTE;
const DEV_TIMEOUT_MS = 5 * MINUTE;
const STOP_GRACE_MS = 10_000;

if (transcriptAt) {
  mkdirSync(dirname(transcriptAt), { recursive: true });
  writeFileSync(transcriptAt, '');
}
const record = (text) => {
  if (transcriptAt) appendFileSync(transcriptAt, text);
};
const step = (title) => console.log(`\n== ${title}`);
/** Every command run, for the summary: what was typed, its exit code, how long it took. */
const summary = [];
const runStarted = Date.now();

/**
 * Children run in their own process group (detached), so a timeout or an abort ends the command and every
 * process it started (npm's scripts, the CLI's emulators and their function processes) at once.
 */
const live = new Set();
const killGroup = (child, signal) => {
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
};

/** Runs a command in `cwd` (shown as `$ ...` in the transcript) and resolves with its exit code and output. */
function sh(cwd, command, commandArgs, { shown = `${command} ${commandArgs.join(' ')}`, timeoutMs = STEP_TIMEOUT_MS } = {}) {
  const started = Date.now();
  return new Promise((done) => {
    const child = spawn(command, commandArgs, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    live.add(child);
    let out = '';
    let err = '';
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (c) => ((out += c), (output += c)));
    child.stderr.setEncoding('utf8').on('data', (c) => ((err += c), (output += c)));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child, 'SIGKILL');
    }, timeoutMs);
    // A process the command left behind would hold its output open: end the group soon after the command exits.
    child.once('exit', () => setTimeout(() => killGroup(child, 'SIGKILL'), 2000).unref());
    child.once('close', (status, signal) => {
      clearTimeout(timer);
      live.delete(child);
      killGroup(child, 'SIGKILL'); // whatever it left running
      const code = timedOut ? `timed out after ${timeoutMs / MINUTE} min` : (status ?? signal);
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      console.log(`$ ${shown}  -> exit ${code} (${seconds} s)`);
      record(`$ ${shown}\n${output.trimEnd()}\n[exit ${code}, ${seconds} s]\n\n`);
      summary.push({ command: shown, code, seconds });
      done({ code, out, err, output });
    });
  });
}

function expectCode(result, code, what) {
  assert.equal(result.code, code, `${what}: expected exit ${code}, got ${result.code}\n${result.output}`);
}

const root = mkdtempSync(join(tmpdir(), 'faasport-user-path-'));
const app = join(root, 'app');
let failed = false;

/** Ends every command still running and removes the temporary folders (also on Ctrl-C or CI's cancel). */
function cleanUp() {
  for (const child of live) killGroup(child, 'SIGKILL');
  live.clear();
  if (keep) console.log(`kept ${root}`);
  else rmSync(root, { recursive: true, force: true });
}
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    console.error(`\nuser path: ${signal}, cleaning up`);
    cleanUp();
    process.exit(130);
  });
}

const APP = `import { http, queue, schedule } from 'faasport';

export const listItems = http({ route: '/items', methods: ['GET'] }, () => Response.json({ items: ['pen', 'ink'] }));

export const getItem = http({ route: '/items/:id', methods: ['GET'] }, (_req, ctx) =>
  Response.json({ id: ctx.params.id, provider: ctx.provider }),
);

export const createItem = http({ route: '/items', methods: ['POST'] }, async (req) => {
  const body = (await req.json()) as { name?: string };
  if (!body.name) return Response.json({ error: 'name is required' }, { status: 400 });
  return Response.json({ created: body.name }, { status: 201 });
});

export const onOrder = queue({ queue: 'orders' }, async (msg, ctx) => {
  const order = msg.json() as { id?: number };
  if (order.id === undefined) throw new Error('order without id');
  ctx.log.info('order received', { id: order.id });
});

export const nightly = schedule({ cron: '0 3 * * *' }, async (tick, ctx) => {
  ctx.log.info('nightly run', { at: String(tick.scheduledTime) });
});
`;

const CASES = `import assert from 'node:assert/strict';
import { defineCase } from 'faasport/conformance';

export const cases = [
  defineCase('lists the items', async (inv) => {
    const res = await inv.http('/items');
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { items: ['pen', 'ink'] });
  }),
  defineCase('gets one item and names the provider', async (inv) => {
    const res = await inv.http('/items/42');
    assert.deepEqual(await res.json(), { id: '42', provider: inv.provider });
  }),
  defineCase('creates an item, refuses one without a name', async (inv) => {
    const ok = await inv.http('/items', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":"pen"}' });
    assert.equal(ok.status, 201);
    assert.deepEqual(await ok.json(), { created: 'pen' });
    const bad = await inv.http('/items', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    assert.equal(bad.status, 400);
  }),
  defineCase('a good order is acked, one without id dead-lettered', async (inv) => {
    const report = await inv.deliver('onOrder', { messages: [{ body: '{"id":1}' }, { body: '{}' }], maxAttempts: 2 });
    assert.deepEqual(report.outcomes, [
      { attempts: 1, outcome: 'acked' },
      { attempts: 2, outcome: 'dead-lettered' },
    ]);
  }),
  defineCase('the nightly schedule runs', async (inv) => {
    const report = await inv.deliver('nightly', { scheduledTime: '2026-12-02T03:00:00Z' });
    assert.deepEqual(report.outcomes, [{ attempts: 1, outcome: 'acked' }]);
  }),
];
`;

const FAILING = `import assert from 'node:assert/strict';
import { defineCase } from 'faasport/conformance';

export const cases = [
  defineCase('expects a wrong item list (must fail)', async (inv) => {
    assert.deepEqual(await (await inv.http('/items')).json(), { items: [] });
  }),
];
`;

/**
 * Starts `faasport dev`, waits for every URL, sends a request per provider, fires a queue message, checks the
 * handler's log line is named by its function on each provider, stops it with Ctrl-C (SIGINT).
 */
async function devSession(bin) {
  const shown = 'npx faasport dev --provider all';
  console.log(`$ ${shown}`);
  const started = Date.now();
  const child = spawn(bin, ['dev', '--provider', 'all'], { cwd: app, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  live.add(child);
  const lines = [];
  const waiters = [];
  const onLine = (line) => {
    lines.push(line);
    for (const w of [...waiters]) if (w.pattern.test(line)) (waiters.splice(waiters.indexOf(w), 1), w.done(line));
  };
  createInterface({ input: child.stdout }).on('line', onLine);
  createInterface({ input: child.stderr }).on('line', onLine);
  const exited = new Promise((done) => child.once('exit', (code, signal) => done(code ?? signal)));
  const waitFor = (pattern, ms = DEV_TIMEOUT_MS) => {
    const found = lines.find((l) => pattern.test(l));
    if (found) return Promise.resolve(found);
    return new Promise((done, fail) => {
      const timer = setTimeout(() => fail(new Error(`dev never printed ${pattern}:\n${lines.join('\n')}`)), ms);
      waiters.push({ pattern, done: (l) => (clearTimeout(timer), done(l)) });
    });
  };
  const notes = [];
  let code;
  try {
    try {
      const urls = {};
      for (const provider of ['aws', 'azure', 'gcp']) urls[provider] = (await waitFor(new RegExp(`^${provider}\\s+http://`))).split(/\s+/)[1];
      const control = /POST (http:\/\/127\.0\.0\.1:\d+)\/_faasport/.exec(await waitFor(/^fire: POST/))[1];
      for (const [provider, url] of Object.entries(urls)) {
        const res = await fetch(`${url}/items/7`);
        const body = await res.json();
        notes.push(`$ curl ${url}/items/7\n${JSON.stringify(body)}`);
        assert.equal(res.status, 200);
        assert.deepEqual(body, { id: '7', provider });
      }
      const fired = await fetch(`${control}/_faasport/onOrder`, { method: 'POST', body: '{"id":9}' });
      const reports = await fired.json();
      notes.push(`$ curl -X POST ${control}/_faasport/onOrder -d '{"id":9}'\n${JSON.stringify(reports)}`);
      assert.equal(fired.status, 200);
      for (const provider of ['aws', 'azure', 'gcp']) assert.deepEqual(reports[provider], { outcomes: [{ attempts: 1, outcome: 'acked' }] });
      // The handler's own log line, named by its function, on every provider.
      for (const provider of ['aws', 'azure', 'gcp']) await waitFor(new RegExp(`^${provider}\\s+onOrder .*order received`), 30_000);
    } finally {
      child.kill('SIGINT'); // Ctrl-C, as a user stops it
    }
    const stopTimer = setTimeout(() => killGroup(child, 'SIGKILL'), STOP_GRACE_MS);
    code = await exited;
    clearTimeout(stopTimer);
  } finally {
    live.delete(child);
    killGroup(child, 'SIGKILL'); // any emulator process it left behind
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  record(`$ ${shown}   (in another terminal: the requests below, then Ctrl-C)\n${lines.join('\n')}\n[exit ${code}, ${seconds} s]\n\n${notes.join('\n\n')}\n\n`);
  summary.push({ command: `${shown} (3 requests, a fired queue message, Ctrl-C)`, code, seconds });
  console.log(`  -> exit ${code} (${seconds} s)`);
  const output = lines.join('\n');
  assert.equal(code, 0, `dev did not stop cleanly:\n${output}`);
  assert.ok(!existsSync(join(app, '.faasport', 'gcp', 'index.mjs.map')), "dev wrote into build's .faasport folder");
  assert.doesNotMatch(output, /NodeVersionSupportWarning/, "the AWS SDK's Node-version warning reached dev's output");
  assert.doesNotMatch(output, /"PUT \/devstoreaccount1|Azurite Queue service is/, "Azurite's access log reached dev's output");
}

function printSummary() {
  const width = Math.max(...summary.map((s) => s.command.length));
  const lines = summary.map((s) => `  ${s.command.padEnd(width)}  exit ${String(s.code).padEnd(3)} ${s.seconds.padStart(6)} s`);
  const total = `user path ${failed ? 'FAILED' : 'passed'}: ${summary.length} commands in ${((Date.now() - runStarted) / 1000).toFixed(0)} s`;
  const text = `\nsummary (command, exit code, time):\n${lines.join('\n')}\n${total}\n`;
  console.log(text);
  record(text);
}

try {
  step('pack');
  if (!existsSync(join(repo, 'dist', 'cli.js'))) expectCode(await sh(repo, 'npm', ['run', 'build']), 0, 'npm run build');
  const pack = await sh(repo, 'npm', ['pack', '--json', '--pack-destination', root], { shown: 'npm pack' });
  expectCode(pack, 0, 'npm pack');
  const packed = JSON.parse(pack.out)[0];
  const tarball = join(root, packed.filename);
  const files = packed.files.map((f) => f.path);
  assert.ok(!files.some((f) => /\.test\.[cm]?[jt]s$/.test(f)), `the tarball holds tests: ${files.filter((f) => f.includes('.test.')).join(', ')}`);
  for (const needed of ['LICENSE', 'README.md', 'package.json', 'dist/cli.js', 'dist/index.js', 'dist/conformance.js', 'conformance-tests/emulators/aws/README.md', 'conformance-tests/emulators/azure/README.md']) {
    assert.ok(files.includes(needed), `the tarball lacks ${needed}`);
  }

  step('an empty folder with a small app');
  mkdirSync(join(app, 'src'), { recursive: true });
  writeFileSync(join(app, 'package.json'), `${JSON.stringify({ name: 'user-app', version: '1.0.0', private: true, type: 'module' }, null, 2)}\n`);
  writeFileSync(join(app, 'src', 'api.ts'), APP);
  writeFileSync(join(app, 'conformance.ts'), CASES);
  writeFileSync(join(app, 'failing.ts'), FAILING);
  record(`$ cat src/api.ts\n${APP}\n$ cat conformance.ts\n${CASES}\n$ cat failing.ts\n${FAILING}\n`);
  expectCode(await sh(app, 'npm', ['i', '-D', tarball], { shown: `npm i -D ./${packed.filename}` }), 0, 'npm i -D');
  const npx = (verbArgs, options = {}) => sh(app, 'npx', ['--no-install', 'faasport', ...verbArgs], { shown: `npx faasport ${verbArgs.join(' ')}`, ...options });

  step('before setup: a setup error, never a failing case or an internal error');
  const doctorBefore = await npx(['doctor']);
  expectCode(doctorBefore, 2, 'doctor before setup');
  assert.match(doctorBefore.output, /✘ aws-lambda-ric \(not installed/);
  assert.match(doctorBefore.output, /fix: npm install --save-dev --no-fund --no-audit '@aws-sdk\/client-lambda@\^3/);
  const early = await npx(['conformance', '--cases', 'conformance.ts', '--provider', 'azure']);
  expectCode(early, 2, 'conformance before setup');
  assert.match(early.output, /setup error the local emulators are not set up: azure needs @azure\/functions \(not installed\), azurite \(not installed\)/);
  assert.match(early.output, /fix: npx faasport setup --provider azure/);
  assert.doesNotMatch(early.output, /internal error|✘ azure/);
  const noCases = await npx(['conformance', '--cases', 'nope.ts', '--provider', 'gcp']);
  expectCode(noCases, 2, 'conformance --cases with a missing file');
  assert.match(noCases.output, /--cases nope\.ts does not exist/);

  step('setup, doctor');
  const setup = await npx(['setup'], { timeoutMs: SETUP_TIMEOUT_MS });
  expectCode(setup, 0, 'setup');
  const doctor = await npx(['doctor']);
  expectCode(doctor, 0, 'doctor');
  for (const provider of ['aws', 'azure', 'gcp']) assert.match(doctor.output, new RegExp(`✔ ${provider} ready`));

  step('check, build, invoke');
  const check = await npx(['check']);
  expectCode(check, 0, 'check');
  assert.match(check.output, /✔ 5 functions in 1 files, valid for aws, azure, gcp/);
  const build = await npx(['build']);
  expectCode(build, 0, 'build');
  for (const file of ['.faasport/aws/template.yaml', '.faasport/azure/host.json', '.faasport/gcp/package.json']) assert.ok(existsSync(join(app, file)), `build wrote no ${file}`);
  const invoke = await npx(['invoke', 'getItem', '/items/7']);
  expectCode(invoke, 0, 'invoke getItem');
  assert.equal(invoke.out.split('\n')[0], '200', 'invoke prints the status alone on its first line');
  assert.match(invoke.out, /\{"id":"7","provider":"local"\}/);
  expectCode(await npx(['invoke', 'onOrder', '-d', '{"id":3}']), 0, 'invoke onOrder');
  const badOrder = await npx(['invoke', 'onOrder', '-d', '{}']);
  expectCode(badOrder, 1, 'invoke onOrder with a bad order');
  assert.match(badOrder.output, /onOrder \(queue\) threw: order without id/);

  step('dev');
  await devSession(join(app, 'node_modules', '.bin', 'faasport'));

  step("conformance with the app's own cases, on all three providers");
  // No ENTRY: the app's default entries (src), as for build, never faasport's own fixture app.
  const conformance = await npx(['conformance', '--cases', 'conformance.ts']);
  expectCode(conformance, 0, 'conformance');
  for (const provider of ['aws', 'azure', 'gcp']) assert.equal((conformance.output.match(new RegExp(`✔ ${provider}\\s`, 'g')) ?? []).length, 5, `5 cases passed on ${provider}`);
  const failing = await npx(['conformance', '--cases', 'failing.ts', '--provider', 'gcp']);
  expectCode(failing, 1, 'conformance with a failing case');
  assert.match(failing.output, /✘ gcp\s+expects a wrong item list/);
  // What a user acts on: expected and actual, and the object diff under one legend.
  assert.match(failing.output, /expected: \{ items: \[\] \}/);
  assert.match(failing.output, /actual: +\{ items: \[ 'pen', 'ink' \] \}/);
  assert.match(failing.output, /diff \(\+ actual, - expected\):/);
  assert.doesNotMatch(failing.output, /\+ actual - expected/, "node's own diff legend is printed too");
  assert.doesNotMatch(`${conformance.output}${failing.output}`, /NodeVersionSupportWarning/);
  console.log('\nuser path: every step gave the exit code and result expected');
} catch (error) {
  failed = true;
  console.error(`\nuser path FAILED: ${error instanceof Error ? error.message : String(error)}`);
} finally {
  printSummary();
  cleanUp();
}
process.exitCode = failed ? 1 : 0;
