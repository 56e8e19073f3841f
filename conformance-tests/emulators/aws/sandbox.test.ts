/**
 * The Lambda sandbox as deployed: settings read from faasport.json, the /var/task layout and reserved variables,
 * the heap bounded by memory, the read-only filesystem, the freeze between invocations, payload limits.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAwsEmulator, type AwsEmulator } from './index.js';
import { UNRESOLVED_SECRET_PREFIX } from './manifest.js';

interface Fixture {
  kind: string;
  options: Record<string, unknown>;
  settings?: Record<string, unknown>;
  code: string;
}

const FUNCTIONS: Record<string, Fixture> = {
  report: {
    kind: 'queue',
    options: { queue: 'r' },
    settings: { timeout: 7, memory: 192, environment: { PLAIN: 'from-settings', TOKEN: { secret: 'db-token', version: '2' } } },
    code: `import v8 from 'node:v8';
      export const handler = async (event, context) => ({
        cwd: process.cwd(), env: { ...process.env }, remaining: context.getRemainingTimeInMillis(),
        memoryLimitInMB: context.memoryLimitInMB, heapLimit: v8.getHeapStatistics().heap_size_limit, execArgv: process.execArgv.filter((a) => !a.startsWith('--import')) });`,
  },
  slow: {
    kind: 'queue',
    options: { queue: 's' },
    settings: { timeout: 1, memory: 128, environment: {} },
    code: `let calls = 0;
      export const handler = async (event) => { calls++; if (event.ms) await new Promise((r) => setTimeout(r, event.ms)); return { calls, pid: process.pid }; };`,
  },
  writer: {
    kind: 'queue',
    options: { queue: 'w' },
    settings: { timeout: 5, memory: 128, environment: {} },
    code: `import fs from 'node:fs';
      const attempt = (f) => { try { f(); return 'ok'; } catch (e) { return e.code; } };
      export const handler = async (event) => ({
        taskRoot: attempt(() => fs.writeFileSync(process.env.LAMBDA_TASK_ROOT + '/written.txt', 'x')),
        relative: attempt(() => fs.writeFileSync('written.txt', 'x')),
        tmp: attempt(() => { fs.writeFileSync('/tmp/' + event.name, 'x'); fs.rmSync('/tmp/' + event.name); }),
      });`,
  },
  freezer: {
    kind: 'queue',
    options: { queue: 'f' },
    settings: { timeout: 5, memory: 128, environment: {} },
    code: `let ticks = [];
      let timer;
      export const handler = async (event) => {
        if (event.start) {
          ticks = [];
          clearInterval(timer);
          // Fire-and-forget: ticks for 3 s, whether or not an invocation is running.
          timer = setInterval(() => { ticks.push(Date.now()); if (ticks.length >= 300) clearInterval(timer); }, 10);
          return { respondedAt: Date.now(), pid: process.pid };
        }
        const handlerStartedAt = Date.now();
        await new Promise((r) => setTimeout(r, event.waitMs));
        return { handlerStartedAt, ticks, pid: process.pid };
      };`,
  },
  hog: {
    kind: 'queue',
    options: { queue: 'h' },
    settings: { timeout: 30, memory: 128, environment: {} },
    code: `export const handler = async (event) => {
        if (!event.hog) return 'fine';
        const kept = [];
        for (;;) kept.push(new Array(1 << 16).fill(kept.length));
      };`,
  },
  big: {
    kind: 'queue',
    options: { queue: 'b' },
    settings: { timeout: 10, memory: 512, environment: {} },
    code: `export const handler = async (event) => 'x'.repeat(event.bytes);`,
  },
  upload: {
    kind: 'http',
    options: { route: '/upload' },
    settings: { timeout: 10, memory: 256, environment: {} },
    code: `export const handler = async (event) => ({ statusCode: 200, body: String((event.body ?? '').length) });`,
  },
  longHttp: {
    kind: 'http',
    options: { route: '/long' },
    // Longer than the HTTP API's 30 s integration timeout: the front door cuts it off first.
    settings: { timeout: 60, memory: 128, environment: {} },
    code: `export const handler = async () => { await new Promise((r) => setTimeout(r, 5000)); return { statusCode: 200, body: 'late' }; };`,
  },
};

let dir: string;
let emu: AwsEmulator;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'faasport-aws-sandbox-'));
  const functions = Object.entries(FUNCTIONS).map(([name, fn]) => ({
    name,
    kind: fn.kind,
    options: fn.options,
    export: name,
    source: 'src/app.ts',
    entry: `${name}/index.mjs`,
    handler: `${name}/index.handler`,
    ...(fn.settings ? { settings: fn.settings } : {}),
  }));
  for (const [name, fn] of Object.entries(FUNCTIONS)) {
    await mkdir(path.join(dir, name));
    await writeFile(path.join(dir, name, 'index.mjs'), fn.code);
  }
  // node22 on purpose: AWS_EXECUTION_ENV must follow the manifest, not faasport's default runtime.
  const manifest = { provider: 'aws', runtime: { node: 'node22', id: 'nodejs22.x' }, functions };
  await writeFile(path.join(dir, 'faasport.json'), JSON.stringify(manifest, null, 2));
  // The integration timeout is cut to 2 s so the 503 shows quickly; everything else is as deployed.
  emu = await startAwsEmulator({ dir, integrationTimeoutMs: 2000, env: { PROBE_URL: 'http://probe.test' } });
});

afterAll(async () => {
  await emu?.stop();
  await rm(dir, { recursive: true, force: true });
});

const json = (text: string): Record<string, unknown> => JSON.parse(text) as Record<string, unknown>;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The process state letter of /proc/<pid>/stat: R, S, T (stopped)... */
const processState = (pid: number): string => readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '')[0]!;

describe('settings from faasport.json', () => {
  it('gives the deployed timeout to the runtime (deadline), the memory and the environment, secrets as placeholders', async () => {
    const seen = json((await emu.invoke('report', {})).text);
    expect(seen.remaining).toBeGreaterThan(5000);
    expect(seen.remaining).toBeLessThanOrEqual(7000);
    expect(seen.memoryLimitInMB).toBe('192');
    expect(seen.env).toMatchObject({
      PLAIN: 'from-settings',
      TOKEN: `${UNRESOLVED_SECRET_PREFIX}db-token:2`,
      PROBE_URL: 'http://probe.test',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '192',
    });
  });

  it('answers Sandbox.Timedout after the deployed timeout, and the next invocation runs on a fresh environment', async () => {
    const warm = json((await emu.invoke('slow', {})).text);
    const result = await emu.invoke('slow', { ms: 5000 });
    expect(result.functionError).toBe('Unhandled');
    expect(json(result.text)).toEqual({
      errorType: 'Sandbox.Timedout',
      errorMessage: expect.stringMatching(/^RequestId: \S+ Error: Task timed out after 1\.00 seconds$/),
    });
    const next = json((await emu.invoke('slow', {})).text);
    expect(next.calls).toBe(1);
    expect(next.pid).not.toBe(warm.pid);
  });
});

describe('deployed layout', () => {
  it("runs in the function's own code folder with the handler and reserved variables Lambda sets", async () => {
    const seen = json((await emu.invoke('report', {})).text);
    const taskRoot = path.join(dir, 'report');
    expect(seen.cwd).toBe(taskRoot);
    expect(seen.env).toMatchObject({
      LAMBDA_TASK_ROOT: taskRoot,
      _HANDLER: 'index.handler',
      AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
      AWS_LAMBDA_FUNCTION_NAME: 'report',
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_LOG_GROUP_NAME: '/aws/lambda/report',
      AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
      AWS_REGION: 'us-east-1',
      AWS_DEFAULT_REGION: 'us-east-1',
      TZ: ':UTC',
      LANG: 'en_US.UTF-8',
    });
    const env = seen.env as Record<string, string>;
    expect(env.LAMBDA_RUNTIME_DIR).toMatch(/aws-lambda-ric$/);
    expect(env.AWS_LAMBDA_RUNTIME_API).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(env.AWS_LAMBDA_LOG_STREAM_NAME).toMatch(/^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
  });
});

describe('memory', () => {
  it('bounds the heap by the memory setting', async () => {
    const seen = json((await emu.invoke('report', {})).text);
    expect(seen.execArgv).toEqual(['--max-semi-space-size=9', '--max-old-space-size=173']);
    // Old generation 173 MB plus the young generation: far below Node's default of a gigabyte or more.
    expect(seen.heapLimit).toBeLessThan(256 * 1024 * 1024);
  });

  it('ends an invocation that outgrows its heap as Runtime.ExitError, and the next one works', async () => {
    const result = await emu.invoke('hog', { hog: true });
    expect(result.functionError).toBe('Unhandled');
    expect(json(result.text)).toMatchObject({ errorType: 'Runtime.ExitError' });
    expect((await emu.invoke('hog', {})).text).toBe('"fine"');
  });
});

describe('read-only filesystem', () => {
  it('fails writes to the code with EROFS and lets the function write /tmp', async () => {
    const seen = json((await emu.invoke('writer', { name: `faasport-sandbox-${process.pid}.txt` })).text);
    expect(seen).toEqual({ taskRoot: 'EROFS', relative: 'EROFS', tmp: 'ok' });
  });
});

describe('freeze between invocations', () => {
  it('stops work left running after the response until the next invocation, which resumes it', async () => {
    const started = json((await emu.invoke('freezer', { start: true })).text);
    const pid = started.pid as number;
    await sleep(700);
    // Between invocations the runtime process is stopped, not merely idle.
    expect(processState(pid)).toBe('T');
    const read = json((await emu.invoke('freezer', { waitMs: 300 })).text);
    expect(read.pid).toBe(pid);
    const ticks = read.ticks as number[];
    const respondedAt = started.respondedAt as number;
    const handlerStartedAt = read.handlerStartedAt as number;
    // Generous margins around the two edges (answering, then being handed the next event): a 10 ms interval
    // that ran on would tick some 40 times in between.
    const whileIdle = ticks.filter((t) => t > respondedAt + 150 && t < handlerStartedAt - 150);
    expect(whileIdle).toEqual([]);
    const duringNext = ticks.filter((t) => t >= handlerStartedAt - 150);
    expect(duringNext.length).toBeGreaterThanOrEqual(3);
  });
});

describe('payload limits (6 MB synchronous)', () => {
  it('refuses an Invoke payload over 6 MB with RequestTooLargeException (413)', async () => {
    const payload = new TextEncoder().encode(JSON.stringify({ pad: 'x'.repeat(6 * 1024 * 1024) }));
    await expect(emu.invoke('big', payload)).rejects.toMatchObject({
      name: 'RequestTooLargeException',
      $metadata: { httpStatusCode: 413 },
    });
  });

  it('answers a response over 6 MB with Function.ResponseSizeTooLarge', async () => {
    const result = await emu.invoke('big', { bytes: 6_400_000 });
    expect(result.functionError).toBe('Unhandled');
    expect(json(result.text)).toEqual({
      errorType: 'Function.ResponseSizeTooLarge',
      errorMessage: 'Response payload size exceeded maximum allowed payload size (6291556 bytes).',
    });
    // Just under the limit passes.
    const fits = await emu.invoke('big', { bytes: 6_000_000 });
    expect(fits.functionError).toBeUndefined();
  });

  it('answers a request body over the HTTP API quota (10 MB) with 413 before the function runs', async () => {
    const res = await fetch(`${emu.url}/upload`, { method: 'POST', body: new Uint8Array(10 * 1024 * 1024 + 1) });
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({ message: 'Request Entity Too Large' });
  });
});

describe('front door integration timeout', () => {
  it('answers 503 when a function deployed with a timeout over 30 s outlasts the integration timeout', async () => {
    const res = await fetch(`${emu.url}/long`);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ message: 'Service Unavailable' });
  });
});

describe('stop()', () => {
  it('kills runtimes that are frozen', async () => {
    const { pid } = json((await emu.invoke('freezer', { start: true })).text) as { pid: number };
    await sleep(200);
    expect(processState(pid)).toBe('T');
    await emu.stop();
    expect(() => process.kill(pid, 0)).toThrow();
  });
});
