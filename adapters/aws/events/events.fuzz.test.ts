/**
 * Property-based tests of the AWS asynchronous event kinds (issue 10): SNS, S3 (direct, through SQS, through
 * EventBridge), EventBridge scheduled rules and EventBridge events read as CloudEvents. Lambda retries an
 * asynchronous invocation that throws, so "reported failed" here means: the handler rejects, with an error in
 * faasport's words naming the broken field (what the Lambda runtime logs); never an engine TypeError, never a
 * silent success for an event the handler could not read. Through SQS the batch answer lists exactly the
 * broken records, each with a log line, and the good ones run. Inputs per property: FUZZ_RUNS.
 */
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { event, schedule, storage, topic } from '../../../core/define.js';
import { BadEventError } from '../../../core/errors.js';
import { DeliveryFailedError } from '../../../core/events.js';
import { assertNoPollution, ENGINE_WORDS, fieldMutations, fuzzParams, hostileValue, namesField, PROTO_KEYS, setPath } from '../../../core/fuzz.testing.js';
import { adapt } from '../adapt.js';
import { captureLogs, fixture, lambdaContext, sharedFixture, sqsBatch } from './test-helpers.js';

let logs: ReturnType<typeof captureLogs>;
beforeEach(() => (logs = captureLogs()));
afterEach(() => logs.restore());

const inputs: unknown[] = [];
const record = (input: unknown) => void inputs.push(input);

/** A valid event of each kind, the function that takes it, and the fields a careless or hostile sender could break. */
const KINDS = {
  SNS: {
    fn: adapt(topic({ topic: 'signups' }, record)),
    event: () => fixture('sns-two-records.json'),
    fields: ['Records', 'Records.0', 'Records.0.EventSource', 'Records.0.Sns', 'Records.0.Sns.MessageId', 'Records.0.Sns.TopicArn', 'Records.0.Sns.Message', 'Records.0.Sns.Timestamp', 'Records.0.Sns.MessageAttributes', 'Records.1.Sns.MessageAttributes.plan', 'Records.1.Sns.MessageAttributes.plan.Value', ...PROTO_KEYS.map((k) => `Records.0.Sns.MessageAttributes.${k}`)],
  },
  S3: {
    fn: adapt(storage({ bucket: 'b' }, record)),
    event: () => sharedFixture('s3/base.json'),
    fields: ['Records', 'Records.0', 'Records.0.eventSource', 'Records.0.eventName', 'Records.0.eventTime', 'Records.0.s3', 'Records.0.s3.bucket', 'Records.0.s3.bucket.name', 'Records.0.s3.object', 'Records.0.s3.object.key', 'Records.0.s3.object.size', 'Records.0.s3.object.eTag', 'Records.0.s3.__proto__'],
  },
  'S3 on EventBridge': {
    fn: adapt(storage({ bucket: 'b' }, record)),
    event: () => fixture('eventbridge-s3-object-created.json'),
    fields: ['id', 'detail-type', 'time', 'detail', 'detail.bucket', 'detail.bucket.name', 'detail.object', 'detail.object.key', 'detail.object.size', 'detail.object.etag'],
  },
  'EventBridge schedule': {
    fn: adapt(schedule({ cron: '0 3 * * *' }, record)),
    event: () => fixture('eventbridge-scheduled.json'),
    fields: ['id', 'time', 'detail-type', 'source', 'detail', 'resources', 'constructor', '__proto__'],
  },
  'EventBridge event (CloudEvent)': {
    fn: adapt(event({ type: 'com.example.order.shipped' }, record)),
    event: () => fixture('eventbridge-custom.json'),
    fields: ['id', 'source', 'detail-type', 'time', 'region', 'account', 'resources', 'detail', 'detail.specversion', 'detail.__proto__', 'detail.toString', 'toString'],
  },
} as const;

/** Runs a kind's handler; the outcome as "ok" or the error it rejected with. */
async function outcome(fn: (e: never, c: never) => Promise<unknown>, e: unknown): Promise<{ ok: true } | { ok: false; error: unknown }> {
  try {
    await fn(e as never, lambdaContext() as never);
    return { ok: true };
  } catch (error) {
    return { ok: false, error };
  }
}

function expectOwnWords(error: unknown): asserts error is BadEventError {
  expect(error).toBeInstanceOf(BadEventError);
  expect((error as Error).message).toMatch(/^faasport\/aws: /);
  expect((error as Error).message).not.toMatch(ENGINE_WORDS);
}

for (const [kind, { fn, event: valid, fields }] of Object.entries(KINDS)) {
  describe(`${kind}: broken events`, () => {
    it('the valid sample runs the handler', async () => {
      inputs.length = 0;
      expect(await outcome(fn, valid())).toEqual({ ok: true });
      expect(inputs.length).toBeGreaterThan(0);
    });

    it('never raise an engine error: they run, or are refused in faasport\'s words (Lambda then retries them)', async () => {
      await fc.assert(
        fc.asyncProperty(fieldMutations(fields), async (mutations) => {
          const e = valid();
          for (const { field, value } of mutations) setPath(e, field, value);
          const result = await outcome(fn, e);
          if (!result.ok) expectOwnWords(result.error);
          assertNoPollution();
        }),
        fuzzParams,
      );
    });

    it('one broken field, when refused, is named in the error', async () => {
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...fields), hostileValue, async (field, value) => {
          const e = valid();
          setPath(e, field, value);
          const result = await outcome(fn, e);
          if (result.ok) return;
          expectOwnWords(result.error);
          if (!namesField(result.error.message, field)) throw new Error(`"${result.error.message}" does not name ${field}`);
        }),
        fuzzParams,
      );
    });
  });
}

describe('a handler error', () => {
  it('rejects with faasport\'s own message (Lambda retries), never the handler\'s text', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 1 }), fc.constantFrom(...(Object.keys(KINDS) as (keyof typeof KINDS)[])), async (secret, kind) => {
        const failing = () => {
          throw new Error(`SECRET ${secret}`);
        };
        const fns = {
          SNS: () => adapt(topic({ topic: 'signups' }, failing)),
          S3: () => adapt(storage({ bucket: 'b' }, failing)),
          'S3 on EventBridge': () => adapt(storage({ bucket: 'b' }, failing)),
          'EventBridge schedule': () => adapt(schedule({ cron: '0 3 * * *' }, failing)),
          'EventBridge event (CloudEvent)': () => adapt(event({ type: 'com.example.order.shipped' }, failing)),
        };
        const result = await outcome(fns[kind]() as never, KINDS[kind].event());
        expect(result.ok).toBe(false);
        const error = (result as { error: Error }).error;
        expect(error).toBeInstanceOf(DeliveryFailedError);
        expect(error.message).toMatch(/^faasport: the \w+ handler failed on \d+ of \d+ input\(s\)/);
        expect(error.message).not.toContain('SECRET');
      }),
      fuzzParams,
    );
  });
});

// ---- through SQS: one broken record fails alone -----------------------------------------------------------

const snsEnvelope = (id: string) => ({
  Type: 'Notification',
  MessageId: id,
  TopicArn: 'arn:aws:sns:us-east-1:123456789012:signups',
  Message: `hello ${id}`,
  Timestamp: '2024-05-03T12:00:00.000Z',
  MessageAttributes: { plan: { Type: 'String', Value: 'free' } },
});
const s3Notification = () => ({ Records: [sharedFixture('s3/base.json').Records[0]] });

const CARRIED = {
  'SNS envelopes (topic)': {
    fn: (run: (input: unknown) => void) => adapt(topic({ topic: 'signups' }, run)),
    body: (i: number) => snsEnvelope(`n${i}`) as Record<string, unknown>,
    fields: ['MessageAttributes', 'MessageAttributes.plan', 'MessageAttributes.plan.Value', 'MessageAttributes.__proto__', 'MessageAttributes.constructor'],
  },
  'S3 notifications (storage)': {
    fn: (run: (input: unknown) => void) => adapt(storage({ bucket: 'b' }, run)),
    body: () => s3Notification() as Record<string, unknown>,
    fields: ['Records.0.eventName', 'Records.0.eventTime', 'Records.0.s3', 'Records.0.s3.bucket.name', 'Records.0.s3.object.key'],
  },
} as const;

/** A breakage that cannot be read as the kind's notification: a wrong type where text or an object is due. */
const breakingValue = fc.constantFrom<unknown>(42, true, null, [], 10n, { length: 3e6 }, '%zz');

for (const [carrier, { fn: make, body, fields }] of Object.entries(CARRIED)) {
  describe(`SQS batches of ${carrier}`, () => {
    it('report exactly the unreadable messages, each with a log line naming it; good ones run once', async () => {
      const spec = fc.record({ broken: fc.option(fc.record({ field: fc.constantFrom(...fields), value: breakingValue }), { nil: undefined }) });
      await fc.assert(
        fc.asyncProperty(fc.array(spec, { minLength: 1, maxLength: 6 }), async (specs) => {
          logs.restore();
          logs = captureLogs();
          const batch = sqsBatch(specs.length);
          const bodies = specs.map((s, i) => {
            const b = body(i);
            if (s.broken) setPath(b, s.broken.field, s.broken.value);
            return b;
          });
          // (JSON.stringify drops nothing here: a BigInt is written as its digits, as a careless sender might.)
          specs.forEach((_, i) => (batch.Records[i].body = JSON.stringify(bodies[i], (_k, v: unknown) => (typeof v === 'bigint' ? Number(v) : v))));
          const ran: string[] = [];
          const fn = make(() => void ran.push('x'));
          const result = (await fn(batch as never, lambdaContext())) as { batchItemFailures: { itemIdentifier: string }[] };
          const failed = result.batchItemFailures.map((f) => f.itemIdentifier);
          // A breakage that still reads as a notification (a number key, say) runs; every refused one is listed and logged.
          const errorLines = logs.lines().filter((l) => l.level === 'error');
          for (const id of failed) {
            const line = errorLines.find((l) => l.messageId === id);
            expect(line, `log line for ${id}`).toBeDefined();
            expect(line!.message).toMatch(/^faasport\/aws: /);
            expect(line!.message).not.toMatch(ENGINE_WORDS);
          }
          specs.forEach((s, i) => {
            if (!s.broken) expect(failed).not.toContain(`m${i + 1}`);
          });
          expect(ran.length).toBeGreaterThanOrEqual(specs.filter((s) => !s.broken).length);
          // (A record refused as no created/deleted event is acknowledged unrun, with a debug line.)
          expect(ran.length).toBeLessThanOrEqual(specs.length - failed.length);
          assertNoPollution();
        }),
        fuzzParams,
      );
    });
  });
}
