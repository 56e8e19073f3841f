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
