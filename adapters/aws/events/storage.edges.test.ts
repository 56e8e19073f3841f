import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { storage } from '../../../core/define.js';
import { BadEventError } from '../../../core/errors.js';
import type { StorageEventType } from '../../../core/types.js';
import { adapt } from '../adapt.js';
import { captureLogs, fixture, lambdaContext } from './test-helpers.js';

let logs: ReturnType<typeof captureLogs>;
beforeEach(() => (logs = captureLogs()));
afterEach(() => logs.restore());

function recorder(options: { failOn?: string[]; events?: StorageEventType[] } = {}) {
  const keys: string[] = [];
  const fn = storage({ bucket: 'uploads', ...(options.events ? { events: options.events } : {}) }, async (obj) => {
    keys.push(obj.key);
    if (options.failOn?.includes(obj.key)) throw new Error(`boom on ${obj.key}`);
  });
  return { keys, handler: adapt(fn, { name: 'onUpload' }) as unknown as (event: unknown, context: unknown) => Promise<unknown> };
}

describe('storage skip lines and log fields', () => {
  it('an S3 record of a type the function does not take: a debug line naming the record, with its key', async () => {
    const { handler } = recorder({ events: ['deleted'] });
    await handler(fixture('s3-keys.json'), lambdaContext());
    const line = logs.lines().find((l) => l.message.startsWith('faasport: skipped S3 record 0 '));
    expect(line).toMatchObject({
      level: 'debug',
      message: 'faasport: skipped S3 record 0 (ObjectCreated:Put): the function does not take "created" events',
      key: 'my file.txt',
    });
  });

  it('the s3:TestEvent through SQS: a debug line with its bucket; a failing record logs its messageId', async () => {
    const event = fixture('sqs-s3-bodies.json');
    const { handler } = recorder({ failOn: ['in/my report.csv'] });
    await handler(event, lambdaContext());
    const test = JSON.parse(event.Records[0].body) as { Bucket: string };
    const skip = logs.lines().find((l) => l.message.includes('s3:TestEvent'));
    expect(skip).toMatchObject({
      level: 'debug',
      message: `faasport: skipped SQS message ${event.Records[0].messageId}: the s3:TestEvent S3 sends when notifications are configured`,
      bucket: test.Bucket,
    });
    expect(logs.lines().find((l) => l.level === 'error')).toMatchObject({ messageId: event.Records[1].messageId, key: 'in/my report.csv' });
  });

  it('an EventBridge S3 event: skipped with "(no id)" when it has no id, and its id in the log fields otherwise', async () => {
    const event = fixture('eventbridge-s3-object-created.json');
    delete event.id;
    await recorder({ events: ['deleted'] }).handler(event, lambdaContext());
    expect(logs.lines().find((l) => l.level === 'debug')?.message).toBe(
      'faasport: skipped EventBridge event (no id) (Object Created): the function does not take "created" events',
    );
    const withId = fixture('eventbridge-s3-object-created.json');
    const { handler, keys } = recorder({ failOn: ['docs/q1 plan+extra.txt'] });
    await handler(withId, lambdaContext()).catch(() => undefined);
    expect(keys).toEqual(['docs/q1 plan+extra.txt']);
    expect(logs.lines().find((l) => l.level === 'error')).toMatchObject({ eventId: withId.id });
  });
});

describe('storage through SNS edges', () => {
  it('refuses an SNS record without a string Message, naming it', async () => {
    const { handler } = recorder();
    const expected =
      'faasport/aws: the Sns.Message of SNS record 0 does not carry an S3 notification (expected a JSON body with S3 Records or an SNS envelope of one)';
    await expect(handler({ Records: [{ EventSource: 'aws:sns' }] }, lambdaContext())).rejects.toThrow(expected);
    await expect(handler({ Records: [{ EventSource: 'aws:sns', Sns: { Message: 5 } }] }, lambdaContext())).rejects.toThrow(expected);
  });

  it('refuses, running nothing, an SNS event with a null record after the first, naming that record', async () => {
    const { handler, keys } = recorder();
    const event = fixture('sns-s3-message.json');
    event.Records.push(null);
    const error = await handler(event, lambdaContext()).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(BadEventError);
    expect((error as Error).message).toBe(
      'faasport/aws: the Sns.Message of SNS record 1 does not carry an S3 notification (expected a JSON body with S3 Records or an SNS envelope of one)',
    );
    expect(keys).toEqual([]);
  });

  it('acks an s3:TestEvent sent through SNS, running nothing', async () => {
    const { handler, keys } = recorder();
    const message = JSON.stringify({ Service: 'Amazon S3', Event: 's3:TestEvent', Bucket: 'uploads' });
    expect(await handler({ Records: [{ EventSource: 'aws:sns', Sns: { Message: message } }] }, lambdaContext())).toBeUndefined();
    expect(keys).toEqual([]);
  });
});

describe('storage given an EventBridge event that is not from S3', () => {
  it('refuses it', async () => {
    const { handler, keys } = recorder();
    await expect(handler(fixture('eventbridge-custom.json'), lambdaContext())).rejects.toThrow(
      'faasport/aws: this storage function cannot read the event: expected an S3 event (Records from aws:s3), an SQS or SNS event carrying S3 notifications, ' +
        'or an S3 EventBridge event (source aws.s3); got an EventBridge event (source "com.example.orders", detail-type "com.example.order.shipped"). ' +
        "Check the function's trigger.",
    );
    expect(keys).toEqual([]);
  });

  it('refuses an event with source aws.s3 but no detail-type: it is no EventBridge event, so it is not skipped as one', async () => {
    const { handler, keys } = recorder();
    const event = fixture('eventbridge-s3-object-created.json');
    delete event['detail-type'];
    await expect(handler(event, lambdaContext())).rejects.toThrow(
      'faasport/aws: this storage function cannot read the event: expected an S3 event (Records from aws:s3), an SQS or SNS event carrying S3 notifications, ' +
        'or an S3 EventBridge event (source aws.s3); got an object with keys version, id, source, account, time, region, .... ' +
        "Check the function's trigger.",
    );
    expect(keys).toEqual([]);
    expect(logs.lines()).toEqual([]);
  });
});
