/**
 * deliver() end to end: an app bundled like `faasport build` does, run by the real functions-framework
 * CLI (http signature for the queue's push endpoint, cloudevent for the rest); functions report what
 * they saw to a probe server the test owns.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startGcpEmulator, type GcpEmulator } from './index.js';
import { buildGcpApp, type TestAppFunction } from './test-build.js';

type Seen = Record<string, unknown> & { fn: string };

const APP: TestAppFunction[] = [
  { name: 'onOrder', exportName: 'onOrder', kind: 'queue', options: { queue: 'orders', maxAttempts: 3 } },
  { name: 'onSignup', exportName: 'onSignup', kind: 'topic', options: { topic: 'signups', maxAttempts: 3 } },
  { name: 'onUpload', exportName: 'onUpload', kind: 'storage', options: { bucket: 'uploads', events: ['created', 'deleted'] } },
  { name: 'nightly', exportName: 'nightly', kind: 'schedule', options: { cron: '0 3 * * *' } },
  { name: 'onShipped', exportName: 'onShipped', kind: 'event', options: { type: 'com.example.order.shipped' } },
  { name: 'ping', exportName: 'ping', kind: 'http', options: { route: '/ping' } },
];

let seen: Seen[] = [];
let probe: Server;
let dir: string;
let markers: string;
let emulator: GcpEmulator;

const records = (fn: string, text?: string) => seen.filter((r) => r.fn === fn && (text === undefined || r.text === text));
const b64 = (value: string | Uint8Array) => Buffer.from(value).toString('base64');
let serial = 0;
const tag = (label: string) => `${label}-${++serial}-${Date.now().toString(36)}`;

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
  dir = await buildGcpApp('./test-events-app.js', APP);
  markers = await mkdtemp(join(tmpdir(), 'faasport-gcp-markers-'));
  emulator = await startGcpEmulator({
    dir,
    env: { FAASPORT_PROBE_URL: `http://127.0.0.1:${(probe.address() as AddressInfo).port}/`, FAASPORT_MARKER_DIR: markers },
  });
});

afterAll(async () => {
  await emulator?.stop();
  await new Promise((resolve) => probe?.close(resolve));
  for (const path of [dir, markers]) if (path) await rm(path, { recursive: true, force: true });
});

beforeEach(() => {
  seen = [];
});

describe('queue: Pub/Sub push subscription', () => {
  it('delivers text, JSON with whitespace and unicode, raw bytes and attributes identical, once each', async () => {
    const json = `{ "order": "${tag('o')}",  "items": ["ü", "😀"], "n": 1.50 }`;
    const bytes = Uint8Array.from([0xff, 0x00, 0xc3, 0x28, 0x0a]);
    const report = await emulator.deliver('onOrder', {
      messages: [{ body: json, attributes: { region: 'eu-west', 'trace-id': 'abc 123' } }, { body: bytes }, { body: '', attributes: { only: 'attrs' } }],
    });
    expect(report.outcomes).toEqual([
      { attempts: 1, outcome: 'acked' },
      { attempts: 1, outcome: 'acked' },
      { attempts: 1, outcome: 'acked' },
    ]);
    const byBody = (body: string) => records('onOrder').filter((r) => r.bodyBase64 === body);
    const [first] = byBody(b64(json));
    expect(first).toMatchObject({ text: json, attributes: { region: 'eu-west', 'trace-id': 'abc 123' }, deliveryCount: 1, source: 'orders', provider: 'gcp' });
    expect(first!.id).toMatch(/^\d+$/);
    expect(first!.invocationId).toBe(first!.id);
    expect(Date.parse(first!.publishedAt as string)).toBeLessThanOrEqual(Date.now());
    expect(byBody(b64(bytes))).toHaveLength(1);
    expect(byBody('')).toMatchObject([{ attributes: { only: 'attrs' } }]);
    expect(records('onOrder')).toHaveLength(3);
  });

  it('redelivers a failing message with a growing deliveryCount, then dead-letters it; the others are acked once', async () => {
    const [ok1, bad, ok2] = [tag('ok'), tag('always-fail'), tag('ok')];
    const report = await emulator.deliver('onOrder', { messages: [{ body: ok1 }, { body: bad, attributes: { k: 'v' } }, { body: ok2 }] });
    expect(report.outcomes).toEqual([
      { attempts: 1, outcome: 'acked' },
      { attempts: 3, outcome: 'dead-lettered' },
      { attempts: 1, outcome: 'acked' },
    ]);
    expect(records('onOrder', ok1)).toHaveLength(1);
    expect(records('onOrder', ok2)).toHaveLength(1);
    expect(records('onOrder', bad).map((r) => r.deliveryCount)).toEqual([1, 2, 3]);
    const dead = emulator.deadLetters('orders').filter((d) => Buffer.from(d.message.data).toString() === bad);
    expect(dead).toHaveLength(1);
    expect(dead[0]).toMatchObject({
      functionName: 'onOrder',
      deadLetterTopic: 'orders-dead-letter',
      attempts: 3,
      lastError: 'HTTP 500',
      message: {
        attributes: {
          k: 'v',
          CloudPubSubDeadLetterSourceDeliveryCount: '3',
          CloudPubSubDeadLetterSourceSubscription: 'faasport-onOrder',
          CloudPubSubDeadLetterSourceSubscriptionProject: 'faasport-emulator',
        },
      },
    });
    expect(emulator.deadLetters('onOrder')).toEqual(emulator.deadLetters('orders-dead-letter'));
  });

  it('a crash on the first delivery loses nothing: redelivered to a new process with deliveryCount 2', async () => {
    const [crash, ok] = [tag('crash-once'), tag('ok')];
    const report = await emulator.deliver('onOrder', { messages: [{ body: crash }, { body: ok }], maxAttempts: 4 });
    expect(report.outcomes.map((o) => o.outcome)).toEqual(['acked', 'acked']);
    const crashes = records('onOrder', crash);
    expect(crashes.map((r) => r.deliveryCount)).toContain(2);
    expect(crashes.at(-1)!.pid).not.toBe(crashes[0]!.pid);
    expect(records('onOrder', ok).length).toBeGreaterThanOrEqual(1);
  });
});

describe('topic: Eventarc messagePublished', () => {
  it('delivers text and attributes identical', async () => {
    const body = `{"user":"${tag('u')}", "plan": "pro"}`;
    const report = await emulator.deliver('onSignup', { messages: [{ body, attributes: { region: 'eu-west' } }] });
    expect(report.outcomes).toEqual([{ attempts: 1, outcome: 'acked' }]);
    expect(records('onSignup', body)).toMatchObject([{ attributes: { region: 'eu-west' }, source: 'signups', deliveryCount: 1 }]);
  });

  it('retries a failing message then dead-letters it; Eventarc passes no attempt, so deliveryCount stays 1', async () => {
    const bad = tag('always-fail');
    const report = await emulator.deliver('onSignup', { messages: [{ body: bad }], maxAttempts: 2 });
    expect(report.outcomes).toEqual([{ attempts: 2, outcome: 'dead-lettered' }]);
    expect(records('onSignup', bad).map((r) => r.deliveryCount)).toEqual([1, 1]);
    expect(emulator.deadLetters('signups-dead-letter').some((d) => Buffer.from(d.message.data).toString() === bad)).toBe(true);
  });

  it('a crash on the first delivery loses nothing', async () => {
    const crash = tag('crash-once');
    const report = await emulator.deliver('onSignup', { messages: [{ body: crash }] });
    expect(report.outcomes).toEqual([{ attempts: 2, outcome: 'acked' }]);
    expect(records('onSignup', crash)).toHaveLength(2);
  });
});

describe('storage, schedule and event', () => {
  it('storage: created then deleted, key with spaces, unicode and "+" decoded, size and etag', async () => {
    const key = `in box/${tag('r')} ü+1 (copy).txt`;
    const created = await emulator.deliver('onUpload', { object: { bucket: 'uploads', key, body: 'hello storage', contentType: 'text/plain' }, type: 'created' });
    const deleted = await emulator.deliver('onUpload', { object: { bucket: 'uploads', key }, type: 'deleted' });
    expect([created.outcomes, deleted.outcomes]).toEqual([[{ attempts: 1, outcome: 'acked' }], [{ attempts: 1, outcome: 'acked' }]]);
    const [c, d] = records('onUpload');
    expect(c).toMatchObject({ type: 'created', bucket: 'uploads', key, size: 13, contentType: 'text/plain' });
    // The deleted event carries the metadata the object had.
    expect(d).toMatchObject({ type: 'deleted', bucket: 'uploads', key, size: 13, etag: c!.etag });
    expect(Date.parse(d!.time as string)).toBeGreaterThanOrEqual(Date.parse(c!.time as string));
  });

  it('schedule: the tick carries its scheduled time', async () => {
    const scheduledTime = new Date(Date.UTC(2026, 0, 2, 3, 0, 0));
    expect((await emulator.deliver('nightly', { scheduledTime })).outcomes).toEqual([{ attempts: 1, outcome: 'acked' }]);
    expect(records('nightly')).toMatchObject([{ scheduledTime: scheduledTime.toISOString() }]);
  });

  it('event: id, source, type, subject, time, data and extensions arrive; another type is acked unrun', async () => {
    const cloudEvent = {
      specversion: '1.0',
      id: tag('ce'),
      source: '/shop/orders',
      type: 'com.example.order.shipped',
      subject: 'order-42',
      time: '2026-03-04T05:06:07Z',
      datacontenttype: 'application/json',
      data: { orderId: 42, items: ['ü'] },
      shard: 'eu',
    };
    expect((await emulator.deliver('onShipped', { cloudEvent })).outcomes).toEqual([{ attempts: 1, outcome: 'acked' }]);
    expect((await emulator.deliver('onShipped', { cloudEvent: { ...cloudEvent, id: 'other', type: 'com.example.order.created' } })).outcomes).toEqual([
      { attempts: 1, outcome: 'acked' },
    ]);
    // Binary mode, as Eventarc delivers: datacontenttype travels as the Content-Type, which the framework does not
    // turn back into an attribute (it reads attributes from ce-* headers only).
    const { datacontenttype: _asContentType, ...attributes } = cloudEvent;
    expect(records('onShipped')).toEqual([{ fn: 'onShipped', pid: expect.any(Number), cloudEvent: attributes, invocationId: cloudEvent.id }]);
  });
});

describe('deliver() refuses what it cannot deliver', () => {
  it('names an unknown function, an http function, a stimulus of the wrong kind and an empty message', async () => {
    await expect(emulator.deliver('nope', { messages: [] })).rejects.toThrow(/no function "nope" in faasport\.json \(functions: nightly, onOrder/);
    await expect(emulator.deliver('ping', { messages: [] })).rejects.toThrow(/"ping" is an http function/);
    await expect(emulator.deliver('onOrder', { scheduledTime: new Date() })).rejects.toThrow(
      /"onOrder" is a queue function; deliver \{ messages: \[\{ body, attributes\? \}\] \} to it \(got a stimulus with "scheduledTime"\)/,
    );
    await expect(emulator.deliver('onOrder', { messages: [{ body: '' }] })).rejects.toThrow(/neither a body nor attributes/);
    await expect(emulator.deliver('onShipped', { cloudEvent: { specversion: '1.0', id: 'x', source: '', type: 't' } })).rejects.toThrow(/no "source"/);
    expect(seen).toEqual([]);
  });
});
