import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { devNodeOptions, faasportFunctionOf } from './dev.js';
import { main, type Io } from './program.js';

const strip = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '');

const APP = `import { http, queue } from 'faasport';
export const hello = http({ route: '/hello' }, (_req, ctx) => new Response('hello from ' + ctx.provider));
export const onOrder = queue({ queue: 'orders' }, (msg, ctx) => {
  if (msg.text() === 'bad') throw new Error('bad order');
  ctx.log.info('order seen', { body: msg.text() });
});
`;

const projects: string[] = [];
function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'faasport-dev-'));
  projects.push(dir);
  mkdirSync(join(dir, 'src'));
  writeFileSync(join(dir, 'src', 'api.ts'), APP);
  return dir;
}
afterAll(() => {
  for (const dir of projects) rmSync(dir, { recursive: true, force: true });
});
afterEach(() => vi.restoreAllMocks());

/** Runs `faasport dev ...args` in `dir` until the test's body returns; `line` waits for an output line. */
async function withDev(dir: string, args: string[], body: (dev: { out: string[]; line: (pattern: RegExp) => Promise<string> }) => Promise<void>): Promise<number> {
  const out: string[] = [];
  const err: string[] = [];
  const stop = new AbortController();
  const io: Io = { cwd: dir, out: (l) => out.push(strip(l)), err: (l) => err.push(strip(l)), stopSignal: stop.signal };
  const exit = main(['node', 'faasport', 'dev', ...args], io);
  let failedEarly: number | undefined;
  void exit.then((code) => (failedEarly = code));
  const line = async (pattern: RegExp) => {
    // Generous: the first start of an emulator on this shared machine can take tens of seconds.
    for (let t = 0; t < 900; t++) {
      const found = out.find((l) => pattern.test(l));
      if (found) return found;
      if (failedEarly !== undefined) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`no line ${pattern}; exit ${failedEarly}; out: ${out.join(' | ')} err: ${err.join(' | ')}`);
  };
  try {
    await body({ out, line });
  } finally {
    stop.abort();
  }
  return exit;
}

const urlOf = (line: string) => line.split(/\s+/)[1]!;
const controlOf = (line: string) => /POST (http:\/\/127\.0\.0\.1:\d+)\/_faasport/.exec(line)![1]!;

/** Holds a loopback port (a free one the system picks) until closed. */
async function holdPort(): Promise<{ port: number; server: Server }> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('no port');
  return { port: address.port, server };
}

describe('faasport dev', () => {
  it('moves to the next free port when the one it wants is taken, announces it, and serves there', async () => {
    const dir = project();
    const held = await holdPort();
    try {
      const code = await withDev(dir, ['--provider', 'gcp', '--port', String(held.port)], async ({ line }) => {
        const moved = await line(/^gcp: port \d+ is taken, using \d+$/);
        const [, wanted, used] = /port (\d+) is taken, using (\d+)/.exec(moved)!;
        expect(Number(wanted)).toBe(held.port);
        expect(Number(used)).toBeGreaterThan(held.port);
        const url = urlOf(await line(/^gcp\s+http:/));
        expect(url).toBe(`http://127.0.0.1:${used}`);
        expect(await (await fetch(`${url}/hello`)).text()).toBe('hello from gcp');
      });
      expect(code).toBe(0);
    } finally {
      held.server.close();
    }
  }, 120_000);

  it('on AWS: serves a request, fires a queue message, names the log by function, maps stack traces to the source, silences the SDK warning', async () => {
    const dir = project();
    // faasport's emulator process turns the AWS SDK's Node-version warning off, unless the user chose otherwise.
    const chosen = process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED;
    delete process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED;
    const warnings = vi.spyOn(process, 'emitWarning');
    try {
      const code = await withDev(dir, ['--provider', 'aws'], async ({ line }) => {
        const url = urlOf(await line(/^aws\s+http:/));
        expect(await (await fetch(`${url}/hello`)).text()).toBe('hello from aws');
        const control = controlOf(await line(/^fire: POST/));
        const fired = await fetch(`${control}/_faasport/onOrder`, { method: 'POST', body: 'order-7' });
        expect(await fired.json()).toEqual({ aws: { outcomes: [{ attempts: 1, outcome: 'acked' }] } });
        expect(await line(/^aws\s+onOrder .*order seen.*order-7/)).toBeTruthy();
        const failing = await fetch(`${control}/_faasport/onOrder`, { method: 'POST', body: 'bad' });
        expect(await failing.json()).toEqual({ aws: { outcomes: [{ attempts: 1, outcome: 'dead-lettered' }] } });
        // --enable-source-maps in the function's process: the frame is the user's file, not the dev bundle.
        const stack = await line(/^aws\s+onOrder .*bad order/);
        expect(stack).toMatch(/src\/api\.ts:4:\d+/);
      });
      expect(code).toBe(0);
      expect(process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED).toBe('true');
      expect(warnings.mock.calls.map((c) => String(c[0]))).not.toContainEqual(expect.stringContaining('NodeVersionSupportWarning'));
    } finally {
      if (chosen === undefined) delete process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED;
      else process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = chosen;
    }
  }, 180_000);

  it("on Azure: serves a request, fires a queue message, names the handler's log by function, leaves Azurite's access log out", async () => {
    const dir = project();
    let printed: string[] = [];
    const code = await withDev(dir, ['--provider', 'azure'], async ({ out, line }) => {
      const url = urlOf(await line(/^azure\s+http:/));
      expect(await (await fetch(`${url}/hello`)).text()).toBe('hello from azure');
      const control = controlOf(await line(/^fire: POST/));
      const fired = await fetch(`${control}/_faasport/onOrder`, { method: 'POST', body: 'order-8' });
      expect(await fired.json()).toEqual({ azure: { outcomes: [{ attempts: 1, outcome: 'acked' }] } });
      expect(await line(/^azure\s+onOrder .*order seen.*order-8/)).toBeTruthy();
      printed = out;
    });
    expect(code).toBe(0);
    expect(printed.filter((l) => /devstoreaccount1|Azurite (Blob|Queue|Table) service/.test(l))).toEqual([]);
    expect(existsSync(join(dir, '.faasport-dev', 'azure'))).toBe(true);
  }, 180_000);
});

describe('dev output helpers', () => {
  it("names an Azure log line by the faasport function its invocation ran, the app's own lines 'app'", () => {
    const functions = [{ name: 'onUpload' }, { name: 'hello' }];
    expect(faasportFunctionOf('hello', functions)).toBe('hello');
    expect(faasportFunctionOf('onUpload-deleted', functions)).toBe('onUpload');
    expect(faasportFunctionOf(undefined, functions)).toBe('app');
  });

  it('adds --enable-source-maps to the NODE_OPTIONS the user has, once', () => {
    expect(devNodeOptions(undefined)).toBe('--enable-source-maps');
    expect(devNodeOptions('--max-old-space-size=512')).toBe('--max-old-space-size=512 --enable-source-maps');
    expect(devNodeOptions('--enable-source-maps')).toBe('--enable-source-maps');
  });
});
