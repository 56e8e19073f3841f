#!/usr/bin/env node
/**
 * The user's path, end to end, as CI runs it: pack faasport, install the tarball in an empty folder holding a
 * small app written here (three HTTP routes, a queue worker, a schedule, and the app's own conformance cases),
 * then run every verb a user runs and assert exit codes and results. Needs the npm registry (the tarball's
 * dependencies and the emulator packages `setup` installs) and the build tools aws-lambda-ric compiles with.
 *
 *   node scripts/user-path.mjs [--transcript FILE] [--keep]
 *
 * --transcript writes every command with its output and exit code (the closing note's terminal session).
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
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

if (transcriptAt) writeFileSync(transcriptAt, '');
const record = (text) => {
  if (transcriptAt) appendFileSync(transcriptAt, text);
};
const step = (title) => console.log(`\n== ${title}`);

/** Runs a command in `cwd` (shown as `$ ...` in the transcript) and returns its exit code and output. */
function sh(cwd, command, commandArgs, shown = `${command} ${commandArgs.join(' ')}`) {
  const started = Date.now();
  const r = spawnSync(command, commandArgs, { cwd, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const output = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`$ ${shown}  -> exit ${r.status} (${seconds} s)`);
  record(`$ ${shown}\n${output.trimEnd()}\n[exit ${r.status}, ${seconds} s]\n\n`);
  return { code: r.status, out: r.stdout ?? '', err: r.stderr ?? '', output };
}

function expectCode(result, code, what) {
  assert.equal(result.code, code, `${what}: expected exit ${code}, got ${result.code}\n${result.output}`);
}

const root = mkdtempSync(join(tmpdir(), 'faasport-user-path-'));
const app = join(root, 'app');
let failed = false;

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

/** Starts `faasport dev`, waits for every URL, sends a request per provider, fires a queue message, stops it. */
async function devSession(bin) {
  const shown = 'npx faasport dev --provider all';
  console.log(`$ ${shown}`);
  const child = spawn(bin, ['dev', '--provider', 'all'], { cwd: app, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines = [];
  const waiters = [];
  const onLine = (line) => {
    lines.push(line);
    for (const w of [...waiters]) if (w.pattern.test(line)) (waiters.splice(waiters.indexOf(w), 1), w.done(line));
  };
  createInterface({ input: child.stdout }).on('line', onLine);
  createInterface({ input: child.stderr }).on('line', onLine);
  const exited = new Promise((done) => child.once('exit', (code) => done(code)));
  const waitFor = (pattern, ms = 240_000) => {
    const found = lines.find((l) => pattern.test(l));
    if (found) return Promise.resolve(found);
    return new Promise((done, fail) => {
      const timer = setTimeout(() => fail(new Error(`dev never printed ${pattern}:\n${lines.join('\n')}`)), ms);
      waiters.push({ pattern, done: (l) => (clearTimeout(timer), done(l)) });
    });
  };
  const notes = [];
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
    await waitFor(/onOrder .*order received/, 30_000);
  } finally {
    child.kill('SIGINT');
  }
  const code = await exited;
  record(`$ ${shown}   (in another terminal: the requests below, then Ctrl-C)\n${lines.join('\n')}\n[exit ${code}]\n\n${notes.join('\n\n')}\n\n`);
  console.log(`  -> exit ${code}`);
  assert.equal(code, 0, `dev did not stop cleanly:\n${lines.join('\n')}`);
  assert.ok(!existsSync(join(app, '.faasport', 'gcp', 'index.mjs.map')), 'dev wrote into build\'s .faasport folder');
}

try {
  step('pack');
  if (!existsSync(join(repo, 'dist', 'cli.js'))) expectCode(sh(repo, 'npm', ['run', 'build']), 0, 'npm run build');
  const pack = sh(repo, 'npm', ['pack', '--json', '--pack-destination', root], 'npm pack');
  expectCode(pack, 0, 'npm pack');
  const tarball = join(root, JSON.parse(pack.out)[0].filename);
  const files = JSON.parse(pack.out)[0].files.map((f) => f.path);
  assert.ok(!files.some((f) => /\.test\.[cm]?[jt]s$/.test(f)), `the tarball holds tests: ${files.filter((f) => f.includes('.test.')).join(', ')}`);
  for (const needed of ['LICENSE', 'README.md', 'dist/cli.js', 'conformance-tests/emulators/aws/README.md', 'conformance-tests/emulators/azure/README.md']) {
    assert.ok(files.includes(needed), `the tarball lacks ${needed}`);
  }

  step('an empty folder with a small app');
  mkdirSync(join(app, 'src'), { recursive: true });
  writeFileSync(join(app, 'package.json'), `${JSON.stringify({ name: 'user-app', version: '1.0.0', private: true, type: 'module' }, null, 2)}\n`);
  writeFileSync(join(app, 'src', 'api.ts'), APP);
  writeFileSync(join(app, 'conformance.ts'), CASES);
  writeFileSync(join(app, 'failing.ts'), FAILING);
  record(`$ cat src/api.ts\n${APP}\n$ cat conformance.ts\n${CASES}\n`);
  expectCode(sh(app, 'npm', ['i', '-D', tarball], 'npm i -D ./faasport-0.1.0.tgz'), 0, 'npm i -D');
  const npx = (verbArgs, shown) => sh(app, 'npx', ['--no-install', 'faasport', ...verbArgs], shown ?? `npx faasport ${verbArgs.join(' ')}`);

  step('before setup: a setup error, never a failing case or an internal error');
  const doctorBefore = npx(['doctor']);
  expectCode(doctorBefore, 2, 'doctor before setup');
  assert.match(doctorBefore.output, /✘ aws-lambda-ric \(not installed/);
  assert.match(doctorBefore.output, /fix: npm install --save-dev --no-fund --no-audit '@aws-sdk\/client-lambda@\^3/);
  const early = npx(['conformance', 'src', '--cases', 'conformance.ts', '--provider', 'azure']);
  expectCode(early, 2, 'conformance before setup');
  assert.match(early.output, /setup error the local emulators are not set up: azure needs @azure\/functions \(not installed\), azurite \(not installed\)/);
  assert.match(early.output, /fix: npx faasport setup --provider azure/);
  assert.doesNotMatch(early.output, /internal error|✘ azure/);

  step('setup, doctor');
  const setup = npx(['setup']);
  expectCode(setup, 0, 'setup');
  const doctor = npx(['doctor']);
  expectCode(doctor, 0, 'doctor');
  for (const provider of ['aws', 'azure', 'gcp']) assert.match(doctor.output, new RegExp(`✔ ${provider} ready`));

  step('check, build, invoke');
  const check = npx(['check']);
  expectCode(check, 0, 'check');
  assert.match(check.output, /✔ 5 functions in 1 files, valid for aws, azure, gcp/);
  const build = npx(['build']);
  expectCode(build, 0, 'build');
  for (const file of ['.faasport/aws/template.yaml', '.faasport/azure/host.json', '.faasport/gcp/package.json']) assert.ok(existsSync(join(app, file)), `build wrote no ${file}`);
  const invoke = npx(['invoke', 'getItem', '/items/7']);
  expectCode(invoke, 0, 'invoke getItem');
  assert.match(invoke.out, /\{"id":"7","provider":"local"\}/);
  expectCode(npx(['invoke', 'onOrder', '-d', '{"id":3}']), 0, 'invoke onOrder');
  const badOrder = npx(['invoke', 'onOrder', '-d', '{}']);
  expectCode(badOrder, 1, 'invoke onOrder with a bad order');
  assert.match(badOrder.output, /onOrder \(queue\) threw: order without id/);

  step('dev');
  await devSession(join(app, 'node_modules', '.bin', 'faasport'));

  step("conformance with the app's own cases, on all three providers");
  const conformance = npx(['conformance', 'src', '--cases', 'conformance.ts']);
  expectCode(conformance, 0, 'conformance');
  for (const provider of ['aws', 'azure', 'gcp']) assert.equal((conformance.output.match(new RegExp(`✔ ${provider}\\s`, 'g')) ?? []).length, 5, `5 cases passed on ${provider}`);
  const failing = npx(['conformance', 'src', '--cases', 'failing.ts', '--provider', 'gcp']);
  expectCode(failing, 1, 'conformance with a failing case');
  assert.match(failing.output, /✘ gcp\s+expects a wrong item list/);
  assert.doesNotMatch(`${conformance.output}${failing.output}`, /NodeVersionSupportWarning/);
  console.log('\nuser path: every step gave the exit code and result expected');
} catch (error) {
  failed = true;
  console.error(`\nuser path FAILED: ${error instanceof Error ? error.message : String(error)}`);
} finally {
  if (keep) console.log(`kept ${root}`);
  else rmSync(root, { recursive: true, force: true });
}
process.exitCode = failed ? 1 : 0;
