/**
 * The emulator end to end: a GCP app bundled like `faasport build` does (functions-framework left
 * external, in a temp dir outside any node_modules tree), run by the real functions-framework CLI.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGcpEmulator, type GcpEmulator } from './index.js';
import { buildGcpApp } from './test-build.js';
const sha256 = (bytes: Uint8Array | ArrayBuffer) => createHash('sha256').update(new Uint8Array(bytes)).digest('hex');

interface AppFunction {
  name: string;
  exportName: string;
  route: string;
  methods?: string[];
}

const APP: AppFunction[] = [
  { name: 'getItem', exportName: 'getItem', route: '/items/:id', methods: ['GET'] },
  { name: 'deleteItem', exportName: 'deleteItem', route: '/items/:id', methods: ['DELETE'] },
  { name: 'echo', exportName: 'echo', route: '/echo/*' },
  { name: 'cookies', exportName: 'cookies', route: '/cookies', methods: ['GET'] },
  { name: 'fail', exportName: 'fail', route: '/fail' },
  { name: 'crash', exportName: 'crash', route: '/crash/:mode' },
];

/** Writes index.mjs, package.json and faasport.json as codegen does for gcp. */
const buildApp = (functions: AppFunction[], registered = functions): Promise<string> => {
  const entry = (f: AppFunction) => ({ name: f.name, exportName: f.exportName, kind: 'http', options: { route: f.route, ...(f.methods ? { methods: f.methods } : {}) } });
  return buildGcpApp('./test-app.js', functions.map(entry), registered.map(entry));
};

/** Live processes whose command line names this app dir (Linux /proc). */
async function processesFor(dir: string): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = await readFile(`/proc/${entry}/cmdline`, 'utf8');
      const stat = await readFile(`/proc/${entry}/stat`, 'utf8');
      if (cmdline.includes(`--source=${dir}`) && !/^\d+ \(.*\) Z/.test(stat)) pids.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return pids;
}

describe('GCP emulator', () => {
  let dir: string;
  let emulator: GcpEmulator;
  const output: string[] = [];

  beforeAll(async () => {
    dir = await buildApp(APP);
    emulator = await startGcpEmulator({ dir, onOutput: (name, stream, line) => output.push(`${name}:${stream}:${line}`) });
  });

  afterAll(async () => {
    await emulator?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('routes GET with params and repeated query keys through the front door to the real framework', async () => {
    const res = await fetch(`${emulator.url}/items/caf%C3%A9?tag=a&tag=b`);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-item-id')).toBe('caf%C3%A9');
    const seen = await res.json();
    expect(seen).toMatchObject({ id: 'café', query: [['tag', 'a'], ['tag', 'b']], functionName: 'getItem' });
  });

  it('picks among functions sharing a route by method, and answers 404 for a method none declares', async () => {
    const deleted = await fetch(`${emulator.url}/items/7`, { method: 'DELETE' });
    expect(await deleted.json()).toEqual({ deleted: '7', functionName: 'deleteItem' });
    const put = await fetch(`${emulator.url}/items/7`, { method: 'PUT' });
    expect(put.status).toBe(404);
    expect(await put.json()).toEqual({ message: 'Not Found' });
  });

  it('round-trips a binary POST body byte-exact, with status text and trace headers added by the front door', async () => {
    const sent = Uint8Array.from({ length: 70_000 }, (_, i) => (i * 31 + 7) % 256);
    const res = await fetch(`${emulator.url}/echo/bin`, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: sent });
    expect(res.status).toBe(200);
    expect(res.statusText).toBe('Echoed');
    expect(res.headers.get('x-body-sha256')).toBe(sha256(sent));
    expect(res.headers.get('x-invocation-source')).toBe('trace');
    expect(sha256(await res.arrayBuffer())).toBe(sha256(sent));
  });

  it('keeps two Set-Cookie headers end to end', async () => {
    const res = await fetch(`${emulator.url}/cookies`);
    expect(res.headers.getSetCookie()).toEqual(['session=abc123; Path=/; HttpOnly', 'theme=dark; Path=/']);
    expect(await res.text()).toBe('cookies set');
  });

  it('answers a thrown error with 500 that leaks nothing, and the function logs it', async () => {
    const res = await fetch(`${emulator.url}/fail`);
    expect(res.status).toBe(500);
    const body = await res.text();
    expect(body).toBe('Internal Server Error');
    await expect.poll(() => output.find((l) => l.startsWith('fail:stderr:') && l.includes('"severity":"ERROR"'))).toBeTruthy();
    const line = output.find((l) => l.startsWith('fail:stderr:') && l.includes('"severity":"ERROR"'))!;
    expect(JSON.parse(line.slice('fail:stderr:'.length)).error.message).toBe('secret-database-password-123');
  });

  it('answers 404 for a path no function routes', async () => {
    const res = await fetch(`${emulator.url}/no/such/route`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ message: 'Not Found' });
  });

  it('restarts a function whose process exited, answering the in-flight request with a clear error', async () => {
    const before = (await (await fetch(`${emulator.url}/crash/pid`)).json()).pid as number;
    const crashed = await fetch(`${emulator.url}/crash/exit`);
    // The framework's exit hook usually gets its 500 out first; otherwise the front door answers 502.
    expect([500, 502]).toContain(crashed.status);
    expect(await crashed.text()).toMatch(/^(Internal Server Error|Bad Gateway: function "crash" closed the connection without answering \(the process exited with code 3\))/);
    const after = await fetch(`${emulator.url}/crash/pid`);
    expect(after.status).toBe(200);
    expect((await after.json()).pid).not.toBe(before);
  });
});

describe('GCP emulator lifecycle', () => {
  it('stop() leaves no function process behind and can be called twice', async () => {
    const dir = await buildApp(APP.slice(0, 2));
    try {
      const emulator = await startGcpEmulator({ dir });
      expect((await processesFor(dir)).length).toBe(2);
      await emulator.stop();
      await emulator.stop();
      expect(await processesFor(dir)).toEqual([]);
      await expect(fetch(`${emulator.url}/items/1`)).rejects.toThrow();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('fails to start with the framework output when the bundle does not register a listed function', async () => {
    const dir = await buildApp(APP.slice(0, 2), APP.slice(0, 1));
    try {
      await expect(startGcpEmulator({ dir })).rejects.toThrow(
        /function "deleteItem" failed at init: Function 'deleteItem' is not defined in the provided module\. [\s\S]*the bundle does not register it/,
      );
      expect(await processesFor(dir)).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('passes env to the functions: IGNORED_ROUTES="" lets /robots.txt reach a catch-all route', async () => {
    const dir = await buildApp([{ name: 'anything', exportName: 'anything', route: '/*' }]);
    const plain = await startGcpEmulator({ dir });
    const open = await startGcpEmulator({ dir, env: { IGNORED_ROUTES: '' } });
    try {
      const filtered = await fetch(`${plain.url}/robots.txt`);
      expect(filtered.status).toBe(404); // the framework's default filter, as deployed
      await filtered.arrayBuffer();
      expect(await (await fetch(`${open.url}/robots.txt`)).text()).toBe('handler saw /robots.txt');
    } finally {
      await Promise.all([plain.stop(), open.stop()]);
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('explains a missing faasport.json', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'faasport-gcp-empty-'));
    try {
      await expect(startGcpEmulator({ dir })).rejects.toThrow(/cannot read .*faasport\.json/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
