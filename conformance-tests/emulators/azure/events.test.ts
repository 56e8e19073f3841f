import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startAzureEmulator, type AzureEmulator } from './index.js';
import { BLOB_POISON_QUEUE } from './delivery.js';
import { StorageRest } from './storage-rest.js';

const here = path.dirname(fileURLToPath(import.meta.url));

type Record_ = { fn: string } & Record<string, unknown>;

/** The test's probe: fixture functions POST what they saw. */
async function startProbe() {
  const records: Record_[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      records.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record_);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/probe`,
    records,
    of: (fn: string) => records.filter((r) => r.fn === fn),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function makeApp(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'faasport-azure-events-'));
  await build({
    entryPoints: [path.join(here, 'fixtures', 'events-app.ts')],
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: ['@azure/functions'],
    outfile: path.join(dir, 'index.mjs'),
    logLevel: 'silent',
  });
  await writeFile(path.join(dir, 'host.json'), JSON.stringify({ version: '2.0', extensions: { http: { routePrefix: '' } } }));
  await writeFile(path.join(dir, 'package.json'), JSON.stringify({ name: 'app', main: 'index.mjs', type: 'module' }));
  // As faasport build writes it: the emulator takes kinds and maxAttempts from here.
  await writeFile(
    path.join(dir, 'faasport.json'),
    JSON.stringify({
      provider: 'azure',
      functions: [
        { name: 'nightly', kind: 'schedule', options: { cron: '0 3 * * *' } },
        { name: 'onOrder', kind: 'queue', options: { queue: 'orders', maxAttempts: 3 } },
        { name: 'onShipped', kind: 'event', options: { type: 'com.example.order.shipped' } },
        { name: 'onSignup', kind: 'topic', options: { topic: 'signups', subscription: 'mail' } },
        { name: 'onUpload', kind: 'storage', options: { bucket: 'uploads', events: ['created', 'deleted'] } },
        { name: 'ping', kind: 'http', options: { route: '/ping' } },
      ],
    }),
  );
  return dir;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('azure emulator event delivery', () => {
  let dir: string;
  let emu: AzureEmulator;
  let probe: Awaited<ReturnType<typeof startProbe>>;

  beforeAll(async () => {
    probe = await startProbe();
    dir = await makeApp();
    emu = await startAzureEmulator({ dir, env: { FAASPORT_PROBE_URL: probe.url } });
  });
  afterAll(async () => {
    await emu?.stop();
    await probe?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    probe.records.length = 0;
  });

  it('registers a storage function as a blob trigger plus an Event Grid "-deleted" function', () => {
    const types = Object.fromEntries(emu.functions.map((f) => [f.name, Object.values(f.bindings).find((b) => /trigger$/i.test(String(b.type)))?.type]));
    expect(types).toEqual({
      onOrder: 'queueTrigger',
      onSignup: 'serviceBusTrigger',
      onUpload: 'blobTrigger',
      'onUpload-deleted': 'eventGridTrigger',
      nightly: 'timerTrigger',
      onShipped: 'eventGridTrigger',
      ping: 'httpTrigger',
      rawQueue: 'queueTrigger',
    });
  });

  it('shows the trap faasport avoids: without dataType the library JSON-parses the message text', async () => {
    await emu.deliver('rawQueue', { messages: [{ body: '123' }, { body: '{ "a":  1 }' }] });
    const seen = probe.of('rawQueue');
    expect(seen).toContainEqual({ fn: 'rawQueue', type: 'number', payload: 123, queueTrigger: 123, dequeueCount: 1 });
    expect(seen).toContainEqual({ fn: 'rawQueue', type: 'object', payload: { a: 1 }, queueTrigger: { a: 1 }, dequeueCount: 1 });
  });

  it('delivers queue text, JSON with whitespace and binary bytes exactly, through Azurite', async () => {
    const json = '{ "order": 1,  "items": ["ü", "😀"], "n": 1.50 }';
    const binary = new Uint8Array([0, 255, 254, 128, 10]);
    const report = await emu.deliver('onOrder', { messages: [{ body: 'plain text' }, { body: json }, { body: '123' }, { body: binary }] });
    expect(report.outcomes).toEqual(Array(4).fill({ attempts: 1, outcome: 'acked' }));
    const seen = probe.of('onOrder');
    const byBase64 = (bytes: Uint8Array) => seen.find((r) => r.bodyBase64 === Buffer.from(bytes).toString('base64'));
    expect(byBase64(new TextEncoder().encode(json))?.text).toBe(json);
    expect(byBase64(new TextEncoder().encode('123'))?.text).toBe('123');
    expect(byBase64(new TextEncoder().encode('plain text'))).toBeDefined();
    expect(byBase64(binary)).toBeDefined();
    const first = seen[0]!;
    expect(first).toMatchObject({ provider: 'azure', name: 'onOrder', source: 'orders', deliveryCount: 1, attributes: {} });
    expect(first.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(Date.now() - Date.parse(String(first.publishedAt))).toBeLessThan(60_000);
  });

  it('redelivers a failing queue message with a growing deliveryCount, poisons it, and acks the others once', async () => {
    const report = await emu.deliver('onOrder', { messages: [{ body: 'ok-1' }, { body: 'always-fail-1' }, { body: 'ok-2' }] });
    // maxAttempts 3 comes from faasport.json.
    expect(report.outcomes).toEqual([
      { attempts: 1, outcome: 'acked' },
      { attempts: 3, outcome: 'dead-lettered' },
      { attempts: 1, outcome: 'acked' },
    ]);
    const texts = (text: string) => probe.of('onOrder').filter((r) => r.text === text);
    expect(texts('ok-1')).toHaveLength(1);
    expect(texts('ok-2')).toHaveLength(1);
    expect(texts('always-fail-1').map((r) => r.deliveryCount)).toEqual([1, 2, 3]);
    const rest = new StorageRest(await emu.storage());
    const poisoned = (await rest.peekMessages('orders-poison')).map((t) => Buffer.from(t, 'base64').toString('utf8'));
    expect(poisoned).toContain('always-fail-1');
    expect(await rest.peekMessages('orders')).toEqual([]);
    expect(emu.deadLetters.at(-1)).toMatchObject({ functionName: 'onOrder', place: 'orders-poison', attempts: 3 });
  });

  it('honours maxAttempts from the stimulus', async () => {
    const report = await emu.deliver('onOrder', { messages: [{ body: 'always-fail-2' }], maxAttempts: 2 });
    expect(report.outcomes).toEqual([{ attempts: 2, outcome: 'dead-lettered' }]);
  });

  it('loses no message when the worker crashes on the first delivery', async () => {
    const before = emu.workerPid!;
    const report = await emu.deliver('onOrder', { messages: [{ body: 'crash-once-1' }] });
    expect(report.outcomes).toEqual([{ attempts: 2, outcome: 'acked' }]);
    expect(probe.of('onOrder').map((r) => r.deliveryCount)).toEqual([1, 2]);
    expect(emu.workerPid).not.toBe(before);
    expect(alive(before)).toBe(false);
  });

  it('delivers a Service Bus message with its application properties, and dead-letters a failing one', async () => {
    const body = '{"user":"u-1", "plan": "pro"}';
    const report = await emu.deliver('onSignup', {
      messages: [{ body, attributes: { region: 'eu-west', 'trace-id': 'abc-123' } }, { body: 'always-fail-3' }],
      maxAttempts: 2,
    });
    expect(report.outcomes).toEqual([
      { attempts: 1, outcome: 'acked' },
      { attempts: 2, outcome: 'dead-lettered' },
    ]);
    const ok = probe.of('onSignup').find((r) => r.text === body)!;
    expect(ok).toMatchObject({ attributes: { region: 'eu-west', 'trace-id': 'abc-123' }, source: 'signups', deliveryCount: 1 });
    expect(probe.of('onSignup').filter((r) => r.text === 'always-fail-3').map((r) => r.deliveryCount)).toEqual([1, 2]);
    expect(emu.deadLetters.at(-1)).toMatchObject({ place: 'signups/Subscriptions/mail/$DeadLetterQueue' });
  });

  it('delivers a blob created with a key holding spaces, unicode and "+", from Azurite', async () => {
    const key = 'in box/ü+1 (copy).txt';
    const report = await emu.deliver('onUpload', { type: 'created', object: { bucket: 'uploads', key, body: 'hello storage', contentType: 'text/plain' } });
    expect(report.outcomes).toEqual([{ attempts: 1, outcome: 'acked' }]);
    const [seen] = probe.of('onUpload');
    expect(seen).toMatchObject({ type: 'created', bucket: 'uploads', key, size: 13, contentType: 'text/plain' });
    expect(String(seen!.etag)).toMatch(/0x/);
    expect(Math.abs(Date.now() - Date.parse(String(seen!.time)))).toBeLessThan(60_000);
  });

  it('deletes the blob in Azurite and delivers BlobDeleted to the "-deleted" function', async () => {
    const key = 'to delete/ä+b.txt';
    await emu.deliver('onUpload', { type: 'created', object: { bucket: 'uploads', key, body: 'x' } });
    const rest = new StorageRest(await emu.storage());
    expect(await rest.blobExists('uploads', key)).toBe(true);
    const report = await emu.deliver('onUpload', { type: 'deleted', object: { bucket: 'uploads', key } });
    expect(report.outcomes).toEqual([{ attempts: 1, outcome: 'acked' }]);
    expect(await rest.blobExists('uploads', key)).toBe(false);
    expect(probe.of('onUpload').at(-1)).toMatchObject({ type: 'deleted', bucket: 'uploads', key });
  });

  it('retries a failing blob trigger, then writes the host poison message', async () => {
    const key = 'always-fail.bin';
    const report = await emu.deliver('onUpload', { type: 'created', object: { bucket: 'uploads', key, body: 'x' }, maxAttempts: 2 });
    expect(report.outcomes).toEqual([{ attempts: 2, outcome: 'dead-lettered' }]);
    const rest = new StorageRest(await emu.storage());
    const poison = (await rest.peekMessages(BLOB_POISON_QUEUE)).map((t) => JSON.parse(Buffer.from(t, 'base64').toString('utf8')) as Record<string, unknown>);
    expect(poison).toContainEqual(expect.objectContaining({ FunctionId: 'Host.Functions.onUpload', ContainerName: 'uploads', BlobName: key }));
  });

  it('fires a timer tick with its scheduledTime; a failed tick is not retried by default', async () => {
    const report = await emu.deliver('nightly', { scheduledTime: '2024-05-01T03:00:00Z' });
    expect(report.outcomes).toEqual([{ attempts: 1, outcome: 'acked' }]);
    expect(probe.of('nightly')).toEqual([{ fn: 'nightly', scheduledTime: '2024-05-01T03:00:00.000Z' }]);
    const failed = await emu.deliver('nightly', { scheduledTime: new Date('2001-01-01T03:00:00Z') });
    expect(failed.outcomes).toEqual([{ attempts: 1, outcome: 'dead-lettered' }]);
  });

  it('delivers a CloudEvent with every field through the Event Grid trigger', async () => {
    const cloudEvent = {
      specversion: '1.0',
      id: 'evt-1',
      source: '/orders',
      type: 'com.example.order.shipped',
      subject: 'orders/42',
      time: '2024-05-01T12:00:00Z',
      datacontenttype: 'application/json',
      data: { order: 42, note: '  spaced  ' },
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
    };
    const report = await emu.deliver('onShipped', { cloudEvent });
    expect(report.outcomes).toEqual([{ attempts: 1, outcome: 'acked' }]);
    expect(probe.of('onShipped')).toEqual([{ fn: 'onShipped', ...cloudEvent }]);
    const bytes = await emu.deliver('onShipped', { cloudEvent: { ...cloudEvent, id: 'evt-2', data: new Uint8Array([0, 1, 255]) } });
    expect(bytes.outcomes[0]!.outcome).toBe('acked');
    expect(probe.of('onShipped').at(-1)!.data).toEqual({ base64: 'AAH/' });
  });

  it('acks an event of another type without running the handler, and dead-letters a failing one', async () => {
    const other = await emu.deliver('onShipped', { cloudEvent: { specversion: '1.0', id: 'e', source: '/x', type: 'com.example.other' } });
    expect(other.outcomes).toEqual([{ attempts: 1, outcome: 'acked' }]);
    expect(probe.of('onShipped')).toEqual([]);
    const failing = await emu.deliver('onShipped', {
      cloudEvent: { specversion: '1.0', id: 'f', source: '/x', type: 'com.example.order.shipped', subject: 'always-fail' },
      maxAttempts: 3,
    });
    expect(failing.outcomes).toEqual([{ attempts: 3, outcome: 'dead-lettered' }]);
  });

  it('delivers blob-created as Event Grid does: a BlobCreated event POSTed to the blobs webhook, which queues it for the trigger', async () => {
    const key = 'via-event-grid.txt';
    const report = await emu.deliver('onUpload', { type: 'created', object: { bucket: 'uploads', key, body: 'eg' } });
    expect(report.outcomes).toEqual([{ attempts: 1, outcome: 'acked' }]);
    // The host's shared blob queue received the BlobTriggerMessage and has settled it.
    const rest = new StorageRest(await emu.storage());
    expect(await rest.peekMessages('azure-webjobs-blobtrigger-faasport-emulator')).toEqual([]);
    const webhook = `${emu.url}/runtime/webhooks/blobs?functionName=Host.Functions.onUpload`;
    const events = JSON.stringify([{ data: { validationCode: 'v-1' } }]);
    expect((await fetch(webhook, { method: 'POST', body: events })).status).toBe(401);
    const withKey = `${webhook}&code=${encodeURIComponent(emu.blobsExtensionKey)}`;
    const handshake = await fetch(withKey, { method: 'POST', headers: { 'aeg-event-type': 'SubscriptionValidation' }, body: events });
    expect(await handshake.json()).toEqual({ validationResponse: 'v-1' });
    expect((await fetch(withKey, { method: 'POST', body: events })).status).toBe(400);
  });

  it('delivers a handled queue message, Service Bus message, blob and event once more in at-least-once mode', async () => {
    const queue = await emu.deliver('onOrder', { messages: [{ body: 'dup-q' }], duplicateRate: 1 });
    expect(queue.outcomes).toEqual([{ attempts: 1, outcome: 'acked', duplicates: 1 }]);
    const twice = probe.of('onOrder').filter((r) => r.text === 'dup-q');
    expect(twice.map((r) => r.deliveryCount)).toEqual([1, 2]);
    expect(twice[1]!.id).toBe(twice[0]!.id);
    const bus = await emu.deliver('onSignup', { messages: [{ body: 'dup-sb' }], duplicateRate: 1 });
    expect(bus.outcomes).toEqual([{ attempts: 1, outcome: 'acked', duplicates: 1 }]);
    const blob = await emu.deliver('onUpload', { type: 'created', object: { bucket: 'uploads', key: 'dup.txt', body: 'd' }, duplicateRate: 1 });
    expect(blob.outcomes).toEqual([{ attempts: 1, outcome: 'acked', duplicates: 1 }]);
    expect(probe.of('onUpload').filter((r) => r.key === 'dup.txt')).toHaveLength(2);
    const event = await emu.deliver('onShipped', { cloudEvent: { specversion: '1.0', id: 'dup-e', source: '/x', type: 'com.example.order.shipped' }, duplicateRate: 1 });
    expect(event.outcomes).toEqual([{ attempts: 1, outcome: 'acked', duplicates: 1 }]);
    expect(probe.of('onShipped').filter((r) => r.id === 'dup-e')).toHaveLength(2);
    const none = await emu.deliver('onOrder', { messages: [{ body: 'dup-none' }], duplicateRate: 0 });
    expect(none.outcomes).toEqual([{ attempts: 1, outcome: 'acked' }]);
  });

  it('answers 414 to a URL over 4 KB and 413 to a body over 100 MB, before any function runs', async () => {
    expect((await fetch(`${emu.url}/ping?q=${'x'.repeat(5000)}`)).status).toBe(414);
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${emu.url}/ping`, { method: 'POST', headers: { 'content-length': String(104_857_601) } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.write('x');
    });
    expect(status).toBe(413);
  });

  it('tags log lines with the function whose invocation wrote them, and keeps Azurite out of them', async () => {
    await emu.deliver('onOrder', { messages: [{ body: 'tagged' }] });
    const lines = emu.logsOf('onOrder');
    expect(lines.some((l) => l.source === 'host' && l.message.includes("Executed 'Functions.onOrder' (Succeeded"))).toBe(true);
    expect(lines.every((l) => l.functionName === 'onOrder')).toBe(true);
    expect(emu.logs.some((l) => l.source === 'azurite')).toBe(true);
    expect(emu.logsOf('onUpload').some((l) => l.source === 'azurite')).toBe(false);
  });

  it('rejects an unknown function, an HTTP function and a stimulus of the wrong kind clearly', async () => {
    await expect(emu.deliver('nope', { messages: [] })).rejects.toThrow(/no function named "nope"/);
    await expect(emu.deliver('ping', { messages: [] })).rejects.toThrow(/HTTP function/);
    await expect(emu.deliver('onOrder', { scheduledTime: new Date() })).rejects.toThrow(/queue function; deliver \{ messages/);
  });
});

describe('azure emulator lifecycle with Azurite', () => {
  it('stop() ends Azurite and the worker', async () => {
    const probe = await startProbe();
    const dir = await makeApp();
    try {
      const emu = await startAzureEmulator({ dir, env: { FAASPORT_PROBE_URL: probe.url } });
      await emu.deliver('onOrder', { messages: [{ body: 'one' }] });
      const storage = await emu.storage();
      const worker = emu.workerPid!;
      await emu.stop();
      expect(alive(worker)).toBe(false);
      await expect(fetch(storage.queue)).rejects.toThrow();
    } finally {
      await probe.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
