import { describe, expect, it } from 'vitest';
import { topic } from '../../../core/define.js';
import { DeliveryFailedError } from '../../../core/events.js';
import { adapt } from '../adapt.js';
import { toServiceBusMessage } from './service-bus.js';
import { invocationContext } from './test-helpers.js';

/** Service Bus trigger metadata as the library hands it: keys camel-cased (nested ones too), JSON values parsed. */
const metadata = {
  messageId: 'msg-1',
  deliveryCount: 3,
  enqueuedTimeUtc: '2024-05-01T12:00:00Z',
  sequenceNumber: 17,
  contentType: 'application/json',
  applicationProperties: { region: 'eu-west', 'trace-id': 'abc-123', priority: 5, vip: true },
  userProperties: { region: 'eu-west', 'trace-id': 'abc-123', priority: 5, vip: true },
};

describe('Service Bus topic trigger -> Message', () => {
  it('maps MessageId, DeliveryCount, EnqueuedTimeUtc and application properties (stringified)', () => {
    const { message, exact } = toServiceBusMessage(Buffer.from('{"user": 1}'), metadata, 'signups', 'inv');
    expect(exact).toBe(true);
    expect(message.text()).toBe('{"user": 1}');
    expect(message.id).toBe('msg-1');
    expect(message.deliveryCount).toBe(3);
    expect(message.publishedAt).toEqual(new Date('2024-05-01T12:00:00Z'));
    expect(message.attributes).toEqual({ region: 'eu-west', 'trace-id': 'abc-123', priority: '5', vip: 'true' });
    expect(message.source).toBe('signups');
  });

  it('falls back to userProperties (older extensions) and to no attributes', () => {
    const { applicationProperties: _, ...older } = metadata;
    expect(toServiceBusMessage(Buffer.from('x'), older, 't', 'i').message.attributes).toMatchObject({ region: 'eu-west' });
    expect(toServiceBusMessage(Buffer.from('x'), { messageId: 'm' }, 't', 'i').message.attributes).toEqual({});
  });

  it('fails the invocation with the cause when the handler throws (the host abandons, then dead-letters)', async () => {
    const fn = topic({ topic: 'signups' }, () => {
      throw new Error('nope');
    });
    const { context } = invocationContext(metadata);
    const error = await adapt(fn)(Buffer.from('x') as never, context).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeliveryFailedError);
    expect(((error as Error).cause as Error).message).toBe('nope');
  });
});

describe('Service Bus adapter, warnings, native and failure messages', () => {
  it('a missing payload is a bad event naming Service Bus', () => {
    expect(() => toServiceBusMessage(undefined, {}, 'signups', 'inv')).toThrow('faasport/azure: the Service Bus trigger delivered no payload');
  });

  it('warns with the message id only when the payload arrived parsed', async () => {
    const fn = topic({ topic: 'signups' }, () => undefined);
    const exact = invocationContext({ messageId: 'm-1' });
    await adapt(fn)(Buffer.from('x') as never, exact.context);
    expect(exact.logs.filter((l) => l.level === 'warning')).toEqual([]);
    const parsed = invocationContext({ messageId: 'm-1' });
    await adapt(fn)({ a: 1 } as never, parsed.context);
    expect(parsed.logs.filter((l) => l.level === 'warning')).toEqual([
      { level: 'warning', args: ['faasport/azure: the Service Bus message arrived JSON-parsed (binding without dataType "binary"); msg.body is a re-serialisation', { id: 'm-1' }] },
    ]);
  });

  it('hands the handler the trigger and context as native, and a failure names the message', async () => {
    let native: unknown;
    const trigger = Buffer.from('x');
    const { context } = invocationContext({ messageId: 'm-1' });
    await adapt(topic({ topic: 'signups' }, (_msg, ctx) => void (native = ctx.native)))(trigger as never, context);
    expect(native).toEqual({ trigger, context });
    const failing = topic({ topic: 'signups' }, () => {
      throw new Error('x');
    });
    await expect(adapt(failing)(trigger as never, invocationContext({ messageId: 'm-1' }).context)).rejects.toThrow('faasport/azure: the topic handler of "azureName" failed on message m-1');
  });
});
