/**
 * Property-based test of SQS batches (issue 10): whatever is broken in some records, and whichever messages
 * the handler fails, the partial batch response lists exactly the broken and failed ones, every good message
 * runs once, and nothing throws. Inputs per property: FUZZ_RUNS (core/fuzz.testing.ts).
 */
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { queue } from '../../../core/define.js';
import { assertNoPollution, fuzzParams, hostileMap, hostileValue } from '../../../core/fuzz.testing.js';
import { adapt } from '../adapt.js';
import { captureLogs, lambdaContext, sqsBatch } from './test-helpers.js';

let logs: ReturnType<typeof captureLogs>;
beforeEach(() => (logs = captureLogs()));
afterEach(() => logs.restore());

/** Breakages a record can carry that the adapter must refuse (each a bad-event failure of that record). */
const breakage = fc.oneof(
  hostileValue.filter((v) => v !== undefined && v !== null && (typeof v !== 'object' || Array.isArray(v))).map((v) => ({ field: 'messageAttributes', value: v })),
  fc.record({ name: fc.string({ maxLength: 6 }), value: hostileValue.filter((v) => typeof v !== 'object' || v === null || Array.isArray(v)) }).map(({ name, value }) => ({
    field: 'messageAttributes',
    value: { [name]: value },
  })),
  fc.constantFrom(42, true, {}, []).map((value) => ({ field: 'eventSourceARN', value })),
  fc.constantFrom('0', '1.5', '-1', 'x', '', '1e3').map((count) => ({ field: 'attributes', value: { ApproximateReceiveCount: count, SentTimestamp: '1' } })),
);

/** Oddities a record can carry that are still a readable message. */
const harmless = fc.oneof(
  hostileMap.map((map) => Object.fromEntries(Object.entries(map).map(([k, v]) => [k, { dataType: 'String', stringValue: String(typeof v === 'bigint' ? 'n' : typeof v === 'object' ? 'o' : v) }]))),
  fc.constant(JSON.parse('{"__proto__":{"dataType":"String","stringValue":"p"}}') as object),
  fc.constant(undefined),
);

describe('SQS batches under broken records and failing handlers', () => {
  it('report exactly the broken and failed messages; good ones run once; never throw', async () => {
    const record = fc.record({ broken: fc.option(breakage, { nil: undefined }), attributes: harmless, fails: fc.boolean(), body: fc.string({ maxLength: 30 }) });
    await fc.assert(
      fc.asyncProperty(fc.array(record, { minLength: 1, maxLength: 10 }), async (specs) => {
        const event = sqsBatch(specs.length);
        const expectedFailed: string[] = [];
        const expectedRun: string[] = [];
        specs.forEach((spec, i) => {
          const r = event.Records[i];
          r.body = spec.body;
          r.messageAttributes = spec.attributes;
          if (spec.broken) r[spec.broken.field] = spec.broken.value;
          if (spec.broken) expectedFailed.push(r.messageId);
          else {
            expectedRun.push(r.messageId);
            if (spec.fails) expectedFailed.push(r.messageId);
          }
        });
        const ran: string[] = [];
        const fails = new Set(specs.flatMap((s, i) => (s.fails ? [`m${i + 1}`] : [])));
        const fn = adapt(
          queue({ queue: 'my-queue' }, (msg) => {
            ran.push(msg.id);
            expect(Object.getPrototypeOf(msg.attributes)).toBeNull();
            if (fails.has(msg.id)) throw new Error('handler failed', { cause: 10n });
          }),
          { name: 'q' },
        );
        const result = await fn(event as never, lambdaContext());
        expect(result.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(expectedFailed);
        expect(ran).toEqual(expectedRun);
        // Each unreadable record has its error line, in faasport's words, naming the broken field.
        const errors = logs.lines().filter((l) => l.level === 'error' && typeof l.message === 'string' && l.message.startsWith('faasport/aws: '));
        specs.forEach((spec, i) => {
          if (!spec.broken) return;
          const field = spec.broken.field === 'attributes' ? 'ApproximateReceiveCount' : spec.broken.field;
          expect(errors.some((l) => l.messageId === `m${i + 1}` && l.message.includes(field)), `a log line naming ${field} for m${i + 1}`).toBe(true);
        });
        logs.restore();
        logs = captureLogs();
        assertNoPollution();
      }),
      fuzzParams,
    );
  });
});
