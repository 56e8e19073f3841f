import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { event as defineEvent } from '../../../core/define.js';
import { DeliveryFailedError } from '../../../core/events.js';
import type { CloudEvent } from '../../../core/types.js';
import { adapt } from '../adapt.js';
import type { AwsCloudEventContext } from '../types.js';
import { captureLogs, fixture, lambdaContext, REQUEST_ID, sharedFixture } from './test-helpers.js';

let logs: ReturnType<typeof captureLogs>;
beforeEach(() => (logs = captureLogs()));
afterEach(() => logs.restore());

function recorder(type: string | string[] = 'com.example.order.shipped', fail = false) {
  const seen: { ce: CloudEvent; ctx: AwsCloudEventContext }[] = [];
  const fn = defineEvent({ type }, (ce, ctx) => {
    seen.push({ ce, ctx: ctx as AwsCloudEventContext });
    if (fail) throw new Error('cannot ship');
  });
  return { seen, handler: adapt(fn, { name: 'onShipped' }) };
}

describe('event on EventBridge', () => {
  it('delivers a custom bus event as a CloudEvent', async () => {
    const { seen, handler } = recorder();
    const event = fixture('eventbridge-custom.json');
    await handler(event, lambdaContext());
    expect(seen[0]!.ce).toEqual({
      specversion: '1.0',
      id: 'a4a3b1a4-1f4e-4b7a-9b3a-2f0e2d6f6c11',
      source: 'com.example.orders',
      type: 'com.example.order.shipped',
      subject: 'arn:aws:example:eu-central-1:123456789012:order/o-123',
      time: '2024-05-06T14:15:16Z',
      datacontenttype: 'application/json',
      data: { orderId: 'o-123', items: [{ sku: 'X1', qty: 2 }], note: 'ünïcode ✓' },
      awsregion: 'eu-central-1',
      awsaccount: '123456789012',
    });
    expect(seen[0]!.ctx.invocationId).toBe(REQUEST_ID);
    expect(seen[0]!.ctx.native.event).toBe(event);
  });

  it('delivers a CloudEvent sent as detail unchanged', async () => {
    const { seen, handler } = recorder();
    const event = fixture('eventbridge-cloudevent-detail.json');
    await handler(event, lambdaContext());
    expect(seen[0]!.ce).toEqual(event.detail);
  });

  it('acks and skips, with a debug line, an event whose type the function does not take', async () => {
    const { seen, handler } = recorder('com.example.order.created');
    await handler(fixture('eventbridge-custom.json'), lambdaContext());
    expect(seen).toHaveLength(0);
    expect(logs.lines()).toEqual([
      expect.objectContaining({ level: 'debug', eventId: 'a4a3b1a4-1f4e-4b7a-9b3a-2f0e2d6f6c11', message: expect.stringContaining('skipped event of type "com.example.order.shipped"') }),
    ]);
  });

  it('takes any of several types', async () => {
    const { seen, handler } = recorder(['EC2 Instance State-change Notification', 'x']);
    await handler(sharedFixture('eventbridge/base.json'), lambdaContext());
    expect(seen[0]!.ce.type).toBe('EC2 Instance State-change Notification');
  });

  it('throws a DeliveryFailedError when the handler fails, logging the event id', async () => {
    const { handler } = recorder('com.example.order.shipped', true);
    await expect(handler(fixture('eventbridge-custom.json'), lambdaContext())).rejects.toBeInstanceOf(DeliveryFailedError);
    expect(logs.lines().find((l) => l.level === 'error')).toMatchObject({ eventId: 'a4a3b1a4-1f4e-4b7a-9b3a-2f0e2d6f6c11' });
  });

  it('throws a clear error for an event that is not from EventBridge', async () => {
    const { handler } = recorder();
    await expect(handler(sharedFixture('sqs/base.json'), lambdaContext())).rejects.toThrow(
      'faasport/aws: this event function cannot read the event: expected an EventBridge event (id, source, detail-type, detail); got an SQS event.',
    );
  });
});
