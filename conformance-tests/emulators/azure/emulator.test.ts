import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAzureEmulator, type AzureEmulator } from './index.js';

const here = path.dirname(fileURLToPath(import.meta.url));

/** A generated-like app folder outside any node_modules tree, bundled the way codegen bundles it. */
async function makeApp(hostJson: object): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'faasport-azure-app-'));
  await build({
    entryPoints: [path.join(here, 'fixtures', 'app.ts')],
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: ['@azure/functions'],
    outfile: path.join(dir, 'index.mjs'),
    logLevel: 'silent',
  });
  await writeFile(path.join(dir, 'host.json'), JSON.stringify(hostJson));
  await writeFile(
    path.join(dir, 'package.json'),
    JSON.stringify({ name: 'app', main: 'index.mjs', type: 'module', dependencies: { '@azure/functions': '^4.16.5' } }),
  );
  return dir;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('azure emulator', () => {
  let dir: string;
  let emu: AzureEmulator;

  beforeAll(async () => {
    dir = await makeApp({ version: '2.0', extensions: { http: { routePrefix: '' } }, functionTimeout: '00:05:00' });
    emu = await startAzureEmulator({ dir, timeoutMs: 1500 });
  });

  afterAll(async () => {
    await emu?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('loads the app with the real @azure/functions and reports every registration', () => {
    expect(emu.functions.map((f) => f.name).sort()).toEqual(
      ['boom', 'cookieJar', 'crash', 'echo', 'files', 'getItem', 'hang', 'login', 'nativeThrow', 'root', 'secret'].sort(),
    );
    const getItem = emu.functions.find((f) => f.name === 'getItem')!;
    const trigger = Object.values(getItem.bindings).find((b) => b.type === 'httpTrigger')!;
    expect(trigger).toMatchObject({ route: 'items/{id}', authLevel: 'anonymous', direction: 'in' });
    expect(trigger.methods).toEqual(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
  });

  it('routes a GET with a route param and keeps repeated query keys', async () => {
    const res = await fetch(`${emu.url}/items/a%20b?tag=1&tag=2`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ id: 'a b', query: ['1', '2'], provider: 'azure', name: 'getItem' });
  });

  it('round-trips a binary POST body byte-exact', async () => {
    const sent = new Uint8Array(4096);
    for (let i = 0; i < sent.length; i++) sent[i] = (i * 31 + 7) % 256;
    const res = await fetch(`${emu.url}/echo`, { method: 'POST', body: sent, headers: { 'content-type': 'application/octet-stream' } });
    expect(res.status).toBe(200);
    const got = new Uint8Array(await res.arrayBuffer());
    expect(res.headers.get('x-sha256')).toBe(sha(sent));
    expect(sha(got)).toBe(sha(sent));
  });

  it('sends two Set-Cookie headers as the host writes them, and passes the request Cookie header', async () => {
    const res = await fetch(`${emu.url}/login`, { headers: { cookie: 'a=1; b=2' } });
    expect(res.status).toBe(200);
    expect(res.headers.getSetCookie()).toEqual(['session=abc123; path=/; secure; samesite=lax; httponly', 'theme=dark; max-age=3600; path=/']);
    expect(await res.text()).toBe('cookies: a=1; b=2');
  });

  it('keeps escaped cookie values exact and shows what the host changes', async () => {
    const res = await fetch(`${emu.url}/cookies`);
    expect(res.status).toBe(204);
    expect(res.headers.getSetCookie()).toEqual([
      'encoded=a%20b; path=/',
      'raw=abc%3D%3D; path=/', // the host runs every value through Uri.EscapeDataString
      'gone=; expires=Thu, 01 Jan 1970 00:00:01 GMT; path=/', // still in the past: the cookie is deleted
      'part=1; path=/; secure', // no Partitioned in the worker protocol
    ]);
  });

  it('hands a chunked upload (no Content-Length) to the function empty, as the host does', async () => {
    const chunks = [new TextEncoder().encode('part one, '), new TextEncoder().encode('part two')];
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        const next = chunks.shift();
        if (next) controller.enqueue(next);
        else controller.close();
      },
    });
    const res = await fetch(`${emu.url}/echo`, { method: 'POST', body, duplex: 'half', headers: { 'content-type': 'application/octet-stream' } } as RequestInit);
    expect(res.status).toBe(200);
    expect((await res.arrayBuffer()).byteLength).toBe(0);
  });

  it('answers 401 with an empty body to a caller of an admin function without the master key', async () => {
    for (const init of [{}, { headers: { 'x-functions-key': emu.keys.function } }]) {
      const res = await fetch(`${emu.url}/secret`, init);
      expect(res.status).toBe(401);
      expect(await res.text()).toBe('');
    }
    expect(await (await fetch(`${emu.url}/secret`, { headers: { 'x-functions-key': emu.keys.master } })).text()).toBe('inside');
    expect(await (await fetch(`${emu.url}/secret?code=${encodeURIComponent(emu.keys.master)}`)).text()).toBe('inside');
  });

  it('answers HEAD with the headers and no body', async () => {
    const res = await fetch(`${emu.url}/items/h`, { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await res.text()).toBe('');
  });

  it('answers a faasport handler error with faasport 500 text, without the error', async () => {
    const res = await fetch(`${emu.url}/boom`);
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(text).toBe('Internal Server Error');
    expect(emu.logs.some((l) => l.source === 'worker' && l.level === 'error' && l.message.includes('secret detail'))).toBe(true);
  });

  it('answers a native function exception with 500 and an empty body', async () => {
    const res = await fetch(`${emu.url}/native/throw`);
    expect(res.status).toBe(500);
    expect(await res.text()).toBe('');
  });

  it('answers 404 with an empty body for a path no function routes', async () => {
    const res = await fetch(`${emu.url}/nowhere/at/all`);
    expect(res.status).toBe(404);
    expect(await res.text()).toBe('');
  });

  it('routes "/" and a wildcard to their functions', async () => {
    const root = await fetch(`${emu.url}/`);
    expect([root.status, await root.text()]).toEqual([200, 'root']);
    const files = await fetch(`${emu.url}/files/a/caf%C3%A9`);
    expect(await files.json()).toEqual({ rest: 'a/café' });
  });

  it('lets faasport answer 405 with Allow for a method the function does not take', async () => {
    const res = await fetch(`${emu.url}/items/1`, { method: 'DELETE' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD');
  });

  it('answers 500 when the worker process dies, restarts it, and serves the next request', async () => {
    const before = emu.workerPid!;
    const res = await fetch(`${emu.url}/native/crash`);
    expect(res.status).toBe(500);
    expect(await res.text()).toBe('');
    const next = await fetch(`${emu.url}/items/after-crash`);
    expect(next.status).toBe(200);
    expect(emu.workerPid).not.toBe(before);
    expect(isAlive(before)).toBe(false);
  });

  it('answers 500 when a function outlives the timeout, replaces the worker, and stays usable', async () => {
    const before = emu.workerPid!;
    const started = Date.now();
    const res = await fetch(`${emu.url}/hang`);
    expect(res.status).toBe(500);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1400);
    const next = await fetch(`${emu.url}/items/after-timeout`);
    expect(await next.json()).toMatchObject({ id: 'after-timeout' });
    expect(emu.workerPid).not.toBe(before);
  });
});

describe('azure emulator lifecycle', () => {
  it('stop() leaves no worker process behind', async () => {
    const dir = await makeApp({ version: '2.0', extensions: { http: { routePrefix: '' } } });
    try {
      const emu = await startAzureEmulator({ dir });
      const pid = emu.workerPid!;
      expect(isAlive(pid)).toBe(true);
      await emu.stop();
      expect(isAlive(pid)).toBe(false);
      const children = execFileSync('ps', ['-o', 'pid=', '--ppid', String(process.pid)], { encoding: 'utf8' });
      expect(children.split(/\s+/).filter(Boolean)).not.toContain(String(pid));
      await expect(fetch(emu.url)).rejects.toThrow();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('applies routePrefix from host.json ("api" when unset)', async () => {
    const dir = await makeApp({ version: '2.0' });
    let emu: AzureEmulator | undefined;
    try {
      emu = await startAzureEmulator({ dir });
      // Reaches the raw function (its exception gives the host's empty 500) only under the prefix.
      expect((await fetch(`${emu.url}/api/native/throw`)).status).toBe(500);
      expect((await fetch(`${emu.url}/native/throw`)).status).toBe(404);
      // faasport routes on the full path, which is why generated apps set routePrefix to "".
      const prefixed = await fetch(`${emu.url}/api/items/7`);
      expect([prefixed.status, await prefixed.text()]).toEqual([404, 'Not Found']);
    } finally {
      await emu?.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('fails to start with the app error when the entry throws at load', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'faasport-azure-bad-'));
    try {
      await writeFile(path.join(dir, 'host.json'), '{"version":"2.0"}');
      await writeFile(path.join(dir, 'package.json'), JSON.stringify({ main: 'index.mjs', type: 'module' }));
      await writeFile(path.join(dir, 'index.mjs'), "import '@azure/functions';\nthrow new Error('broken app');\n");
      await expect(startAzureEmulator({ dir })).rejects.toThrow(/broken app/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
