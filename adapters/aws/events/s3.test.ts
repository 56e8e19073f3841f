import { describe, expect, it } from 'vitest';
import { BadEventError } from '../../../core/errors.js';
import { decodeS3Key, parseS3Body, s3BridgeStorageEvent, s3StorageEvent } from './s3.js';
import { fixture, sharedFixture } from './test-helpers.js';

describe('decodeS3Key', () => {
  it('turns + into a space before percent-decoding', () => {
    expect(decodeS3Key('my+file.txt')).toBe('my file.txt');
    expect(decodeS3Key('a%2Bb')).toBe('a+b');
    expect(decodeS3Key('a%2B+b')).toBe('a+ b');
    expect(decodeS3Key('Happy%20Face.jpg')).toBe('Happy Face.jpg');
    expect(decodeS3Key('caf%C3%A9+%E2%9C%93+%F0%9F%98%80.jpg')).toBe('café ✓ 😀.jpg');
    expect(decodeS3Key('100%25+done')).toBe('100% done');
    expect(decodeS3Key('plain/key.txt')).toBe('plain/key.txt');
  });

  it('rejects a key that is not URL-encoded as S3 sends it', () => {
    expect(() => decodeS3Key('bad%zz')).toThrow(BadEventError);
    expect(() => decodeS3Key('bad%zz')).toThrow(/"bad%zz" is not URL-encoded as S3 sends it/);
  });
});

describe('s3StorageEvent', () => {
  it('reads the shared created sample', () => {
    expect(s3StorageEvent(sharedFixture('s3/base.json').Records[0], 0)).toEqual({
      type: 'created',
      bucket: 'lambda-artifacts-deafc19498e3f2df',
      key: 'b21b84d653bb07b05b1e6b33684dc11b',
      size: 1305107,
      etag: 'b21b84d653bb07b05b1e6b33684dc11b',
      time: new Date('2019-09-03T19:37:27.192Z'),
    });
  });

  it('reads the shared delete sample, which has no size or etag', () => {
    const event = s3StorageEvent(sharedFixture('s3/delete-object.json').Records[0], 0)!;
    expect(event.type).toBe('deleted');
    expect(event).not.toHaveProperty('size');
    expect(event).not.toHaveProperty('etag');
    expect(event.contentType).toBeUndefined();
  });

  it('decodes the shared encoded-key sample from the key itself, not powertools\' urlDecodedKey', () => {
    const record = sharedFixture('s3/decoded-key.json').Records[0];
    delete record.s3.object.urlDecodedKey;
    expect(s3StorageEvent(record, 0)!.key).toBe('Happy Face.jpg');
  });

  it('decodes keys with spaces, + and unicode, and skips other event names', () => {
    const events = fixture('s3-keys.json').Records.map((r: any, i: number) => s3StorageEvent(r, i));
    expect(events.map((e: any) => e && [e.type, e.key])).toEqual([
      ['created', 'my file.txt'],
      ['created', 'a+b'],
      ['created', 'photos/café ✓ 😀.jpg'],
      undefined,
      ['deleted', 'reports/2024/05 summary.pdf'],
    ]);
  });

  it('accepts event names spelled with the s3: prefix', () => {
    const record = sharedFixture('s3/base.json').Records[0];
    record.eventName = 's3:ObjectRemoved:Delete';
    expect(s3StorageEvent(record, 0)!.type).toBe('deleted');
  });

  it('rejects records without bucket, key or time', () => {
    const record = sharedFixture('s3/base.json').Records[0];
    const noKey = structuredClone(record);
    delete noKey.s3.object.key;
    expect(() => s3StorageEvent(noKey, 4)).toThrow('faasport/aws: S3 record 4 has no eventName, s3.bucket.name and s3.object.key strings');
    const noTime = structuredClone(record);
    noTime.eventTime = 'yesterday';
    expect(() => s3StorageEvent(noTime, 0)).toThrow(/S3 record 0 has no valid time/);
  });
});

describe('s3BridgeStorageEvent', () => {
  it('reads Object Created with a decoded key', () => {
    expect(s3BridgeStorageEvent(fixture('eventbridge-s3-object-created.json'))).toEqual({
      type: 'created',
      bucket: 'uploads',
      key: 'docs/q1 plan+extra.txt',
      size: 5,
      etag: 'b1946ac92492d2347c6235b4d2611184',
      time: new Date('2024-05-04T00:00:00Z'),
    });
  });

  it('reads Object Deleted, which has no size or etag', () => {
    expect(s3BridgeStorageEvent(fixture('eventbridge-s3-object-deleted.json'))).toEqual({
      type: 'deleted',
      bucket: 'uploads',
      key: 'docs/gone.txt',
      time: new Date('2024-05-04T00:01:00Z'),
    });
  });

  it('says undefined for other S3 detail-types', () => {
    const event = fixture('eventbridge-s3-object-created.json');
    event['detail-type'] = 'Object Tags Added';
    expect(s3BridgeStorageEvent(event)).toBeUndefined();
  });
});

describe('parseS3Body', () => {
  it('reads S3 records, the s3:TestEvent, and S3 inside an SNS envelope', () => {
    const [test, created] = fixture('sqs-s3-bodies.json').Records;
    expect(parseS3Body(test.body)).toMatchObject({ kind: 'test', test: { Bucket: 'uploads' } });
    const records = parseS3Body(created.body);
    expect(records.kind).toBe('records');
    const sns = fixture('sns-s3-message.json').Records[0].Sns;
    const envelope = JSON.stringify({ Type: 'Notification', MessageId: sns.MessageId, TopicArn: sns.TopicArn, Message: sns.Message, Timestamp: sns.Timestamp });
    expect(parseS3Body(envelope)).toMatchObject({ kind: 'records', records: [{ s3: { object: { key: 'in/x+y.txt' } } }] });
  });

  it('says other for anything else', () => {
    expect(parseS3Body('Test message.').kind).toBe('other');
    expect(parseS3Body('{"Records":[]}').kind).toBe('other');
    expect(parseS3Body('{"Records":[{"eventSource":"aws:sqs"}]}').kind).toBe('other');
    expect(parseS3Body('{oops').kind).toBe('other');
  });
});
