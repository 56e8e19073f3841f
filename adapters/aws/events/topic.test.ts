import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { topic } from '../../../core/define.js';
import { BadEventError } from '../../../core/errors.js';
import { DeliveryFailedError } from '../../../core/events.js';
import type { Message } from '../../../core/types.js';
import { adapt } from '../adapt.js';
import type { AwsTopicContext } from '../types.js';
import { captureLogs, fixture, lambdaContext, REQUEST_ID, sharedFixture } from './test-helpers.js';

let logs: ReturnType<typeof captureLogs>;
beforeEach(() => (logs = captureLogs()));
afterEach(() => logs.restore());

function recorder(failOn: string[] = []) {
  const seen: { msg: Message; ctx: AwsTopicContext }[] = [];
  const fn = topic({ topic: 'signups' }, async (msg, ctx) => {
    seen.push({ msg, ctx: ctx as AwsTopicContext });
    if (failOn.includes(msg.id)) throw new Error(`boom on ${msg.id}`);
  });
  return { seen, handler: adapt(fn, { name: 'onSignup' }) };
}

describe('topic on SNS', () => {
  it('delivers Sns.Message with its id, attributes, time and topic name, and answers nothing', async () => {
    const { seen, handler } = recorder();
    const event = sharedFixture('sns/base.json');
    expect(await handler(event, lambdaContext())).toBeUndefined();
    const { msg, ctx } = seen[0]!;
    expect(msg).toMatchObject({ id: '95df01b4-ee98-5cb9-9903-4c221d41eb5e', source: 'ExampleTopic', deliveryCount: 1 });
    expect(msg.text()).toBe('Hello from SNS!');
    expect(msg.attributes).toEqual({ Test: 'TestString', TestBinary: 'TestBinary' });
    expect(ctx.invocationId).toBe(REQUEST_ID);
    expect(ctx.native.record).toBe(event.Records[0]);
    expect(ctx.native.event).toBe(event);
  });

  it('throws a DeliveryFailedError when the handler fails, so that Lambda retries the event', async () => {
    const { handler } = recorder(['95df01b4-ee98-5cb9-9903-4c221d41eb5e']);
    const failure = await handler(sharedFixture('sns/base.json'), lambdaContext()).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(DeliveryFailedError);
    expect((failure as Error).message).toBe('faasport: the topic handler failed on 1 of 1 input(s); Lambda will retry the event');
    expect(((failure as Error).cause as Error).message).toBe('boom on 95df01b4-ee98-5cb9-9903-4c221d41eb5e');
    expect(logs.lines().find((l) => l.level === 'error')).toMatchObject({ messageId: '95df01b4-ee98-5cb9-9903-4c221d41eb5e' });
  });

  it('with several records, runs them all and then throws if any failed', async () => {
    const { seen, handler } = recorder(['9e0a0000-0000-4000-8000-000000000001']);
    await expect(handler(fixture('sns-two-records.json'), lambdaContext())).rejects.toThrow(/failed on 1 of 2 input/);
    expect(seen.map((s) => s.msg.text())).toEqual(['{"user":"ana","plan":"pro"}', 'plain text ✓']);
  });

  it('throws a clear error, running nothing, for a record without a message', async () => {
    const { seen, handler } = recorder();
    const event = fixture('sns-two-records.json');
    delete event.Records[1].Sns.Message;
    await expect(handler(event, lambdaContext())).rejects.toThrow(BadEventError);
    expect(seen).toHaveLength(0);
  });
});

describe('topic on SQS (SNS -> SQS fan-out)', () => {
  it('unwraps the envelope of the shared sample: message, id, topic name, time', async () => {
    const { seen, handler } = recorder();
    const event = sharedFixture('sqs/sns-body.json');
    expect(await handler(event, lambdaContext())).toEqual({ batchItemFailures: [] });
    const { msg, ctx } = seen[0]!;
    expect(msg.text()).toBe('{"message": "hello world"}');
    expect(msg).toMatchObject({ id: 'd88d4479-6ec0-54fe-b63f-1cf9df4bb16e', source: 'powertools265', deliveryCount: 1 });
    expect(msg.publishedAt).toEqual(new Date('2021-01-19T10:07:07.287Z'));
    const native = ctx.native as Extract<AwsTopicContext['native'], { carrier: unknown }>;
    expect(native.carrier).toBe(event.Records[0]);
    expect(native.record.MessageId).toBe('d88d4479-6ec0-54fe-b63f-1cf9df4bb16e');
  });

  it('takes attributes from the envelope and the delivery count from SQS', async () => {
    const { seen, handler } = recorder();
    const event = fixture('sqs-sns-envelopes.json');
    event.Records.pop();
    await handler(event, lambdaContext());
    expect(seen[0]!.msg.attributes).toEqual({ plan: 'free', bin: '3q2+7w==' });
    expect(seen[0]!.msg.deliveryCount).toBe(2);
  });

  it("puts the SNS MessageId and the carrying SQS messageId on the lines ctx.log writes", async () => {
    const handler = adapt(topic({ topic: 'signups' }, (_msg, ctx) => ctx.log.info('got it')), { name: 'onSignup' });
    const event = fixture('sqs-sns-envelopes.json');
    event.Records.pop();
    await handler(event, lambdaContext());
    expect(logs.lines()).toEqual([
      {
        level: 'info',
        message: 'got it',
        function: 'onSignup',
        invocationId: REQUEST_ID,
        provider: 'aws',
        messageId: 'c0ffee00-0000-4000-8000-000000000001',
        sqsMessageId: 'd00d0000-0000-4000-8000-000000000001',
      },
    ]);
  });

  it('reports a failed message by its SQS messageId', async () => {
    const { handler } = recorder(['c0ffee00-0000-4000-8000-000000000001']);
    const event = fixture('sqs-sns-envelopes.json');
    event.Records.pop();
    expect(await handler(event, lambdaContext())).toEqual({ batchItemFailures: [{ itemIdentifier: 'd00d0000-0000-4000-8000-000000000001' }] });
  });

  it('fails (never acks) a body that is not an SNS envelope, with a clear log line, and still runs the others', async () => {
    const { seen, handler } = recorder();
    expect(await handler(fixture('sqs-sns-envelopes.json'), lambdaContext())).toEqual({
      batchItemFailures: [{ itemIdentifier: 'd00d0000-0000-4000-8000-000000000002' }],
    });
    expect(seen).toHaveLength(1);
    expect(logs.lines().find((l) => l.level === 'error')).toMatchObject({
      messageId: 'd00d0000-0000-4000-8000-000000000002',
      message: expect.stringContaining('is not an SNS notification (expected a JSON body with Type "Notification"); a topic function fed through SQS needs raw message delivery OFF'),
    });
  });
});

describe('topic given a wrong event', () => {
  it('throws a clear error naming what arrived and what was expected', async () => {
    const { handler } = recorder();
    await expect(handler(sharedFixture('s3/base.json'), lambdaContext())).rejects.toThrow(
      'faasport/aws: this topic function cannot read the event: expected an SNS event (Records from aws:sns) or an SQS event whose bodies are SNS notifications; got an S3 event.',
    );
    await expect(handler(sharedFixture('eventbridge/base.json'), lambdaContext())).rejects.toThrow(
      /got an EventBridge event \(source "aws.ec2", detail-type "EC2 Instance State-change Notification"\)/,
    );
  });
});
