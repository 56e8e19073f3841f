import { describe, expect, it } from 'vitest';
import { queue } from '../../../core/define.js';
import { DeliveryFailedError } from '../../../core/events.js';
import type { Message } from '../../../core/types.js';
import { adapt } from '../adapt.js';
import { toStorageQueueMessage } from './queue.js';
import { invocationContext, libraryParsedString } from './test-helpers.js';

/** Trigger metadata for a Storage queue message as the library hands it (keys camel-cased, JSON values parsed). */
const metadata = {
  queueTrigger: '{ "a": 1 }',
  dequeueCount: 2,
  id: 'f4b0c1d2-0000-4000-8000-000000000001',
  insertionTime: '2024-05-01T12:00:00+00:00',
  expirationTime: '2024-05-08T12:00:00+00:00',
  nextVisibleTime: '2024-05-01T12:10:00+00:00',
  popReceipt: 'AgAAAAMAAAAAAAAA',
  sys: { methodName: 'onOrder', utcNow: '2024-05-01T12:00:01Z', randGuid: 'x' },
};

describe('Storage queue trigger -> Message', () => {
  it('keeps JSON-looking text byte-exact when the payload arrives as bytes (dataType binary)', () => {
    const text = '{ "order": 1,  "items": ["ü"] }';
    const { message, exact } = toStorageQueueMessage(Buffer.from(text), metadata, 'orders', 'inv');
    expect(exact).toBe(true);
    expect(message.text()).toBe(text);
    expect(message.json()).toEqual({ order: 1, items: ['ü'] });
  });

  it('keeps non-UTF-8 bytes', () => {
    const bytes = new Uint8Array([0, 0xff, 0xfe, 0x80]);
    expect(toStorageQueueMessage(Buffer.from(bytes), metadata, 'orders', 'inv').message.body).toEqual(bytes);
  });

  it('maps Id, DequeueCount and InsertionTime; attributes stay empty (queues have none)', () => {
    const { message } = toStorageQueueMessage(Buffer.from('x'), metadata, 'orders', 'inv');
    expect(message.id).toBe(metadata.id);
    expect(message.deliveryCount).toBe(2);
    expect(message.publishedAt).toEqual(new Date('2024-05-01T12:00:00Z'));
    expect(message.attributes).toEqual({});
    expect(message.source).toBe('orders');
  });

  it('marks a payload the library had JSON-parsed as not exact (what a binding without dataType gives)', () => {
    const { message, exact } = toStorageQueueMessage(libraryParsedString('123'), metadata, 'orders', 'inv');
    expect(exact).toBe(false);
    expect(message.text()).toBe('123');
    expect(toStorageQueueMessage('plain text', metadata, 'orders', 'inv').exact).toBe(true);
  });

  it('attributes are the empty map with no prototype, so msg.attributes.toString is no inherited key (issue 10, found by events.fuzz.test.ts)', () => {
    const { message } = toStorageQueueMessage(Buffer.from('x'), metadata, 'orders', 'inv');
    expect(Object.getPrototypeOf(message.attributes)).toBeNull();
    expect(message.attributes.toString).toBeUndefined();
  });

  it('defaults deliveryCount to 1 and the id to the invocation id when metadata is missing', () => {
    const { message } = toStorageQueueMessage(Buffer.from('x'), undefined, 'orders', 'inv-9');
    expect([message.id, message.deliveryCount, message.publishedAt]).toEqual(['inv-9', 1, undefined]);
  });
});

describe('faasport/azure queue adapter', () => {
  it('runs the handler with the message and ctx from the InvocationContext', async () => {
    let seen: { msg?: Message; provider?: string; name?: string; invocationId?: string } = {};
    const fn = queue({ queue: 'orders' }, (msg, ctx) => {
      seen = { msg, provider: ctx.provider, name: ctx.functionName, invocationId: ctx.invocationId };
    });
    const { context } = invocationContext(metadata);
    await expect(adapt(fn, { name: 'onOrder' })(Buffer.from('hello') as never, context)).resolves.toBeUndefined();
    expect(seen.msg?.text()).toBe('hello');
    expect([seen.provider, seen.name, seen.invocationId]).toEqual(['azure', 'onOrder', 'inv-42']);
  });

  it('throws a DeliveryFailedError with the cause when the handler fails, so the host retries and poisons', async () => {
    const fn = queue({ queue: 'orders' }, () => {
      throw new Error('db down');
    });
    const { context, logs } = invocationContext(metadata);
    const error = await adapt(fn)(Buffer.from('x') as never, context).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeliveryFailedError);
    expect(((error as Error).cause as Error).message).toBe('db down');
    expect(logs.some((l) => l.level === 'error')).toBe(true);
  });

  it('warns when the payload arrived parsed, and still delivers', async () => {
    let text = '';
    const fn = queue({ queue: 'orders' }, (msg) => void (text = msg.text()));
    const { context, logs } = invocationContext(metadata);
    await adapt(fn)({ a: 1 } as never, context);
    expect(text).toBe('{"a":1}');
    expect(logs.some((l) => l.level === 'warning' && String(l.args[0]).includes('JSON-parsed'))).toBe(true);
  });
});

describe('queue adapter, warnings, native and failure messages', () => {
  it('a missing payload is a bad event naming the storage queue', () => {
    expect(() => toStorageQueueMessage(undefined, {}, 'orders', 'inv')).toThrow('faasport/azure: the storage queue trigger delivered no payload');
  });

  it('warns with the message id only when the payload arrived parsed', async () => {
    const fn = queue({ queue: 'orders' }, () => undefined);
    const exact = invocationContext({ id: 'q-1' });
    await adapt(fn)(Buffer.from('x') as never, exact.context);
    expect(exact.logs.filter((l) => l.level === 'warning')).toEqual([]);
    const parsed = invocationContext({ id: 'q-1' });
    await adapt(fn)({ a: 1 } as never, parsed.context);
    expect(parsed.logs.filter((l) => l.level === 'warning')).toEqual([
      { level: 'warning', args: ['faasport/azure: the queue message arrived JSON-parsed (binding without dataType "binary"); msg.body is a re-serialisation', { id: 'q-1' }] },
    ]);
  });

  it('hands the handler the trigger and context as native, and a failure names the message', async () => {
    let native: unknown;
    const trigger = Buffer.from('x');
    const { context } = invocationContext({ id: 'q-1' });
    await adapt(queue({ queue: 'orders' }, (_msg, ctx) => void (native = ctx.native)))(trigger as never, context);
    expect(native).toEqual({ trigger, context });
    const failing = queue({ queue: 'orders' }, () => {
      throw new Error('x');
    });
    await expect(adapt(failing)(trigger as never, invocationContext({ id: 'q-1' }).context)).rejects.toThrow('faasport/azure: the queue handler of "azureName" failed on message q-1');
  });
});
