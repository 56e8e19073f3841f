/** The pure converters for Pub/Sub, Storage, Scheduler and plain CloudEvents, against real samples. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BadEventError } from '../../core/errors.js';
import { matchesEventOptions, toCloudEvent } from './event.js';
import { parseMessagePublishedData, parsePubsubMessage, parsePushEnvelope, toMessage } from './pubsub.js';
import { scheduleEvent } from './schedule.js';
import { toStorageEvent } from './storage.js';
import { topicMessage } from './topic.js';
import type { GcpCloudEvent } from './types.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const fixture = (name: string): any => JSON.parse(readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), 'utf8'));

const pushEnvelope = (message: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  message: { messageId: '2070443601311540', message_id: '2070443601311540', publishTime: '2021-02-26T19:13:55.749Z', publish_time: '2021-02-26T19:13:55.749Z', ...message },
  subscription: 'projects/p/subscriptions/orders-push',
  ...extra,
});

describe('messagePublished CloudEvent -> Message (real samples)', () => {
  it('pubsub_text: text, attributes, id, publish time, source from the function options', () => {
    const msg = topicMessage(fixture('pubsub_text-cloudevent-input'), 'signups');
    expect(msg.text()).toBe('test message 3');
    expect(msg.attributes).toEqual({ attr1: 'attr1-value' });
    expect(msg.id).toBe('aaaaaa-1111-bbbb-2222-cccccccccccc');
    expect(msg.publishedAt?.toISOString()).toBe('2020-09-29T11:32:00.123Z');
    expect(msg.deliveryCount).toBe(1);
    expect(msg.source).toBe('signups');
  });

  it('pubsub_binary: the exact bytes, and no attributes', () => {
    const msg = topicMessage(fixture('pubsub_binary-cloudevent-input'), 'signups');
    expect([...msg.body]).toEqual([1, 2, 3, 4]);
    expect(msg.attributes).toEqual({});
  });

  it('a message without data has an empty body', () => {
    const ce = fixture('pubsub_text-cloudevent-input');
    delete ce.data.message.data;
    expect(topicMessage(ce, 't').body.byteLength).toBe(0);
  });

  it('rejects a CloudEvent of another type, or without data.message, naming what is wrong', () => {
    const storage = fixture('storage-cloudevent-input');
    expect(() => topicMessage(storage, 't')).toThrow(/expected a google\.cloud\.pubsub\.topic\.v1\.messagePublished CloudEvent, got type the string "google\.cloud\.storage/);
    const empty = { ...fixture('pubsub_text-cloudevent-input'), data: { subscription: 's' } };
    expect(() => topicMessage(empty, 't')).toThrow(BadEventError);
    expect(() => topicMessage(empty, 't')).toThrow(/data has no "message"/);
  });
});

describe('Pub/Sub push envelope', () => {
  it('reads bytes that are not UTF-8 exactly, attributes, and deliveryAttempt', () => {
    const bytes = Uint8Array.from([0xff, 0x00, 0xc3, 0x28, 0x80]);
    const env = parsePushEnvelope(pushEnvelope({ data: Buffer.from(bytes).toString('base64'), attributes: { a: '1' } }, { deliveryAttempt: 3 }));
    const msg = toMessage(env.message, { source: 'orders', deliveryCount: env.deliveryAttempt ?? 1 });
    expect([...msg.body]).toEqual([...bytes]);
    expect(msg.attributes).toEqual({ a: '1' });
    expect(msg.deliveryCount).toBe(3);
    expect(msg.id).toBe('2070443601311540');
    expect(msg.publishedAt?.toISOString()).toBe('2021-02-26T19:13:55.749Z');
  });

  it('accepts the snake_case fields alone', () => {
    const env = parsePushEnvelope({ message: { data: 'aGk=', message_id: '42', publish_time: '2024-01-01T00:00:00Z' } });
    const msg = toMessage(env.message, { source: 'q', deliveryCount: 1 });
    expect([msg.id, msg.text(), msg.publishedAt?.toISOString()]).toEqual(['42', 'hi', '2024-01-01T00:00:00.000Z']);
  });

  it.each([
    ['a JSON array', [], /not a Pub\/Sub push envelope .*got an array/],
    ['an object without message', { subscription: 's' }, /not a Pub\/Sub push envelope .*keys subscription/],
    ['a message that is a string', { message: 'hi' }, /"message" must be a JSON object, got string/],
    ['data that is not base64', pushEnvelope({ data: 'not base64!' }), /"message"\.data is not standard base64/],
    ['an attribute that is not a string', pushEnvelope({ attributes: { n: 1 } }), /attributes\["n"\] must be a string, got number/],
    ['no message id', { message: { data: 'aGk=' } }, /has no messageId/],
    ['a deliveryAttempt of 0', pushEnvelope({}, { deliveryAttempt: 0 }), /deliveryAttempt must be a positive integer, got the number 0/],
    ['a publish time that is not a time', pushEnvelope({ publishTime: 'yesterday', publish_time: undefined }), /publishTime "yesterday" is not an RFC 3339 time/],
  ])('rejects %s with a clear BadEventError', (_label, body, message) => {
    expect(() => parsePushEnvelope(body)).toThrow(BadEventError);
    expect(() => parsePushEnvelope(body)).toThrow(message);
  });
});

describe('Storage CloudEvent -> StorageEvent', () => {
  it('storage sample: finalized is created, with bucket, decoded key, numeric size, etag, content type, event time', () => {
    const conversion = toStorageEvent(fixture('storage-cloudevent-input'));
    expect(conversion).toEqual({
      input: {
        type: 'created',
        bucket: 'some-bucket',
        key: 'folder/Test.cs',
        size: 352,
        etag: 'CNHZkbuF/ugCEAE=',
        contentType: 'text/plain',
        time: new Date('2020-09-29T11:32:00.123Z'),
      },
    });
  });

  it('keys with spaces, "+" and unicode come from data.name as they are (the subject may be encoded)', () => {
    const ce = fixture('storage-cloudevent-input');
    ce.data.name = 'in box/ü+1 (copy).txt';
    ce.subject = 'objects/in%20box/%C3%BC+1%20(copy).txt';
    expect(toStorageEvent(ce)).toMatchObject({ input: { key: 'in box/ü+1 (copy).txt' } });
  });

  it('deleted is deleted; numeric size accepted; time falls back to data.updated', () => {
    const ce = fixture('storage-cloudevent-input');
    ce.type = 'google.cloud.storage.object.v1.deleted';
    ce.data.size = 7;
    delete ce.time;
    expect(toStorageEvent(ce)).toMatchObject({ input: { type: 'deleted', size: 7, time: new Date('2020-04-23T07:38:57.230Z') } });
  });

  it('archived and metadataUpdated are skipped, not failed', () => {
    for (const type of ['google.cloud.storage.object.v1.archived', 'google.cloud.storage.object.v1.metadataUpdated']) {
      const conversion = toStorageEvent({ ...fixture('storage-cloudevent-input'), type });
      expect(conversion).toMatchObject({ skip: expect.stringContaining(type) });
    }
  });

  it('takes the bucket from the source when data has none; rejects an event without an object name', () => {
    const ce = fixture('storage-cloudevent-input');
    delete ce.data.bucket;
    expect(toStorageEvent(ce)).toMatchObject({ input: { bucket: 'some-bucket' } });
    delete ce.data.name;
    expect(() => toStorageEvent(ce)).toThrow(/data has no object "name"/);
    expect(() => toStorageEvent(fixture('pubsub_text-cloudevent-input'))).toThrow(/expected a Cloud Storage CloudEvent/);
  });
});

describe('Cloud Scheduler message -> ScheduleEvent', () => {
  it('scheduledTime is the publish time, else the event time', () => {
    const ce = fixture('pubsub_text-cloudevent-input');
    ce.data.message.publishTime = '2026-01-02T03:00:00.412Z';
    expect(scheduleEvent(ce).scheduledTime.toISOString()).toBe('2026-01-02T03:00:00.412Z');
    delete ce.data.message.publishTime;
    expect(scheduleEvent(ce).scheduledTime.toISOString()).toBe('2020-09-29T11:32:00.123Z');
  });
});

describe('CloudEvent pass-through', () => {
  const base = { specversion: '1.0', id: 'e1', source: '/shop', type: 'com.example.order.shipped' };

  it('keeps every attribute and extension in a fresh object', () => {
    const input = { ...base, subject: 'order-1', time: '2026-03-04T05:06:07Z', datacontenttype: 'application/json', data: { a: 1 }, traceparent: '00-abc-def-01', shard: '7' } as GcpCloudEvent;
    const ce = toCloudEvent(input);
    expect(ce).toEqual(input);
    expect(ce).not.toBe(input);
  });

  it('turns data_base64 into bytes', () => {
    const ce = toCloudEvent({ ...base, data_base64: 'AQID' } as GcpCloudEvent);
    expect(ce.data).toEqual(new Uint8Array([1, 2, 3]));
    expect('data_base64' in ce).toBe(false);
  });

  it('rejects an event without a required attribute', () => {
    expect(() => toCloudEvent({ ...base, source: '' } as GcpCloudEvent)).toThrow(/no "source" attribute/);
  });

  it('matches options by type (one or several) and by source when set', () => {
    const ce = toCloudEvent(base as GcpCloudEvent);
    expect(matchesEventOptions(ce, { type: 'com.example.order.shipped' })).toBe(true);
    expect(matchesEventOptions(ce, { type: ['x', 'com.example.order.shipped'] })).toBe(true);
    expect(matchesEventOptions(ce, { type: 'com.example.order.created' })).toBe(false);
    expect(matchesEventOptions(ce, { type: 'com.example.order.shipped', source: '/other' })).toBe(false);
  });
});

describe('Pub/Sub attributes are sanitised (issue 10)', () => {
  it('an attribute named __proto__ is a key like any other; the map has no prototype', () => {
    const env = parsePushEnvelope(JSON.parse('{"message":{"data":"","messageId":"1","attributes":{"__proto__":"x","toString":"y"}},"subscription":"s"}'));
    const msg = toMessage(env.message, { source: 'orders', deliveryCount: 1 });
    expect(Object.getPrototypeOf(msg.attributes)).toBeNull();
    expect({ ...msg.attributes }).toEqual(JSON.parse('{"__proto__":"x","toString":"y"}'));
  });

  it('a non-string attribute value is refused, naming it', () => {
    expect(() => parsePushEnvelope({ message: { data: '', messageId: '1', attributes: { n: 7 } } })).toThrow(/attributes\["n"\] must be a string/);
  });

  it('a fractional or zero deliveryAttempt is refused', () => {
    for (const deliveryAttempt of [1.5, 0]) {
      expect(() => parsePushEnvelope({ message: { data: '', messageId: '1' }, deliveryAttempt })).toThrow(/deliveryAttempt must be a positive integer/);
    }
  });
});

describe('structured-mode CloudEvents whose attributes are not text (issue 10, found by events.fuzz.test.ts)', () => {
  it('a messagePublished event without a message id and with a non-text CloudEvent id is refused, never a Message whose id is an object', () => {
    const ce = { ...fixture('pubsub_text-cloudevent-input'), id: { length: 3 } };
    delete ce.data.message.messageId;
    delete ce.data.message.message_id;
    expect(() => topicMessage(ce, 't')).toThrow(new BadEventError('faasport: the CloudEvent\'s data.message has no messageId (nor message_id) and the CloudEvent no "id"'));
  });

  it('a storage event whose type or source is an object with a non-function toString is refused in faasport\'s words (String() threw)', () => {
    const typed = { ...fixture('storage-cloudevent-input'), type: { toString: 'x' } };
    expect(() => toStorageEvent(typed)).toThrow(/^faasport: expected a Cloud Storage CloudEvent .*, got type an object$/);
    const sourced = { ...fixture('storage-cloudevent-input'), source: { toString: 'x' } };
    delete sourced.data.bucket;
    expect(() => toStorageEvent(sourced)).toThrow(/names no bucket/);
  });
});

describe('error text that survives a UTF-8 400 body (issue 10, found by events.fuzz.test.ts)', () => {
  it('a publishTime or attribute key holding a lone surrogate is quoted escaped, so the body and the log say the same', () => {
    expect(() => parsePushEnvelope(pushEnvelope({ publishTime: '\ud800', publish_time: undefined }))).toThrow('publishTime "\\ud800" is not an RFC 3339 time');
    expect(() => parsePushEnvelope(pushEnvelope({ attributes: { '\udc00': 1 } }))).toThrow('attributes["\\udc00"] must be a string');
  });
});

describe('Pub/Sub shapes refused in exact words', () => {
  it('names an array message as an array and attributes that are not an object by their type', () => {
    expect(() => parsePubsubMessage([], 'the message')).toThrow(new BadEventError('faasport: the message must be a JSON object, got an array'));
    expect(() => parsePubsubMessage(null, 'the message')).toThrow(new BadEventError('faasport: the message must be a JSON object, got null'));
    expect(() => parsePubsubMessage({ attributes: 'abc' }, 'the message')).toThrow(
      new BadEventError('faasport: the message.attributes must be an object of strings, got string'),
    );
  });

  it('lists the keys of a push body without "message", or says it has none', () => {
    const start = 'faasport: the request body is not a Pub/Sub push envelope (expected a JSON object with "message" and "subscription", got';
    expect(() => parsePushEnvelope({ data: 'x', subscription: 's' })).toThrow(new BadEventError(`${start} an object with keys data, subscription)`));
    expect(() => parsePushEnvelope({})).toThrow(new BadEventError(`${start} an object with keys (none))`));
  });

  it('refuses a push envelope whose subscription is not a string, and accepts deliveryAttempt 1 (the first delivery)', () => {
    expect(() => parsePushEnvelope(pushEnvelope({}, { subscription: 5 }))).toThrow(
      new BadEventError('faasport: the push envelope.subscription must be a string, got number'),
    );
    const envelope = pushEnvelope({}, { deliveryAttempt: 1 });
    expect(parsePushEnvelope(envelope)).toBe(envelope);
  });

  it('lists the keys of messagePublished data without "message", or says it has none, and checks its subscription', () => {
    const start =
      'faasport: the google.cloud.pubsub.topic.v1.messagePublished CloudEvent\'s data has no "message" (expected { message: { data, attributes, messageId, publishTime }, subscription }, got';
    expect(() => parseMessagePublishedData({ data: 'x', subscription: 's' })).toThrow(new BadEventError(`${start} keys data, subscription)`));
    expect(() => parseMessagePublishedData({})).toThrow(new BadEventError(`${start} keys (none))`));
    expect(() => parseMessagePublishedData({ message: {}, subscription: 5 })).toThrow(
      new BadEventError("faasport: the CloudEvent's data.subscription must be a string, got number"),
    );
  });

  it('gives a message with no id and no fallback the empty id', () => {
    expect(toMessage({}, { source: 'signups', deliveryCount: 1 }).id).toBe('');
  });
});

describe('CloudEvent pass-through: refusals and option matching in detail', () => {
  const base = { specversion: '1.0', id: 'e1', source: '/shop', type: 'com.example.order.shipped' };

  it('refuses both data and data_base64, and data_base64 that is not base64 text', () => {
    expect(() => toCloudEvent({ ...base, data: { a: 1 }, data_base64: 'AQID' } as GcpCloudEvent)).toThrow(
      new BadEventError('faasport: the CloudEvent has both "data" and "data_base64"'),
    );
    const notBase64 = new BadEventError('faasport: the CloudEvent\'s "data_base64" is not base64');
    expect(() => toCloudEvent({ ...base, data_base64: '!!' } as GcpCloudEvent)).toThrow(notBase64);
    expect(() => toCloudEvent({ ...base, data_base64: 42 } as unknown as GcpCloudEvent)).toThrow(notBase64);
  });

  it('matches a type option as a whole type, never a part of one; no type or an empty list takes any type', () => {
    const ce = toCloudEvent(base as GcpCloudEvent);
    expect(matchesEventOptions(ce, { type: 'com.example.order.shipped.v2' })).toBe(false);
    expect(matchesEventOptions(ce, {} as never)).toBe(true); // (type is required by the types; a JS caller may leave it out)
    expect(matchesEventOptions(ce, { type: [] })).toBe(true);
    expect(matchesEventOptions(ce, { type: 'com.example.order.shipped', source: '/shop' })).toBe(true);
  });
});

describe('messagePublished ids and Scheduler times in detail', () => {
  const withoutMessageId = (id: unknown) => {
    const ce = { ...fixture('pubsub_text-cloudevent-input'), id };
    delete ce.data.message.messageId;
    return ce;
  };

  it("takes the CloudEvent id when the message has none, and the message's own id over the CloudEvent's", () => {
    expect(topicMessage(withoutMessageId('ce-1'), 't').id).toBe('ce-1');
    const ce = { ...fixture('pubsub_text-cloudevent-input'), id: '' };
    expect(topicMessage(ce, 't').id).toBe('aaaaaa-1111-bbbb-2222-cccccccccccc');
  });

  it('refuses a message without id when the CloudEvent id is empty', () => {
    expect(() => topicMessage(withoutMessageId(''), 't')).toThrow(
      new BadEventError('faasport: the CloudEvent\'s data.message has no messageId (nor message_id) and the CloudEvent no "id"'),
    );
  });

  it('refuses a scheduler message without publishTime whose CloudEvent time is not text', () => {
    const ce = { ...fixture('pubsub_text-cloudevent-input'), time: 42 };
    delete ce.data.message.publishTime;
    expect(() => scheduleEvent(ce)).toThrow(new BadEventError('faasport: the scheduler message has no publishTime and the CloudEvent no valid time'));
  });
});
