/** Named cases for hostile and careless SQS records (issue 10): one bad record never fails the batch. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { queue, schedule, storage, topic } from '../../../core/define.js';
import { BadEventError } from '../../../core/errors.js';
import type { Message } from '../../../core/types.js';
import { adapt } from '../adapt.js';
import { captureLogs, fixture, lambdaContext, REQUEST_ID, sharedFixture, sqsBatch } from './test-helpers.js';

let logs: ReturnType<typeof captureLogs>;
beforeEach(() => (logs = captureLogs()));
afterEach(() => logs.restore());

const seen: Message[] = [];
const recorder = adapt(queue({ queue: 'my-queue' }, (msg) => void seen.push(msg)), { name: 'recorder' });
beforeEach(() => (seen.length = 0));

const run = (event: unknown) => recorder(event as never, lambdaContext()) as Promise<{ batchItemFailures: { itemIdentifier: string }[] }>;
const failed = (result: { batchItemFailures: { itemIdentifier: string }[] }) => result.batchItemFailures.map((f) => f.itemIdentifier);

describe('the AWS log sink never fails a batch', () => {
  for (const [name, cause] of [
    ['a BigInt', 10n],
    ['a circular object', (() => { const c: Record<string, unknown> = {}; c.self = c; return c; })()],
  ] as const) {
    it(`a handler error whose cause is ${name} fails that message only; the log line is written`, async () => {
      const fn = adapt(queue({ queue: 'q' }, (msg) => { if (msg.id === 'm2') throw new Error('boom', { cause }); }), { name: 'q' });
      const result = await fn(sqsBatch(3) as never, lambdaContext());
      expect(failed(result as never)).toEqual(['m2']);
      const line = logs.lines().find((l) => l.level === 'error');
      expect(line).toMatchObject({ messageId: 'm2', error: { message: 'boom' } });
    });
  }
});

describe('a malformed record is a bad-event failure of that record only, with a log line naming the field', () => {
  const cases: [string, (r: any) => void, string][] = [
    ['messageAttributes null entry', (r) => (r.messageAttributes = { x: null }), 'messageAttributes["x"] has no string dataType'],
    ['messageAttributes as a string', (r) => (r.messageAttributes = 'abc'), 'messageAttributes is the string "abc"'],
    ['a non-string stringValue', (r) => (r.messageAttributes = { n: { dataType: 'Number', stringValue: 7 } }), 'messageAttributes["n"].stringValue is the number 7'],
    ['eventSourceARN as a number', (r) => (r.eventSourceARN = 42), 'eventSourceARN is the number 42'],
    ['a fractional receive count', (r) => (r.attributes = { ...r.attributes, ApproximateReceiveCount: '1.5' }), 'ApproximateReceiveCount is the string "1.5"'],
    ['a zero receive count', (r) => (r.attributes = { ...r.attributes, ApproximateReceiveCount: '0' }), 'ApproximateReceiveCount is the string "0"'],
  ];
  for (const [name, edit, text] of cases) {
    it(`${name}: m2 failed, m1 and m3 ran`, async () => {
      const event = sqsBatch(3);
      edit(event.Records[1]);
      expect(failed(await run(event))).toEqual(['m2']);
      expect(seen.map((m) => m.id)).toEqual(['m1', 'm3']);
      expect(logs.lines().find((l) => l.level === 'error')).toMatchObject({ messageId: 'm2', message: expect.stringContaining(text) });
    });
  }

  it('a record whose attributes getter throws fails alone', async () => {
    const event = sqsBatch(2);
    Object.defineProperty(event.Records[0], 'attributes', { get: () => { throw new Error('hostile'); } });
    expect(failed(await run(event))).toEqual(['m1']);
    expect(seen.map((m) => m.id)).toEqual(['m2']);
  });

  it('a record that throws while it is read is logged as unreadable: one error line naming its messageId, with the error', async () => {
    const event = sqsBatch(2);
    Object.defineProperty(event.Records[0], 'attributes', { get: () => { throw new TypeError('hostile'); } });
    expect(failed(await run(event))).toEqual(['m1']);
    expect(logs.lines()).toEqual([
      {
        level: 'error',
        message: 'faasport/aws: SQS message m1 could not be read; it is reported failed',
        function: 'recorder',
        invocationId: REQUEST_ID,
        provider: 'aws',
        messageId: 'm1',
        error: { name: 'TypeError', message: 'hostile', stack: expect.stringContaining('TypeError: hostile') },
      },
    ]);
  });
});

describe('message attributes are sanitised', () => {
  it('an attribute named __proto__ is a key like any other, never the prototype of msg.attributes', async () => {
    const event = sqsBatch(1);
    event.Records[0].messageAttributes = JSON.parse('{"__proto__":{"dataType":"String","stringValue":"x"},"constructor":{"dataType":"String","stringValue":"y"}}');
    expect(failed(await run(event))).toEqual([]);
    const attributes = seen[0]!.attributes;
    expect(Object.getPrototypeOf(attributes)).toBeNull();
    expect(Object.keys(attributes)).toEqual(['__proto__', 'constructor']);
    expect(attributes['__proto__']).toBe('x');
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it('a message without attributes has an empty map with no inherited keys', async () => {
    await run(sqsBatch(1));
    expect(seen[0]!.attributes.toString).toBeUndefined();
  });
});

describe('numeric metadata is validated', () => {
  it('an invalid SentTimestamp gives no publishedAt, never an Invalid Date', async () => {
    const event = sqsBatch(1);
    event.Records[0].attributes.SentTimestamp = 'soon';
    await run(event);
    expect(seen[0]!.publishedAt).toBeUndefined();
  });

  it('deliveryCount is the whole receive count', async () => {
    const event = sqsBatch(1);
    event.Records[0].attributes.ApproximateReceiveCount = '4';
    await run(event);
    expect(seen[0]!.deliveryCount).toBe(4);
  });
});

describe('asynchronous events the engine cannot describe are refused in faasport\'s words (issue 10, found by events.fuzz.test.ts)', () => {
  const record = () => {};
  const refusal = async (fn: (e: never, c: never) => Promise<unknown>, event: unknown) => {
    const error = await fn(event as never, lambdaContext() as never).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(BadEventError);
    return (error as Error).message;
  };

  it('a BigInt or cyclic Records[0].eventSource: the wrong-event error names the field (describeEvent used JSON.stringify)', async () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    for (const source of [10n, cyclic]) {
      const message = await refusal(adapt(topic({ topic: 't' }, record)), { Records: [{ eventSource: source }] });
      expect(message).toMatch(/got an event whose Records\[0\]\.eventSource is (the bigint 10|an object)/);
    }
  });

  it('an EventBridge scheduled event whose time is a BigInt: "time" named, no "Cannot convert a BigInt" (new Date ran before the type check)', async () => {
    const event = { ...fixture('eventbridge-scheduled.json'), time: 10n };
    expect(await refusal(adapt(schedule({ cron: '0 3 * * *' }, record)), event)).toBe(
      'faasport/aws: the EventBridge scheduled event has no valid time: "time" is the bigint 10',
    );
  });

  it('an EventBridge Scheduler payload whose scheduledTime is a BigInt', async () => {
    const message = await refusal(adapt(schedule({ cron: '0 3 * * *' }, record)), { ...fixture('scheduler-input.json'), scheduledTime: 10n });
    expect(message).toMatch(/^faasport\/aws: the EventBridge Scheduler payload has no valid scheduledTime \(it is the bigint 10\)/);
  });

  it('an S3 record whose eventTime is a BigInt or an object: eventTime named', async () => {
    for (const [time, said] of [[10n, 'the bigint 10'], [{ at: 1 }, 'an object']] as const) {
      const event = sharedFixture('s3/base.json');
      event.Records[0].eventTime = time;
      expect(await refusal(adapt(storage({ bucket: 'b' }, record)), event)).toBe(`faasport/aws: S3 record 0 has no valid time: eventTime is ${said}`);
    }
  });

  it('an S3 EventBridge event whose id is an object with a non-function toString (String() threw)', async () => {
    const event = { ...fixture('eventbridge-s3-object-created.json'), id: { toString: 'x' } };
    const seen: unknown[] = [];
    await adapt(storage({ bucket: 'b' }, (e) => void seen.push(e)))(event as never, lambdaContext());
    expect(seen).toHaveLength(1);
  });

  it('an SNS record carrying S3 whose Sns.Message is such an object: refused naming Sns.Message', async () => {
    const event = fixture('sns-s3-message.json');
    event.Records[0].Sns.Message = { toString: 'x' };
    expect(await refusal(adapt(storage({ bucket: 'b' }, record)), event)).toMatch(/^faasport\/aws: the Sns\.Message of SNS record 0 does not carry an S3 notification/);
  });
});
