/**
 * The event kinds driven through the real functions-framework in-process (getTestServer builds the same
 * Express app the CLI serves, with the signature type each registration chose), over real HTTP:
 * Pub/Sub push envelopes for queue, CloudEvents (binary and structured) and legacy background events
 * for the rest.
 */
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { event, queue, schedule, storage, topic } from '../../core/define.js';
import type { CloudEvent, Context, Message, ScheduleEvent, StorageEvent } from '../../core/types.js';
import { adapt, register } from './index.js';
import type { GcpCloudEventNative, GcpPushNative } from './types.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const fixture = (name: string): any => JSON.parse(readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), 'utf8'));

interface Seen {
  input: Message | StorageEvent | ScheduleEvent | CloudEvent;
  ctx: Context;
}
const seen: Record<string, Seen[]> = {};
const record = (name: string) => (input: Seen['input'], ctx: Context) => {
  (seen[name] ??= []).push({ input, ctx });
};

const functions = {
  'q-orders': queue({ queue: 'orders' }, record('q-orders')),
  'q-fail': queue({ queue: 'orders' }, () => {
    throw new Error('secret-queue-password', { cause: new Error('db-7 refused') });
  }),
  't-signups': topic({ topic: 'signups' }, record('t-signups')),
  't-fail': topic({ topic: 'signups' }, () => {
    throw new Error('secret-topic-password');
  }),
  's-uploads': storage({ bucket: 'some-bucket' }, record('s-uploads')),
  's-created-only': storage({ bucket: 'some-bucket', events: ['created'] }, record('s-created-only')),
  'sch-nightly': schedule({ cron: '0 3 * * *' }, record('sch-nightly')),
  'e-shipped': event({ type: 'com.example.order.shipped' }, record('e-shipped')),
} as const;
type Name = keyof typeof functions;

const servers = new Map<Name, { server: Server; base: string }>();
let errors: string[] = [];
let logs: string[] = [];

beforeAll(async () => {
  for (const [name, fn] of Object.entries(functions) as [Name, (typeof functions)[Name]][]) {
    register(name, fn);
    const server = getTestServer(name);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers.set(name, { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
  }
});

afterAll(async () => {
  for (const { server } of servers.values()) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

beforeEach(() => {
  for (const key in seen) delete seen[key];
  errors = [];
  logs = [];
  vi.restoreAllMocks();
  vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void errors.push(args.map(String).join(' ')));
  vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void logs.push(args.map(String).join(' ')));
});

const post = (name: Name, body: string | Uint8Array, headers: Record<string, string>) =>
  fetch(`${servers.get(name)!.base}/`, { method: 'POST', headers, body: body as BodyInit });

const postJson = (name: Name, value: unknown, contentType = 'application/json') => post(name, JSON.stringify(value), { 'content-type': contentType });

/** A CloudEvent in binary content mode: attributes as ce-* headers, data as the body. */
function postBinary(name: Name, ce: Record<string, unknown>) {
  const headers: Record<string, string> = { 'content-type': String(ce.datacontenttype ?? 'application/json') };
  for (const [key, value] of Object.entries(ce)) {
    if (key !== 'data' && key !== 'datacontenttype') headers[`ce-${key}`] = String(value);
  }
  return post(name, typeof ce.data === 'string' ? ce.data : JSON.stringify(ce.data), headers);
}

const only = (name: string) => {
  expect(seen[name]).toHaveLength(1);
  return seen[name]![0]!;
};

const pushEnvelope = (message: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  message: { messageId: '11', message_id: '11', publishTime: '2024-05-06T07:08:09.123Z', publish_time: '2024-05-06T07:08:09.123Z', ...message },
  subscription: 'projects/p/subscriptions/orders-push',
  ...extra,
});

describe('queue: Pub/Sub push subscription to an HTTP function', () => {
  it('acks with 204 and hands over exact bytes, attributes, deliveryAttempt, id and publish time', async () => {
    const bytes = Uint8Array.from([0x7b, 0x20, 0xff, 0x00, 0x7d]);
    const res = await postJson('q-orders', pushEnvelope({ data: Buffer.from(bytes).toString('base64'), attributes: { k: 'v' } }, { deliveryAttempt: 4 }));
    expect(res.status).toBe(204);
    const { input, ctx } = only('q-orders');
    const msg = input as Message;
    expect([...msg.body]).toEqual([...bytes]);
    expect(msg).toMatchObject({ id: '11', attributes: { k: 'v' }, deliveryCount: 4, source: 'orders', publishedAt: new Date('2024-05-06T07:08:09.123Z') });
    expect(ctx).toMatchObject({ provider: 'gcp', functionName: 'q-orders', invocationId: '11', deadline: undefined });
    const native = ctx.native as GcpPushNative;
    expect(native.envelope.subscription).toBe('projects/p/subscriptions/orders-push');
    expect(typeof native.req.get).toBe('function');
  });

  it('reports deliveryCount 1 when the subscription has no dead-letter policy (no deliveryAttempt)', async () => {
    expect((await postJson('q-orders', pushEnvelope({ data: 'aGk=' }))).status).toBe(204);
    expect((only('q-orders').input as Message).deliveryCount).toBe(1);
  });

  it('reads the envelope even when the request has no Content-Type', async () => {
    const res = await post('q-orders', JSON.stringify(pushEnvelope({ data: 'aGk=' })), {});
    expect(res.status).toBe(204);
    expect((only('q-orders').input as Message).text()).toBe('hi');
  });

  it('answers a handler error with 500 that leaks nothing (a nack), and logs the error with its cause', async () => {
    const res = await postJson('q-fail', pushEnvelope({ data: 'aGk=' }));
    expect(res.status).toBe(500);
    expect(await res.text()).toBe('Internal Server Error');
    const line = JSON.parse(errors.find((l) => l.includes('"severity":"ERROR"'))!);
    expect(line.error.message).toBe('secret-queue-password');
    expect(line.error.cause.message).toBe('db-7 refused');
  });

  it('answers a body that is not a push envelope with 400 and the reason, without running the handler', async () => {
    const res = await postJson('q-orders', { data: 'aGk=', attributes: {} });
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/^Bad Request: faasport: the request body is not a Pub\/Sub push envelope/);
    const bad64 = await postJson('q-orders', pushEnvelope({ data: '###' }));
    expect(bad64.status).toBe(400);
    expect(await bad64.text()).toMatch(/data is not standard base64/);
    const text = await post('q-orders', 'not json', { 'content-type': 'text/plain' });
    expect(text.status).toBe(400);
    // In faasport's words only: the engine's JSON.parse message (issue 10) quoted the bytes, half a surrogate pair included.
    expect(await text.text()).toBe('Bad Request: faasport: the push request body is not JSON (expected a Pub/Sub push envelope)');
    expect(seen['q-orders']).toBeUndefined();
    expect(errors.some((l) => l.includes('"severity":"WARNING"') && l.includes('malformed push request'))).toBe(true);
  });

  it('also reads an Eventarc messagePublished CloudEvent in binary mode (its data has the envelope shape)', async () => {
    const ce = fixture('pubsub_text-cloudevent-input');
    expect((await postBinary('q-orders', ce)).status).toBe(204);
    expect(only('q-orders').input).toMatchObject({ id: 'aaaaaa-1111-bbbb-2222-cccccccccccc', attributes: { attr1: 'attr1-value' }, deliveryCount: 1 });
  });

  it('answers methods other than POST with 405 and Allow: POST', async () => {
    const res = await fetch(`${servers.get('q-orders')!.base}/`);
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
    await res.arrayBuffer();
  });
});

describe('topic: Eventarc messagePublished CloudEvent', () => {
  it('pubsub_text in structured mode: text and attributes', async () => {
    const res = await postJson('t-signups', fixture('pubsub_text-cloudevent-input'), 'application/cloudevents+json');
    expect(res.status).toBe(204);
    const { input, ctx } = only('t-signups');
    expect((input as Message).text()).toBe('test message 3');
    expect((input as Message).attributes).toEqual({ attr1: 'attr1-value' });
    expect(ctx).toMatchObject({ provider: 'gcp', invocationId: 'aaaaaa-1111-bbbb-2222-cccccccccccc', deadline: undefined });
    expect((ctx.native as GcpCloudEventNative).cloudEvent.source).toBe('//pubsub.googleapis.com/projects/sample-project/topics/gcf-test');
  });

  it('pubsub_binary in binary mode (ce-* headers): the exact bytes', async () => {
    expect((await postBinary('t-signups', fixture('pubsub_binary-cloudevent-input'))).status).toBe(204);
    expect([...(only('t-signups').input as Message).body]).toEqual([1, 2, 3, 4]);
  });

  it.each(['pubsub_text-legacy-input', 'legacy_pubsub-legacy-input'])(
    'the legacy background event %s, converted by the framework, gives the same message',
    async (name) => {
      expect((await postJson('t-signups', fixture(name))).status).toBe(204);
      const msg = only('t-signups').input as Message;
      expect(msg.id).toBe('aaaaaa-1111-bbbb-2222-cccccccccccc');
      expect(msg.publishedAt?.toISOString()).toBe('2020-09-29T11:32:00.123Z');
      expect(msg.text()).toMatch(/^(test message 3|This is a sample message)$/);
    },
  );

  it('a raw push envelope aimed at the topic function is converted by the framework and understood', async () => {
    expect((await postJson('t-signups', pushEnvelope({ data: 'aGk=', attributes: { a: 'b' } }))).status).toBe(204);
    expect(only('t-signups').input).toMatchObject({ id: '11', attributes: { a: 'b' }, deliveryCount: 1 });
  });

  it('a handler error makes the framework answer 500 + X-Google-Status: error, with no user message in the body', async () => {
    const res = await postJson('t-fail', fixture('pubsub_text-cloudevent-input'), 'application/cloudevents+json');
    expect(res.status).toBe(500);
    expect(res.headers.get('x-google-status')).toBe('error');
    expect(await res.text()).not.toContain('secret-topic-password');
    expect(errors.some((l) => l.includes('"severity":"ERROR"') && l.includes('secret-topic-password'))).toBe(true);
  });

  it('a CloudEvent of another type is a failure (500, logged), never silently acked', async () => {
    const res = await postJson('t-signups', fixture('storage-cloudevent-input'), 'application/cloudevents+json');
    expect(res.status).toBe(500);
    await res.arrayBuffer();
    expect(seen['t-signups']).toBeUndefined();
    expect(errors.some((l) => l.includes('malformed CloudEvent') && l.includes('expected a google.cloud.pubsub.topic.v1.messagePublished'))).toBe(true);
  });
});

describe('storage: Cloud Storage CloudEvents', () => {
  it('the storage sample in binary mode: created, bucket, key, size, etag, content type, time', async () => {
    expect((await postBinary('s-uploads', fixture('storage-cloudevent-input'))).status).toBe(204);
    expect(only('s-uploads').input).toEqual({
      type: 'created',
      bucket: 'some-bucket',
      key: 'folder/Test.cs',
      size: 352,
      etag: 'CNHZkbuF/ugCEAE=',
      contentType: 'text/plain',
      time: new Date('2020-09-29T11:32:00.123Z'),
    });
  });

  it('the legacy storage background event, converted by the framework, is the same created event', async () => {
    expect((await postJson('s-uploads', fixture('storage-legacy-input'))).status).toBe(204);
    expect(only('s-uploads').input).toMatchObject({ type: 'created', bucket: 'some-bucket', key: 'folder/Test.cs', size: 352 });
  });

  it('a key with spaces, unicode and "+" arrives decoded; deleted is told apart', async () => {
    const ce = fixture('storage-cloudevent-input');
    ce.type = 'google.cloud.storage.object.v1.deleted';
    ce.data.name = 'in box/ü+1 (copy).txt';
    ce.subject = `objects/${encodeURIComponent(ce.data.name)}`;
    expect((await postBinary('s-uploads', ce)).status).toBe(204);
    expect(only('s-uploads').input).toMatchObject({ type: 'deleted', key: 'in box/ü+1 (copy).txt' });
  });

  it('acks, without running the handler, archived events and event types the function does not take', async () => {
    const archived = { ...fixture('storage-cloudevent-input'), type: 'google.cloud.storage.object.v1.archived' };
    expect((await postJson('s-uploads', archived, 'application/cloudevents+json')).status).toBe(204);
    const deleted = { ...fixture('storage-cloudevent-input'), type: 'google.cloud.storage.object.v1.deleted' };
    expect((await postJson('s-created-only', deleted, 'application/cloudevents+json')).status).toBe(204);
    expect(seen['s-uploads']).toBeUndefined();
    expect(seen['s-created-only']).toBeUndefined();
  });

  for (const type of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
    it(`a storage event of type "${type}" (an Object.prototype member) is refused with a 500 for redelivery, never acked unrun`, async () => {
      const ce = { ...fixture('storage-cloudevent-input'), type };
      const response = await postJson('s-uploads', ce, 'application/cloudevents+json');
      expect(response.status).toBe(500);
      expect(seen['s-uploads']).toBeUndefined();
    });
  }
});

describe('schedule: Cloud Scheduler -> Pub/Sub -> messagePublished', () => {
  it('scheduledTime is the message publish time', async () => {
    const ce = fixture('pubsub_text-cloudevent-input');
    ce.data.message = { data: Buffer.from('{}').toString('base64'), messageId: '9', publishTime: '2026-01-02T03:00:00.000Z' };
    expect((await postBinary('sch-nightly', ce)).status).toBe(204);
    expect((only('sch-nightly').input as ScheduleEvent).scheduledTime.toISOString()).toBe('2026-01-02T03:00:00.000Z');
  });
});

describe('event: any CloudEvent', () => {
  const shipped = {
    specversion: '1.0',
    id: 'ev-1',
    source: '/shop/orders',
    type: 'com.example.order.shipped',
    subject: 'order-42',
    time: '2026-03-04T05:06:07Z',
    datacontenttype: 'application/json',
    data: { orderId: 42, items: ['ü'] },
    shard: 'eu',
  };

  it('structured mode: every attribute, extensions and JSON data pass through', async () => {
    expect((await postJson('e-shipped', shipped, 'application/cloudevents+json')).status).toBe(204);
    const { input, ctx } = only('e-shipped');
    expect(input).toEqual(shipped);
    expect(ctx.invocationId).toBe('ev-1');
  });

  const binaryHeaders = (id: string, contentType: string) => ({
    'content-type': contentType,
    'ce-specversion': '1.0',
    'ce-id': id,
    'ce-source': '/shop/orders',
    'ce-type': 'com.example.order.shipped',
    'ce-shard': 'eu',
    traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
  });

  it('binary mode: attributes and extensions from ce-* headers, a traceparent extension, JSON data', async () => {
    const res = await post('e-shipped', JSON.stringify({ orderId: 42 }), binaryHeaders('ev-2', 'application/json'));
    expect(res.status).toBe(204);
    expect(only('e-shipped').input).toEqual({
      specversion: '1.0',
      id: 'ev-2',
      source: '/shop/orders',
      type: 'com.example.order.shipped',
      shard: 'eu',
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      data: { orderId: 42 },
    });
  });

  it('binary mode with binary data: the exact bytes', async () => {
    const bytes = Uint8Array.from([0, 255, 10, 13]);
    expect((await post('e-shipped', bytes, binaryHeaders('ev-3', 'application/octet-stream'))).status).toBe(204);
    expect([...((only('e-shipped').input as CloudEvent).data as Uint8Array)]).toEqual([0, 255, 10, 13]);
  });

  it('framework trap: binary mode with text/* data fails in the framework (500) before the handler runs', async () => {
    // functions-framework 5.0.5 checks `'context' in req.body` on the string body text/* gives and throws.
    const res = await post('e-shipped', 'plain text data', binaryHeaders('ev-4', 'text/plain'));
    expect(res.status).toBe(500);
    await res.arrayBuffer();
    expect(seen['e-shipped']).toBeUndefined();
  });

  it('a CloudEvent of another type is acked without running the handler', async () => {
    const res = await postJson('e-shipped', { ...shipped, type: 'com.example.order.created' }, 'application/cloudevents+json');
    expect(res.status).toBe(204);
    expect(seen['e-shipped']).toBeUndefined();
  });
});

describe('adapt()', () => {
  it('returns a one-parameter CloudEvent function for event kinds (the framework picks its wrapper by arity)', () => {
    expect(adapt(functions['t-signups']).length).toBe(1);
    expect(adapt(functions['q-orders']).length).toBe(2);
  });

  it('rejects something that is not a faasport function', () => {
    expect(() => adapt({} as never)).toThrow(/adapt\(\) needs a function defined with http\(\)/);
  });
});
