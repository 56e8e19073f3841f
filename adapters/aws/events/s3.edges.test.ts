import type { S3EventRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import type { S3BridgeEvent } from '../types.js';
import { decodeS3Key, parseS3Body, s3BridgeStorageEvent, s3StorageEvent } from './s3.js';

const TIME = '2025-01-02T03:04:05.000Z';
const record = (fields: Record<string, unknown>) => fields as unknown as S3EventRecord;

describe('decodeS3Key edges', () => {
  it('refuses a key that is not URL-encoded, with the decoder error as cause', () => {
    let error: Error | undefined;
    try {
      decodeS3Key('a%zz');
    } catch (e) {
      error = e as Error;
    }
    expect(error?.message).toBe('faasport/aws: the S3 object key "a%zz" is not URL-encoded as S3 sends it');
    expect(error?.cause).toBeInstanceOf(URIError);
  });
});

describe('s3StorageEvent edges', () => {
  const message = 'faasport/aws: S3 record 4 has no eventName, s3.bucket.name and s3.object.key strings';

  it('refuses a missing record, s3, bucket name or object key', () => {
    expect(() => s3StorageEvent(undefined as unknown as S3EventRecord, 4)).toThrow(message);
    expect(() => s3StorageEvent(record({ eventName: 'ObjectCreated:Put' }), 4)).toThrow(message);
    expect(() => s3StorageEvent(record({ eventName: 'ObjectCreated:Put', s3: { object: { key: 'k' } } }), 4)).toThrow(message);
    expect(() => s3StorageEvent(record({ eventName: 'ObjectCreated:Put', s3: { bucket: { name: 'b' } } }), 4)).toThrow(message);
  });

  it('leaves out an empty eTag', () => {
    const event = s3StorageEvent(
      record({ eventName: 'ObjectCreated:Put', eventTime: TIME, s3: { bucket: { name: 'b' }, object: { key: 'k', size: 3, eTag: '' } } }),
      0,
    );
    expect(event).toEqual({ type: 'created', bucket: 'b', key: 'k', size: 3, time: new Date(TIME) });
    expect(Object.keys(event!)).toEqual(['type', 'bucket', 'key', 'time', 'size']);
  });
});

describe('s3BridgeStorageEvent edges', () => {
  const bridge = (fields: Record<string, unknown>) => ({ 'detail-type': 'Object Created', source: 'aws.s3', ...fields }) as unknown as S3BridgeEvent;

  it('refuses a detail without object key', () => {
    expect(() => s3BridgeStorageEvent(bridge({ time: TIME, detail: { bucket: { name: 'b' } } }))).toThrow(
      'faasport/aws: the S3 "Object Created" EventBridge event has no detail.bucket.name and detail.object.key strings',
    );
  });

  it('refuses an event without a valid time, naming the field', () => {
    expect(() => s3BridgeStorageEvent(bridge({ detail: { bucket: { name: 'b' }, object: { key: 'k' } } }))).toThrow(
      'faasport/aws: the S3 EventBridge event has no valid time: time is missing',
    );
  });
});

describe('parseS3Body edges', () => {
  const s3Record = { eventSource: 'aws:s3', eventName: 'ObjectCreated:Put' };

  it('is "other" for JSON that is not an object', () => {
    expect(parseS3Body('null')).toEqual({ kind: 'other' });
    expect(parseS3Body('[1]')).toEqual({ kind: 'other' });
  });

  it('needs every record to come from S3', () => {
    expect(parseS3Body(JSON.stringify({ Records: [s3Record, { eventSource: 'aws:sqs' }] }))).toEqual({ kind: 'other' });
    expect(parseS3Body(JSON.stringify({ Records: [s3Record, null] }))).toEqual({ kind: 'other' });
    expect(parseS3Body(JSON.stringify({ Records: [s3Record] }))).toEqual({ kind: 'records', records: [s3Record] });
  });

  it('unwraps only an SNS Notification whose Message is a string', () => {
    const inner = JSON.stringify({ Records: [s3Record] });
    expect(parseS3Body(JSON.stringify({ Type: 'Notification', Message: inner }))).toEqual({ kind: 'records', records: [s3Record] });
    expect(parseS3Body(JSON.stringify({ Type: 'SubscriptionConfirmation', Message: inner }))).toEqual({ kind: 'other' });
    expect(parseS3Body(JSON.stringify({ Type: 'Notification', Message: { Records: [s3Record] } }))).toEqual({ kind: 'other' });
  });

  it('is "other" for an SNS Notification whose Message is null or an array, never reading it as text', () => {
    expect(parseS3Body(JSON.stringify({ Type: 'Notification', Message: null }))).toEqual({ kind: 'other' });
    expect(parseS3Body(JSON.stringify({ Type: 'Notification', Message: ['{"Records":[]}'] }))).toEqual({ kind: 'other' });
  });
});
