import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { crc32c, etagOf, objectMetadata } from './gcs-object.js';
import { binaryModeCloudEventRequest, encodeHeaderValue, messagePublishedRequest, pushEnvelopeRequest, storageEventRequest, structuredCloudEventRequest } from './push-requests.js';

const message = { messageId: '1700000000000001', data: Uint8Array.from([1, 2, 3, 4]), attributes: { a: 'b' }, publishTime: '2026-01-02T03:00:00.000Z' };
const body = (bytes: Uint8Array) => JSON.parse(Buffer.from(bytes).toString('utf8'));

describe('Pub/Sub push envelope', () => {
  it('carries base64 data, attributes, id and time under both spellings, subscription and deliveryAttempt', () => {
    const req = pushEnvelopeRequest(message, 'faasport-onOrder', 2);
    expect(req.headers['content-type']).toBe('application/json');
    expect(req.headers['user-agent']).toMatch(/^APIs-Google/);
    expect(body(req.body)).toEqual({
      message: { attributes: { a: 'b' }, data: 'AQIDBA==', messageId: message.messageId, message_id: message.messageId, publishTime: message.publishTime, publish_time: message.publishTime },
      subscription: 'projects/faasport-emulator/subscriptions/faasport-onOrder',
      deliveryAttempt: 2,
    });
  });

  it('leaves out empty data and empty attributes, as proto3 JSON does', () => {
    const { message: m } = body(pushEnvelopeRequest({ ...message, data: new Uint8Array(0), attributes: {} }, 's', 1).body);
    expect('data' in m || 'attributes' in m).toBe(false);
  });
});

describe('Eventarc CloudEvents (binary mode)', () => {
  it('messagePublished: ce-* headers with the message id and publish time, { message, subscription } data', () => {
    const req = messagePublishedRequest(message, 'signups', 'eventarc-local-onSignup-sub');
    expect(req.headers).toMatchObject({
      'content-type': 'application/json; charset=utf-8',
      'ce-specversion': '1.0',
      'ce-id': message.messageId,
      'ce-source': '//pubsub.googleapis.com/projects/faasport-emulator/topics/signups',
      'ce-type': 'google.cloud.pubsub.topic.v1.messagePublished',
      'ce-time': message.publishTime,
    });
    expect(body(req.body)).toMatchObject({ message: { data: 'AQIDBA==' }, subscription: 'projects/faasport-emulator/subscriptions/eventarc-local-onSignup-sub' });
  });

  it('storage: the subject is percent-encoded per the CloudEvents HTTP binding, data.name is not', () => {
    const object = objectMetadata({ bucket: 'uploads', key: 'in box/ü+1 "x" 100%.txt', body: 'hi' }, 5n, '2026-01-01T00:00:00.000Z');
    const req = storageEventRequest('9', 'deleted', object, '2026-01-01T00:00:01.000Z');
    expect(req.headers['ce-subject']).toBe('objects/in%20box/%C3%BC+1%20%22x%22%20100%25.txt');
    expect(req.headers['ce-type']).toBe('google.cloud.storage.object.v1.deleted');
    expect(req.headers['ce-source']).toBe('//storage.googleapis.com/projects/_/buckets/uploads');
    expect(body(req.body).name).toBe('in box/ü+1 "x" 100%.txt');
    expect(encodeHeaderValue('a-b_c.~!')).toBe('a-b_c.~!');
  });

  it('event() in binary mode: every attribute and extension as a ce-* header, datacontenttype as Content-Type, data as the body', () => {
    const req = binaryModeCloudEventRequest({ specversion: '1.0', id: '1', source: '/s', type: 't', subject: 'a b', datacontenttype: 'text/plain', data: 'héllo', tenant: 'eu', n: 7 });
    expect(req.headers).toMatchObject({ 'content-type': 'text/plain', 'ce-id': '1', 'ce-source': '/s', 'ce-type': 't', 'ce-specversion': '1.0', 'ce-subject': 'a%20b', 'ce-tenant': 'eu', 'ce-n': '7' });
    expect('ce-datacontenttype' in req.headers || 'ce-data' in req.headers).toBe(false);
    expect(Buffer.from(req.body).toString('utf8')).toBe('héllo');
  });

  it('event() in binary mode: bytes and data_base64 go as raw bytes, other data as JSON (the default content type)', () => {
    const base = { specversion: '1.0', id: '1', source: '/s', type: 't' };
    const bytes = binaryModeCloudEventRequest({ ...base, data: Uint8Array.from([0, 255]) });
    expect([bytes.headers['content-type'], [...bytes.body]]).toEqual(['application/octet-stream', [0, 255]]);
    const decoded = binaryModeCloudEventRequest({ ...base, datacontenttype: 'image/png', data_base64: '/wA=' });
    expect([decoded.headers['content-type'], [...decoded.body], 'ce-data_base64' in decoded.headers]).toEqual(['image/png', [255, 0], false]);
    const jsonString = binaryModeCloudEventRequest({ ...base, data: 'quoted' });
    expect([jsonString.headers['content-type'], Buffer.from(jsonString.body).toString()]).toEqual(['application/json', '"quoted"']);
    expect(() => binaryModeCloudEventRequest({ ...base, 'Bad-Name': 'x' })).toThrow(/"Bad-Name" is not a CloudEvents attribute name/);
  });

  it('structured mode sends bytes data as data_base64', () => {
    const req = structuredCloudEventRequest({ specversion: '1.0', id: '1', source: '/s', type: 't', data: Uint8Array.from([255]) });
    expect(req.headers['content-type']).toBe('application/cloudevents+json; charset=utf-8');
    expect(body(req.body)).toEqual({ specversion: '1.0', id: '1', source: '/s', type: 't', data_base64: '/w==' });
  });
});

describe('Cloud Storage object metadata', () => {
  it('computes the etag the way GCS does (the real sample: generation 1587627537231057, metageneration 1)', () => {
    const sample = JSON.parse(readFileSync(new URL('../../../adapters/gcp/fixtures/storage-cloudevent-input.json', import.meta.url), 'utf8'));
    expect(etagOf(BigInt(sample.data.generation), 1n)).toBe(sample.data.etag);
  });

  it('computes CRC32C (Castagnoli) and md5 of the bytes (checked against openssl), size as a decimal string', () => {
    expect(crc32c(Buffer.from('123456789')).toString(16)).toBe('e3069283');
    const object = objectMetadata({ bucket: 'b', key: 'k', body: 'hello storage', contentType: 'text/plain' }, 1n, '2026-01-01T00:00:00.000Z');
    expect(object).toMatchObject({ size: '13', contentType: 'text/plain', md5Hash: 'Kd6jcnMlrse5wgK+kEMccQ==', generation: '1', id: 'b/k/1' });
  });
});
