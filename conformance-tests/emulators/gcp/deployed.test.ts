/**
 * The GCP emulator runs each function with the settings it is deployed with (faasport.json `settings`,
 * deploy.json's push subscriptions) and delivers as the platform does: the function's timeout answered with
 * Cloud Run's 504, the push subscription's ack deadline (a push that outlives it is delivered again while the
 * first call still runs), event() CloudEvents in Eventarc's binary mode, Cloud Run's 32 MiB request limit,
 * and duplicates on demand (at-least-once mode).
 */
import { randomUUID } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startGcpEmulator, type GcpEmulator } from './index.js';
import { MAX_REQUEST_BYTES } from './proxy.js';
import { buildGcpApp, type TestAppFunction } from './test-build.js';

type Seen = Record<string, unknown> & { fn: string };

// Short deployed settings keep the test quick; 1 s ack deadline and timeouts of a few seconds are still far
// above what a loaded 2-core machine needs to start a call.
const APP: TestAppFunction[] = [
  { name: 'slowOnce', exportName: 'slowOnce', kind: 'queue', options: { queue: 'jobs' }, settings: { timeout: 20, maxAttempts: 5 } },
  { name: 'tally', exportName: 'tally', kind: 'topic', options: { topic: 'tallies' }, settings: { timeout: 60, maxAttempts: 5 } },
  { name: 'onAny', exportName: 'onAny', kind: 'event', options: { type: 'com.example.blob.stored' }, settings: { timeout: 60, maxAttempts: 5 } },
  { name: 'slowHttp', exportName: 'slowHttp', kind: 'http', options: { route: '/slow' }, settings: { timeout: 2 } },
  { name: 'upload', exportName: 'upload', kind: 'http', options: { route: '/upload', methods: ['POST'] }, settings: { timeout: 60 } },
  {
    name: 'showEnv',
    exportName: 'showEnv',
    kind: 'http',
    options: { route: '/env' },
    settings: { timeout: 60, environment: { GREETING: 'deployed', API_TOKEN: { secret: 'api-token' } } },
  },
];
const ACK_DEADLINE_SECONDS = 1;

let seen: Seen[] = [];
let probe: Server;
let dir: string;
let emulator: GcpEmulator;

const waitFor = async (predicate: () => boolean, what: string) => {
  // Generous: the calls being waited for take about a second on an idle machine.
  for (const stop = Date.now() + 30_000; !predicate(); await sleep(50)) if (Date.now() > stop) throw new Error(`timed out waiting for ${what}`);
};

beforeAll(async () => {
  probe = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Seen);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  dir = await buildGcpApp('./test-deployed-app.js', APP);
  // As codegen writes it for a queue function (pushSubscriptions[].ackDeadlineSeconds); a test-sized value.
  await writeFile(join(dir, 'deploy.json'), JSON.stringify({ pushSubscriptions: [{ name: 'slowOnce-push', function: 'slowOnce', ackDeadlineSeconds: ACK_DEADLINE_SECONDS }] }));
  emulator = await startGcpEmulator({
    dir,
    env: { FAASPORT_PROBE_URL: `http://127.0.0.1:${(probe.address() as AddressInfo).port}/` },
    // Every handled message is delivered twice unless its stimulus says otherwise.
    atLeastOnce: { duplicateRate: 1 },
  });
});

afterAll(async () => {
  await emulator?.stop();
  await new Promise((resolve) => probe?.close(resolve));
  if (dir) await rm(dir, { recursive: true, force: true });
});

beforeEach(() => {
  seen = [];
});

describe('deployed environment', () => {
  it('sets the plain values of settings.environment; a secret reference is not resolved (give it through env)', async () => {
    expect(await (await fetch(`${emulator.url}/env`)).json()).toEqual({ greeting: 'deployed', token: null });
  });
});

describe('deployed timeouts', () => {
  it("answers an HTTP call that outlives the function's deployed timeout (2 s) with 504, not before", async () => {
    const started = Date.now();
    const response = await fetch(`${emulator.url}/slow?ms=8000`);
    expect(response.status).toBe(504);
    expect(await response.text()).toBe('upstream request timeout');
    expect(Date.now() - started).toBeGreaterThanOrEqual(2_000 - 50);
    expect(await (await fetch(`${emulator.url}/slow?ms=0`)).text()).toBe('done');
  });

  it("delivers a push again when it outlives the subscription's deployed ack deadline, while the first call still runs", async () => {
    const report = await emulator.deliver('slowOnce', { messages: [{ body: 'slow:3000' }], duplicateRate: 0 });
    expect(report.outcomes).toEqual([{ attempts: 2, outcome: 'acked' }]);
    await waitFor(() => seen.filter((r) => r.phase === 'end').length === 2, 'both calls to end');
    const id = seen[0]!.id;
    // The second delivery (deliveryCount 2, same message id) starts and ends before the first call ends.
    expect(seen.map((r) => [r.phase, r.deliveryCount, r.id])).toEqual([
      ['start', 1, id],
      ['start', 2, id],
      ['end', 2, id],
      ['end', 1, id],
    ]);
  });
});

describe('event() as Eventarc delivers it (binary mode)', () => {
  it('keeps an extension attribute and delivers bytes data (data_base64) as the raw body', async () => {
    const bytes = Uint8Array.from([0, 255, 1, 128, 10, 13]);
    const cloudEvent = {
      specversion: '1.0',
      id: randomUUID(),
      source: '/blobs',
      type: 'com.example.blob.stored',
      subject: 'blob 1',
      datacontenttype: 'application/octet-stream',
      data_base64: Buffer.from(bytes).toString('base64'),
      tenant: 'eu42',
    };
    expect((await emulator.deliver('onAny', { cloudEvent, duplicateRate: 0 })).outcomes).toEqual([{ attempts: 1, outcome: 'acked' }]);
    expect(seen).toEqual([
      {
        fn: 'onAny',
        // The framework reads attributes from ce-* headers only: values stay percent-encoded as sent, and
        // datacontenttype (the Content-Type in binary mode) does not reach the handler.
        attributes: { specversion: '1.0', id: cloudEvent.id, source: '/blobs', type: 'com.example.blob.stored', subject: 'blob%201', tenant: 'eu42' },
        dataBase64: cloudEvent.data_base64,
        data: null,
      },
    ]);
  });

  it('sends JSON data as a JSON body, which the handler gets parsed', async () => {
    const cloudEvent = { specversion: '1.0', id: randomUUID(), source: '/blobs', type: 'com.example.blob.stored', data: { size: 3, tags: ['ü'] } };
    await emulator.deliver('onAny', { cloudEvent, duplicateRate: 0 });
    expect(seen).toMatchObject([{ fn: 'onAny', data: { size: 3, tags: ['ü'] }, dataBase64: null }]);
  });
});

describe('at-least-once mode', () => {
  it('delivers a handled message once more with the same id (the emulator option), and counts it', async () => {
    const report = await emulator.deliver('tally', { messages: [{ body: 'one' }, { body: 'two' }] });
    expect(report.outcomes).toEqual([
      { attempts: 1, outcome: 'acked', duplicates: 1 },
      { attempts: 1, outcome: 'acked', duplicates: 1 },
    ]);
    for (const text of ['one', 'two']) {
      const calls = seen.filter((r) => r.text === text);
      expect(calls).toHaveLength(2);
      expect(calls[1]!.id).toBe(calls[0]!.id);
    }
  });

  it("a queue's duplicate carries the next deliveryAttempt, as Pub/Sub's redelivery does; a rate of 0 on the stimulus turns it off", async () => {
    expect((await emulator.deliver('slowOnce', { messages: [{ body: 'fast' }], duplicateRate: 1 })).outcomes).toEqual([{ attempts: 1, outcome: 'acked', duplicates: 1 }]);
    expect(seen.filter((r) => r.phase === 'start').map((r) => r.deliveryCount)).toEqual([1, 2]);
    seen = [];
    expect((await emulator.deliver('tally', { messages: [{ body: 'once' }], duplicateRate: 0 })).outcomes).toEqual([{ attempts: 1, outcome: 'acked' }]);
    expect(seen).toHaveLength(1);
  });

  it('refuses an emulator option rate outside 0..1 before starting any process', async () => {
    const output: string[] = [];
    await expect(startGcpEmulator({ dir, atLeastOnce: { duplicateRate: -1 }, onOutput: (_name, _stream, line) => output.push(line) })).rejects.toThrow(
      /duplicate rate must be between 0 and 1 \(got -1\)/,
    );
    expect(output).toEqual([]);
  });

  it('refuses a duplicate rate outside 0..1 before delivering anything', async () => {
    await expect(emulator.deliver('tally', { messages: [{ body: 'x' }], duplicateRate: 2 })).rejects.toThrow(/duplicateRate must be between 0 and 1 \(got 2\)/);
    expect(seen).toEqual([]);
  });
});

describe("Cloud Run's 32 MiB request limit", () => {
  it('answers 413 to a body declared over 32 MiB; the function never runs', async () => {
    const response = await fetch(`${emulator.url}/upload`, { method: 'POST', body: new Uint8Array(MAX_REQUEST_BYTES + 1) });
    expect(response.status).toBe(413);
    expect(await response.text()).toMatch(/413\./);
    expect(await (await fetch(`${emulator.url}/upload`, { method: 'POST', body: new Uint8Array(1024) })).text()).toBe('1024');
  });

  it('answers 413 to a chunked body once it passes 32 MiB', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${emulator.url}/upload`, { method: 'POST' }, (res) => {
        res.resume();
        resolve(res.statusCode!);
      });
      req.on('error', reject);
      const chunk = new Uint8Array(1024 * 1024);
      for (let i = 0; i <= 32; i++) req.write(chunk); // 33 MiB, no Content-Length
      req.end();
    });
    expect(status).toBe(413);
  });
});
