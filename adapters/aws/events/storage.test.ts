import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { storage } from '../../../core/define.js';
import { BadEventError } from '../../../core/errors.js';
import { DeliveryFailedError } from '../../../core/events.js';
import type { StorageEvent, StorageEventType } from '../../../core/types.js';
import { adapt } from '../adapt.js';
import type { AwsStorageContext } from '../types.js';
import { captureLogs, fixture, lambdaContext, sharedFixture } from './test-helpers.js';

let logs: ReturnType<typeof captureLogs>;
beforeEach(() => (logs = captureLogs()));
afterEach(() => logs.restore());

function recorder(options: { failOn?: string[]; events?: StorageEventType[] } = {}) {
  const seen: { obj: StorageEvent; ctx: AwsStorageContext }[] = [];
  const fn = storage({ bucket: 'uploads', ...(options.events ? { events: options.events } : {}) }, async (obj, ctx) => {
    seen.push({ obj, ctx: ctx as AwsStorageContext });
    if (options.failOn?.includes(obj.key)) throw new Error(`boom on ${obj.key}`);
  });
  return { seen, handler: adapt(fn, { name: 'onUpload' }) };
}

const summary = (seen: { obj: StorageEvent }[]) => seen.map(({ obj }) => `${obj.type} ${obj.bucket}/${obj.key}`);

describe('storage on S3', () => {
  it('delivers the shared created and deleted samples', async () => {
    const { seen, handler } = recorder();
    const event = sharedFixture('s3/base.json');
    expect(await handler(event, lambdaContext())).toBeUndefined();
    await handler(sharedFixture('s3/delete-object.json'), lambdaContext());
    expect(summary(seen)).toEqual([
      'created lambda-artifacts-deafc19498e3f2df/b21b84d653bb07b05b1e6b33684dc11b',
      'deleted lambda-artifacts-deafc19498e3f2df/b21b84d653bb07b05b1e6b33684dc11b',
    ]);
    expect(seen[0]!.obj).toMatchObject({ size: 1305107, etag: 'b21b84d653bb07b05b1e6b33684dc11b', time: new Date('2019-09-03T19:37:27.192Z') });
    expect(seen[0]!.ctx.native.record).toBe(event.Records[0]);
  });

  it('decodes keys with spaces, + and unicode, and skips other event names with a debug line', async () => {
    const { seen, handler } = recorder();
    await handler(fixture('s3-keys.json'), lambdaContext());
    expect(seen.map(({ obj }) => obj.key)).toEqual(['my file.txt', 'a+b', 'photos/café ✓ 😀.jpg', 'reports/2024/05 summary.pdf']);
    expect(logs.lines().some((l) => l.level === 'debug' && l.message.includes('S3 record 3 (ObjectRestore:Completed)'))).toBe(true);
  });

  it('skips event types the function did not ask for', async () => {
    const { seen, handler } = recorder({ events: ['deleted'] });
    await handler(fixture('s3-keys.json'), lambdaContext());
    expect(summary(seen)).toEqual(['deleted uploads/reports/2024/05 summary.pdf']);
  });

  it('throws a DeliveryFailedError after running every record when one failed', async () => {
    const { seen, handler } = recorder({ failOn: ['a+b'] });
    const failure = await handler(fixture('s3-keys.json'), lambdaContext()).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(DeliveryFailedError);
    expect((failure as Error).message).toBe('faasport: the storage handler failed on 1 of 4 input(s); Lambda will retry the event');
    expect(seen).toHaveLength(4);
    expect(logs.lines().find((l) => l.level === 'error')).toMatchObject({ key: 'a+b', bucket: 'uploads' });
  });

  it('throws a clear error, running nothing, for a record without a key', async () => {
    const { seen, handler } = recorder();
    const event = fixture('s3-keys.json');
    delete event.Records[2].s3.object.key;
    await expect(handler(event, lambdaContext())).rejects.toThrow('S3 record 2 has no eventName, s3.bucket.name and s3.object.key strings');
    expect(seen).toHaveLength(0);
  });
});

describe('storage on S3 through SQS', () => {
  it('acks the s3:TestEvent unseen and delivers the S3 records of the other messages', async () => {
    const { seen, handler } = recorder();
    const event = fixture('sqs-s3-bodies.json');
    expect(await handler(event, lambdaContext())).toEqual({ batchItemFailures: [] });
    expect(summary(seen)).toEqual(['created uploads/in/my report.csv', 'deleted uploads/in/old.csv']);
    const native = seen[0]!.ctx.native as Extract<AwsStorageContext['native'], { carrier: unknown }>;
    expect(native.carrier).toBe(event.Records[1]);
    expect(native.record.s3.object.key).toBe('in/my+report.csv');
    expect(logs.lines().some((l) => l.level === 'debug' && l.message.includes('s3:TestEvent'))).toBe(true);
  });

  it('reports the SQS message whose object failed', async () => {
    const { handler } = recorder({ failOn: ['in/old.csv'] });
    expect(await handler(fixture('sqs-s3-bodies.json'), lambdaContext())).toEqual({
      batchItemFailures: [{ itemIdentifier: '5b1c0000-0000-4000-8000-000000000002' }],
    });
  });

  it('fails (never acks) an SQS message that carries no S3 notification, with a clear log line', async () => {
    const { seen, handler } = recorder();
    const event = sharedFixture('sqs/base.json');
    expect(await handler(event, lambdaContext())).toEqual({
      batchItemFailures: [{ itemIdentifier: '059f36b4-87a3-44ab-83d2-661975830a7d' }, { itemIdentifier: '2e1424d4-f796-459a-8184-9c92662be6da' }],
    });
    expect(seen).toHaveLength(0);
    expect(logs.lines().filter((l) => l.level === 'error').map((l) => l.message)).toEqual([
      'faasport/aws: SQS message 059f36b4-87a3-44ab-83d2-661975830a7d does not carry an S3 notification (expected a JSON body with S3 Records or an SNS envelope of one)',
      'faasport/aws: SQS message 2e1424d4-f796-459a-8184-9c92662be6da does not carry an S3 notification (expected a JSON body with S3 Records or an SNS envelope of one)',
    ]);
  });
});

describe('storage on S3 through SNS', () => {
  it('reads the S3 event in Sns.Message', async () => {
    const { seen, handler } = recorder();
    const event = fixture('sns-s3-message.json');
    await handler(event, lambdaContext());
    expect(summary(seen)).toEqual(['created uploads/in/x y.txt']);
    const native = seen[0]!.ctx.native as Extract<AwsStorageContext['native'], { carrier: unknown }>;
    expect(native.carrier).toBe(event.Records[0]);
  });

  it('throws a clear error for an SNS message that is not an S3 event', async () => {
    const { handler } = recorder();
    await expect(handler(sharedFixture('sns/base.json'), lambdaContext())).rejects.toThrow(
      new BadEventError('faasport/aws: the Sns.Message of SNS record 0 does not carry an S3 notification (expected a JSON body with S3 Records or an SNS envelope of one)'),
    );
  });
});

describe('storage on S3 through EventBridge', () => {
  it('delivers Object Created and Object Deleted', async () => {
    const { seen, handler } = recorder();
    const created = fixture('eventbridge-s3-object-created.json');
    await handler(created, lambdaContext());
    await handler(fixture('eventbridge-s3-object-deleted.json'), lambdaContext());
    expect(summary(seen)).toEqual(['created uploads/docs/q1 plan+extra.txt', 'deleted uploads/docs/gone.txt']);
    expect(seen[0]!.ctx.native.record).toBe(created);
  });

  it('skips other S3 detail-types and throws DeliveryFailedError on failure', async () => {
    const { seen, handler } = recorder({ failOn: ['docs/gone.txt'] });
    const tagged = fixture('eventbridge-s3-object-created.json');
    tagged['detail-type'] = 'Object Tags Added';
    await handler(tagged, lambdaContext());
    expect(seen).toHaveLength(0);
    await expect(handler(fixture('eventbridge-s3-object-deleted.json'), lambdaContext())).rejects.toBeInstanceOf(DeliveryFailedError);
  });
});

describe('storage given a wrong event', () => {
  it('throws a clear error for EventBridge events not from S3, and for schedules', async () => {
    const { handler } = recorder();
    await expect(handler(sharedFixture('eventbridge/base.json'), lambdaContext())).rejects.toThrow(
      'faasport/aws: this storage function cannot read the event: expected an S3 event (Records from aws:s3), an SQS or SNS event carrying S3 notifications, or an S3 EventBridge event (source aws.s3); got an EventBridge event (source "aws.ec2"',
    );
    await expect(handler(fixture('scheduler-input.json'), lambdaContext())).rejects.toThrow(/got an EventBridge Scheduler payload\./);
  });
});
