/**
 * Property-based tests of the Azure event triggers (issue 10): storage queue, Service Bus topic, blob, Event Grid
 * (both schemas, and the BlobDeleted path of a storage function) and timer, driven through adapt() with the
 * library's own InvocationContext. The host hands one message per invocation; a handler that rejects is a failed
 * delivery the host retries and finally poisons / dead-letters, so "reported failed" means the handler rejects,
 * with an error in faasport's words that names the broken field. Whatever arrives, the handler sees only
 * well-formed input. Inputs per property: FUZZ_RUNS.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { event, queue, schedule, storage, topic } from '../../../core/define.js';
import { BadEventError } from '../../../core/errors.js';
import { DeliveryFailedError } from '../../../core/events.js';
import { assertNoPollution, ENGINE_WORDS, fieldMutations, fuzzParams, hostileValue, namesField, PROTO_KEYS, setPath } from '../../../core/fuzz.testing.js';
import type { CloudEvent, Message, ScheduleEvent, StorageEvent } from '../../../core/types.js';
import { adapt } from '../adapt.js';
import { blobDeletedHandler } from './blob-deleted.js';
import { invocationContext } from './test-helpers.js';

type Delivery = { trigger: unknown; meta: Record<string, unknown> | undefined };
type Handler = (trigger: never, context: never) => Promise<unknown>;

const seen: unknown[] = [];
const record = (input: unknown) => void seen.push(input);

const at = '2024-05-01T12:00:00+00:00';
const protoFields = (prefix: string) => PROTO_KEYS.map((k) => `${prefix}.${k}`);

/** A valid delivery of each trigger, its handler, the fields to break, and what a well-formed input looks like. */
const KINDS: Record<string, { fn: Handler; delivery: () => Delivery; fields: readonly string[]; wellFormed: (input: unknown) => void }> = {
  'storage queue': {
    fn: adapt(queue({ queue: 'orders' }, record)) as Handler,
    delivery: () => ({ trigger: Buffer.from('{"n":1}'), meta: { id: 'q-1', dequeueCount: 2, insertionTime: at, popReceipt: 'AgAA' } }),
    fields: ['trigger', 'meta', 'meta.id', 'meta.dequeueCount', 'meta.insertionTime', ...protoFields('meta')],
    wellFormed: (input) => wellFormedMessage(input as Message),
  },
  'Service Bus': {
    fn: adapt(topic({ topic: 'signups' }, record)) as Handler,
    delivery: () => ({
      trigger: Buffer.from('hi'),
      meta: { messageId: 'sb-1', deliveryCount: 1, enqueuedTimeUtc: at, applicationProperties: { plan: 'pro', seats: 5, ok: true } },
    }),
    fields: ['trigger', 'meta', 'meta.messageId', 'meta.deliveryCount', 'meta.enqueuedTimeUtc', 'meta.applicationProperties', 'meta.userProperties', 'meta.applicationProperties.plan', ...protoFields('meta.applicationProperties')],
    wellFormed: (input) => wellFormedMessage(input as Message),
  },
  blob: {
    fn: adapt(storage({ bucket: 'uploads' }, record)) as Handler,
    delivery: () => ({
      trigger: Buffer.from('content'),
      meta: { blobTrigger: 'uploads/in box/a.txt', name: 'in box/a.txt', properties: { contentLength: 7, contentType: 'text/plain', eTag: '"0x8D"', lastModified: at } },
    }),
    fields: ['trigger', 'meta', 'meta.blobTrigger', 'meta.name', 'meta.properties', 'meta.properties.contentLength', 'meta.properties.eTag', 'meta.properties.contentType', 'meta.properties.lastModified', ...protoFields('meta.properties')],
    wellFormed: (input) => wellFormedStorage(input as StorageEvent),
  },
  'Event Grid (Event Grid schema)': {
    fn: adapt(event({ type: 'Contoso.Items.ItemReceived' }, record)) as Handler,
    delivery: () => ({
      trigger: { id: 'eg-1', topic: '/subscriptions/s/resourceGroups/rg', subject: 'items/1', eventType: 'Contoso.Items.ItemReceived', eventTime: at, data: { n: 1 }, dataVersion: '1' },
      meta: undefined,
    }),
    fields: ['trigger', 'trigger.id', 'trigger.eventType', 'trigger.topic', 'trigger.subject', 'trigger.eventTime', 'trigger.data', 'trigger.dataVersion', ...protoFields('trigger'), ...protoFields('trigger.data')],
    wellFormed: (input) => wellFormedCloudEvent(input as CloudEvent),
  },
  'Event Grid (CloudEvents schema)': {
    fn: adapt(event({ type: 'com.example.shipped' }, record)) as Handler,
    delivery: () => ({
      trigger: { specversion: '1.0', id: 'ce-1', source: '/orders', type: 'com.example.shipped', time: at, data_base64: 'AAEC/w==' },
      meta: undefined,
    }),
    fields: ['trigger', 'trigger.specversion', 'trigger.id', 'trigger.source', 'trigger.type', 'trigger.data_base64', 'trigger.data', ...protoFields('trigger')],
    wellFormed: (input) => wellFormedCloudEvent(input as CloudEvent),
  },
  'blob deleted (Event Grid)': {
    fn: blobDeletedHandler(storage({ bucket: 'uploads', events: ['deleted'] }, record)) as Handler,
    delivery: () => ({
      trigger: {
        id: 'd-1',
        topic: '/subscriptions/s',
        subject: '/blobServices/default/containers/uploads/blobs/a b.txt',
        eventType: 'Microsoft.Storage.BlobDeleted',
        eventTime: at,
        data: { url: 'https://acct.blob.core.windows.net/uploads/a%20b.txt', contentType: 'text/plain' },
      },
      meta: undefined,
    }),
    fields: ['trigger', 'trigger.id', 'trigger.subject', 'trigger.eventType', 'trigger.eventTime', 'trigger.data', 'trigger.data.url', 'trigger.data.contentType'],
    wellFormed: (input) => wellFormedStorage(input as StorageEvent),
  },
  timer: {
    fn: adapt(schedule({ cron: '0 3 * * *' }, record)) as Handler,
    delivery: () => ({ trigger: { scheduleStatus: { last: at, next: new Date(Date.now() - 1000).toISOString() }, isPastDue: false }, meta: undefined }),
    fields: ['trigger', 'trigger.scheduleStatus', 'trigger.scheduleStatus.next', 'trigger.isPastDue', ...protoFields('trigger')],
    wellFormed: (input) => expect(Number.isNaN((input as ScheduleEvent).scheduledTime.getTime())).toBe(false),
  },
};

function wellFormedMessage(msg: Message): void {
  expect(typeof msg.id).toBe('string');
  expect(msg.body).toBeInstanceOf(Uint8Array);
  expect(Number.isSafeInteger(msg.deliveryCount) && msg.deliveryCount >= 1).toBe(true);
  if (msg.publishedAt !== undefined) expect(Number.isNaN(msg.publishedAt.getTime())).toBe(false);
  expect(Object.getPrototypeOf(msg.attributes)).toBeNull();
  for (const value of Object.values(msg.attributes)) expect(typeof value).toBe('string');
}

function wellFormedStorage(e: StorageEvent): void {
  expect(typeof e.bucket).toBe('string');
  expect(typeof e.key).toBe('string');
  expect(e.key).not.toBe('');
  expect(Number.isNaN(e.time.getTime())).toBe(false);
  if (e.size !== undefined) expect(Number.isSafeInteger(e.size) && e.size >= 0).toBe(true);
  for (const text of [e.etag, e.contentType]) if (text !== undefined) expect(typeof text).toBe('string');
}

function wellFormedCloudEvent(ce: CloudEvent): void {
  for (const key of ['specversion', 'id', 'source', 'type'] as const) expect(typeof ce[key]).toBe('string');
}

async function deliver(fn: Handler, delivery: Delivery) {
  const { context } = invocationContext(delivery.meta as never);
  seen.length = 0;
  try {
    await fn(delivery.trigger as never, context as never);
    return { ok: true as const };
  } catch (error) {
    return { ok: false as const, error };
  }
}

function expectOwnWords(error: unknown): asserts error is BadEventError {
  expect(error).toBeInstanceOf(BadEventError);
  expect((error as Error).message).toMatch(/^faasport\/azure: /);
  expect((error as Error).message).not.toMatch(ENGINE_WORDS);
}

for (const [kind, { fn, delivery, fields, wellFormed }] of Object.entries(KINDS)) {
  describe(`${kind}: broken deliveries`, () => {
    it('the valid sample runs the handler with well-formed input', async () => {
      expect(await deliver(fn, delivery())).toEqual({ ok: true });
      expect(seen).toHaveLength(1);
      wellFormed(seen[0]);
    });

    it('never raise an engine error: the handler runs on well-formed input, or the delivery fails in faasport\'s words', async () => {
      await fc.assert(
        fc.asyncProperty(fieldMutations(fields), async (mutations) => {
          const d = delivery();
          for (const { field, value } of mutations) setPath(d as unknown as Record<string, unknown>, field, value);
          const result = await deliver(fn, d);
          if (result.ok) for (const input of seen) wellFormed(input);
          else expectOwnWords(result.error);
          assertNoPollution();
        }),
        fuzzParams,
      );
    });

    it('one broken field, when refused, is named in the error', async () => {
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...fields), hostileValue, async (field, value) => {
          const d = delivery();
          setPath(d as unknown as Record<string, unknown>, field, value);
          const result = await deliver(fn, d);
          if (result.ok) return;
          expectOwnWords(result.error);
          // A trigger or metadata broken as a whole is named by what it is; a field inside by its own name.
          const inside = field.split('.').slice(1).join('.');
          const named = inside === '' ? /payload|metadata|event|trigger|timer/i.test(result.error.message) : namesField(result.error.message, inside);
          if (!named) throw new Error(`"${result.error.message}" does not name ${field}`);
        }),
        fuzzParams,
      );
    });
  });
}

describe('a handler error', () => {
  it('fails the delivery (the host retries, then poisons) with faasport\'s message, never the handler\'s text', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 1 }), fc.constantFrom(...Object.keys(KINDS)), async (secret, kind) => {
        const failing = () => {
          throw new Error(`SECRET ${secret}`);
        };
        const fns: Record<string, () => Handler> = {
          'storage queue': () => adapt(queue({ queue: 'orders' }, failing)) as Handler,
          'Service Bus': () => adapt(topic({ topic: 'signups' }, failing)) as Handler,
          blob: () => adapt(storage({ bucket: 'uploads' }, failing)) as Handler,
          'Event Grid (Event Grid schema)': () => adapt(event({ type: 'Contoso.Items.ItemReceived' }, failing)) as Handler,
          'Event Grid (CloudEvents schema)': () => adapt(event({ type: 'com.example.shipped' }, failing)) as Handler,
          'blob deleted (Event Grid)': () => blobDeletedHandler(storage({ bucket: 'uploads', events: ['deleted'] }, failing)) as Handler,
          timer: () => adapt(schedule({ cron: '0 3 * * *' }, failing)) as Handler,
        };
        const result = await deliver(fns[kind]!(), KINDS[kind]!.delivery());
        expect(result.ok).toBe(false);
        const error = (result as { error: Error }).error;
        expect(error).toBeInstanceOf(DeliveryFailedError);
        expect(error.message).toMatch(/^faasport\/azure: the \w+ handler of "[^"]+" failed on /);
        expect(error.message).not.toContain('SECRET');
      }),
      fuzzParams,
    );
  });
});
