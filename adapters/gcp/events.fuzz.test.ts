/**
 * Property-based tests of the GCP event kinds (issue 10): Pub/Sub push envelopes POSTed to a queue function (through
 * the adapter with req/res objects shaped as the functions-framework hands them: `rawBody`, the JSON body its
 * parser made, `is()`), and the CloudEvents Eventarc delivers (Cloud Storage, Pub/Sub messagePublished for topic and
 * schedule, any CloudEvent for event()). Pub/Sub and Eventarc acknowledge only 102/200/201/202/204, so a broken
 * push gets 400 in faasport's words naming the field (a nack) and a broken CloudEvent makes the handler reject
 * (the framework answers 500, a nack), with a log line naming the field. Inputs per property: FUZZ_RUNS.
 */
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { event, queue, schedule, storage, topic } from '../../core/define.js';
import { BadEventError } from '../../core/errors.js';
import { DeliveryFailedError } from '../../core/events.js';
import { assertNoPollution, ENGINE_WORDS, fieldMutations, fuzzParams, hostileValue, namesField, PROTO_KEYS, setPath, toWellFormed } from '../../core/fuzz.testing.js';
import type { CloudEvent, Message, ScheduleEvent, StorageEvent } from '../../core/types.js';
import { adapt } from './adapt.js';
import { IGNORED_STORAGE_TYPES } from './storage.js';
import type { GcpCloudEvent } from './types.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const fixture = (name: string): any => JSON.parse(readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), 'utf8'));

let lines: { severity: string; message: string; reason?: string }[] = [];
beforeEach(() => {
  lines = [];
  const capture = (...args: unknown[]) => void lines.push(JSON.parse(String(args[0])) as (typeof lines)[number]);
  vi.spyOn(console, 'log').mockImplementation(capture);
  vi.spyOn(console, 'error').mockImplementation(capture);
});
afterEach(() => vi.restoreAllMocks());

const seen: unknown[] = [];
const record = (input: unknown) => void seen.push(input);

// ---- Pub/Sub push -----------------------------------------------------------------------------------------

/** JSON as a sender writes it (a BigInt as its digits): what the framework's JSON parser then hands over. */
const asJson = (value: unknown): string => JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? Number(v) : v)) ?? 'null';

/** The framework's request for a POST with this body: rawBody, the parsed body for JSON types, `is()`. */
function pushRequest(body: Uint8Array, contentType: string) {
  const json = contentType === 'application/json';
  let parsed: unknown = body;
  if (json) parsed = JSON.parse(Buffer.from(body).toString('utf8'));
  return {
    method: 'POST',
    headers: { 'content-type': contentType },
    rawBody: Buffer.from(body),
    body: parsed,
    readableEnded: true,
    is: (types: string[]) => (types.includes(contentType) ? contentType : false),
    resume: () => {},
  };
}

/** The framework's response, recording what was written. */
function fakeResponse() {
  const res = {
    statusCode: 200,
    statusMessage: '',
    headersSent: false,
    headers: {} as Record<string, string | string[]>,
    body: Buffer.alloc(0),
    setHeader(name: string, value: string | string[]) {
      res.headers[name.toLowerCase()] = value;
    },
    end(chunk?: Uint8Array | string, encoding?: BufferEncoding) {
      if (chunk !== undefined) res.body = typeof chunk === 'string' ? Buffer.from(chunk, encoding) : Buffer.from(chunk);
      res.headersSent = true;
    },
    destroy() {},
  };
  return res;
}

const envelope = () => ({
  message: { data: 'aGVsbG8=', attributes: { plan: 'pro' }, messageId: 'm-1', message_id: 'm-1', publishTime: '2021-02-26T19:13:55.749Z', publish_time: '2021-02-26T19:13:55.749Z' },
  subscription: 'projects/p/subscriptions/orders-push',
  deliveryAttempt: 2,
});
const PUSH_FIELDS = [
  'message', 'message.data', 'message.attributes', 'message.messageId', 'message.message_id', 'message.publishTime', 'message.publish_time', 'message.orderingKey',
  'subscription', 'deliveryAttempt', 'message.attributes.plan', ...PROTO_KEYS.map((k) => `message.attributes.${k}`), ...PROTO_KEYS.map((k) => `message.${k}`),
];

const pushed = adapt(queue({ queue: 'orders' }, record), { name: 'q' });
async function push(body: Uint8Array, contentType = 'application/json') {
  seen.length = 0;
  const res = fakeResponse();
  await pushed(pushRequest(body, contentType) as never, res as never);
  return res;
}

function wellFormedMessage(msg: Message): void {
  expect(typeof msg.id).toBe('string');
  expect(msg.body).toBeInstanceOf(Uint8Array);
  expect(Number.isSafeInteger(msg.deliveryCount) && msg.deliveryCount >= 1).toBe(true);
  if (msg.publishedAt !== undefined) expect(Number.isNaN(msg.publishedAt.getTime())).toBe(false);
  expect(Object.getPrototypeOf(msg.attributes)).toBeNull();
  for (const value of Object.values(msg.attributes)) expect(typeof value).toBe('string');
}

/** A 400 answer: faasport's words, no engine text, the same reason in a warning line; the handler did not run. */
function expectRefused(res: ReturnType<typeof fakeResponse>): string {
  expect(res.statusCode).toBe(400);
  const text = res.body.toString('utf8');
  expect(text).toMatch(/^Bad Request: faasport: /);
  expect(text).not.toMatch(ENGINE_WORDS);
  expect(seen).toHaveLength(0);
  const reason = text.slice('Bad Request: '.length);
  // The body is UTF-8: the log line's reason, as UTF-8 carries it (a lone surrogate in a quoted key becomes U+FFFD).
  expect(lines.some((l) => l.severity === 'WARNING' && typeof l.reason === 'string' && toWellFormed(l.reason) === reason)).toBe(true);
  return reason;
}

describe('Pub/Sub push: broken envelopes', () => {
  it('the valid sample is acknowledged (204) after the handler ran', async () => {
    const res = await push(Buffer.from(asJson(envelope())));
    expect(res.statusCode).toBe(204);
    expect(seen).toHaveLength(1);
    wellFormedMessage(seen[0] as Message);
  });

  it('never throw and never ack unrun: 204 after the handler ran on a well-formed message, or a 400 in faasport\'s words', async () => {
    await fc.assert(
      fc.asyncProperty(fieldMutations(PUSH_FIELDS), async (mutations) => {
        const e = envelope() as unknown as Record<string, unknown>;
        for (const { field, value } of mutations) setPath(e, field, value);
        const res = await push(Buffer.from(asJson(e)));
        if (res.statusCode === 204) {
          expect(seen).toHaveLength(1);
          wellFormedMessage(seen[0] as Message);
        } else expectRefused(res);
        assertNoPollution();
      }),
      fuzzParams,
    );
  });

  it('one broken field, when refused, is named in the 400 and the log line', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...PUSH_FIELDS), hostileValue, async (field, value) => {
        const e = envelope() as unknown as Record<string, unknown>;
        setPath(e, field, value);
        const res = await push(Buffer.from(asJson(e)));
        if (res.statusCode === 204) return;
        const reason = expectRefused(res);
        if (!namesField(reason, field)) throw new Error(`"${reason}" does not name ${field}`);
      }),
      fuzzParams,
    );
  });

  it('a body that is not JSON (any bytes, non-UTF-8 included, any content type) gets a 400 naming the body', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 64 }), fc.constantFrom('application/octet-stream', 'text/plain'), async (bytes, type) => {
        let parses = true;
        try {
          JSON.parse(new TextDecoder().decode(bytes));
        } catch {
          parses = false;
        }
        fc.pre(!parses);
        expect(expectRefused(await push(bytes, type))).toMatch(/request body is not JSON/);
      }),
      fuzzParams,
    );
  });

  it('a handler error is a 500 "Internal Server Error" (a nack) with nothing of the error', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 1 }), async (secret) => {
        const failing = adapt(queue({ queue: 'orders' }, () => {
          throw new Error(`SECRET ${secret}`, { cause: new Error(`CAUSE ${secret}`) });
        }), { name: 'q' });
        const res = fakeResponse();
        await failing(pushRequest(Buffer.from(asJson(envelope())), 'application/json') as never, res as never);
        expect(res.statusCode).toBe(500);
        expect(res.body.toString()).toBe('Internal Server Error');
      }),
      fuzzParams,
    );
  });
});

// ---- CloudEvents --------------------------------------------------------------------------------------------

type CeHandler = (ce: GcpCloudEvent) => Promise<void>;
const typeOf = (ce: unknown) => (ce as { type?: unknown }).type;

const CE_KINDS: Record<string, { fn: CeHandler; event: () => Record<string, unknown>; fields: readonly string[]; wellFormed: (input: unknown) => void; mayskip: (ce: Record<string, unknown>) => boolean }> = {
  'Cloud Storage': {
    fn: adapt(storage({ bucket: 'some-bucket' }, record)),
    event: () => fixture('storage-cloudevent-input'),
    fields: ['type', 'source', 'time', 'id', 'data', 'data.name', 'data.bucket', 'data.size', 'data.etag', 'data.contentType', 'data.updated', 'data.timeCreated', ...PROTO_KEYS.map((k) => `data.${k}`)],
    wellFormed: (input) => {
      const e = input as StorageEvent;
      expect(typeof e.key === 'string' && e.key !== '' && typeof e.bucket === 'string').toBe(true);
      expect(Number.isNaN(e.time.getTime())).toBe(false);
      if (e.size !== undefined) expect(Number.isSafeInteger(e.size)).toBe(true);
    },
    // Only the two kinds Cloud Storage sends that faasport has no meaning for are acknowledged unrun.
    mayskip: (ce) => (IGNORED_STORAGE_TYPES as readonly unknown[]).includes(typeOf(ce)),
  },
  'Pub/Sub messagePublished (topic)': {
    fn: adapt(topic({ topic: 'signups' }, record)),
    event: () => fixture('pubsub_text-cloudevent-input'),
    fields: ['type', 'id', 'data', 'data.message', 'data.subscription', 'data.message.data', 'data.message.attributes', 'data.message.messageId', 'data.message.publishTime', ...PROTO_KEYS.map((k) => `data.message.attributes.${k}`)],
    wellFormed: (input) => wellFormedMessage(input as Message),
    mayskip: () => false,
  },
  'Pub/Sub messagePublished (schedule)': {
    fn: adapt(schedule({ cron: '0 3 * * *' }, record)),
    event: () => fixture('pubsub_text-cloudevent-input'),
    fields: ['type', 'time', 'data', 'data.message', 'data.message.publishTime', 'data.message.publish_time'],
    wellFormed: (input) => expect(Number.isNaN((input as ScheduleEvent).scheduledTime.getTime())).toBe(false),
    mayskip: () => false,
  },
  'any CloudEvent (event)': {
    fn: adapt(event({ type: 'com.example.shipped' }, record)),
    event: () => ({ specversion: '1.0', id: 'e-1', source: '/orders', type: 'com.example.shipped', time: '2024-05-01T00:00:00Z', data_base64: 'AAEC/w==' }),
    fields: ['specversion', 'id', 'source', 'type', 'data_base64', 'data', 'traceparent', ...PROTO_KEYS],
    wellFormed: (input) => {
      const ce = input as CloudEvent;
      for (const key of ['specversion', 'id', 'source', 'type'] as const) expect(typeof ce[key]).toBe('string');
    },
    mayskip: (ce) => typeOf(ce) !== 'com.example.shipped',
  },
};

async function deliver(fn: CeHandler, ce: Record<string, unknown>) {
  seen.length = 0;
  lines = [];
  try {
    await fn(ce as GcpCloudEvent);
    return { ok: true as const };
  } catch (error) {
    return { ok: false as const, error };
  }
}

/** A refusal: a BadEventError in faasport's words, and the error line the framework's 500 comes with, giving the same reason. */
function expectRefusedEvent(error: unknown): string {
  expect(error).toBeInstanceOf(BadEventError);
  const message = (error as Error).message;
  expect(message).toMatch(/^faasport: /);
  expect(message).not.toMatch(ENGINE_WORDS);
  expect(seen).toHaveLength(0);
  expect(lines.some((l) => l.severity === 'ERROR' && l.reason === message)).toBe(true);
  return message;
}

for (const [kind, { fn, event: valid, fields, wellFormed, mayskip }] of Object.entries(CE_KINDS)) {
  describe(`${kind}: broken CloudEvents`, () => {
    it('the valid sample runs the handler', async () => {
      expect(await deliver(fn, valid())).toEqual({ ok: true });
      expect(seen).toHaveLength(1);
      wellFormed(seen[0]);
    });

    it('never raise an engine error; the handler runs on well-formed input, a skip is one the function asked for, or it is refused', async () => {
      await fc.assert(
        fc.asyncProperty(fieldMutations(fields), async (mutations) => {
          const ce = valid();
          for (const { field, value } of mutations) setPath(ce, field, value);
          const result = await deliver(fn, ce);
          if (!result.ok) expectRefusedEvent(result.error);
          else if (seen.length === 1) wellFormed(seen[0]);
          // Acknowledged unrun: only for a type the function does not take (never for `constructor` or `toString`).
          else if (!mayskip(ce)) throw new Error(`acknowledged a ${String(typeof typeOf(ce) === 'string' ? typeOf(ce) : typeof typeOf(ce))} event without running the handler`);
          assertNoPollution();
        }),
        fuzzParams,
      );
    });

    it('one broken field, when refused, is named in the error and its log line', async () => {
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...fields), hostileValue, async (field, value) => {
          const ce = valid();
          setPath(ce, field, value);
          const result = await deliver(fn, ce);
          if (result.ok) return;
          const message = expectRefusedEvent(result.error);
          if (!namesField(message, field)) throw new Error(`"${message}" does not name ${field}`);
        }),
        fuzzParams,
      );
    });
  });
}

describe('a CloudEvent handler error', () => {
  it('rejects (the framework answers 500: a nack) with faasport\'s message, never the handler\'s text', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 1 }), fc.constantFrom(...Object.keys(CE_KINDS)), async (secret, kind) => {
        const failing = () => {
          throw new Error(`SECRET ${secret}`);
        };
        const fns: Record<string, () => CeHandler> = {
          'Cloud Storage': () => adapt(storage({ bucket: 'some-bucket' }, failing)),
          'Pub/Sub messagePublished (topic)': () => adapt(topic({ topic: 'signups' }, failing)),
          'Pub/Sub messagePublished (schedule)': () => adapt(schedule({ cron: '0 3 * * *' }, failing)),
          'any CloudEvent (event)': () => adapt(event({ type: 'com.example.shipped' }, failing)),
        };
        const result = await deliver(fns[kind]!(), CE_KINDS[kind]!.event());
        expect(result.ok).toBe(false);
        const error = (result as { error: Error }).error;
        expect(error).toBeInstanceOf(DeliveryFailedError);
        expect(error.message).not.toContain('SECRET');
      }),
      fuzzParams,
    );
  });
});
