import { describe, expect, it } from 'vitest';
import { md5OfMessageAttributes, readBatchResponse, sqsMessageAttributes, toSqsRecord } from './sqs-event.js';
import { md5Hex, type ReceivedMessage } from './sqs-queue.js';

describe('MD5 digests', () => {
  it('matches the digests of a real Lambda SQS record', () => {
    // From a record SQS delivered through Lambda: body "Sample content.", attribute sample-attribute=sample-value.
    expect(md5Hex('Sample content.')).toBe('b58e1d0a86521415d25b85b89f6ad6cd');
    expect(md5OfMessageAttributes({ 'sample-attribute': 'sample-value' })).toBe('7c815262be77a62f56671125069ca888');
  });

  it('does not depend on the order attributes were given in', () => {
    expect(md5OfMessageAttributes({ b: '2', a: '1' })).toBe(md5OfMessageAttributes({ a: '1', b: '2' }));
  });
});

describe('toSqsRecord', () => {
  const message: ReceivedMessage = {
    messageId: 'id-1',
    receiptHandle: 'handle',
    body: 'hi',
    md5OfBody: md5Hex('hi'),
    attributes: {},
    receiveCount: 2,
    sentTimestamp: 1000,
    firstReceiveTimestamp: 1005,
    deadLetterSourceArn: undefined,
    fifo: { groupId: 'g', sequenceNumber: '00000000000000000001', deduplicationId: 'd' },
  };

  it('adds the FIFO attributes and leaves md5OfMessageAttributes out when there are no attributes', () => {
    const record = toSqsRecord(message, 'arn:aws:sqs:us-east-1:000000000000:q.fifo');
    expect(record.attributes).toEqual({
      ApproximateReceiveCount: '2',
      SentTimestamp: '1000',
      SequenceNumber: '00000000000000000001',
      MessageGroupId: 'g',
      SenderId: expect.any(String),
      MessageDeduplicationId: 'd',
      ApproximateFirstReceiveTimestamp: '1005',
    });
    expect(record).not.toHaveProperty('md5OfMessageAttributes');
    expect(record.messageAttributes).toEqual({});
  });

  it('gives string attributes the reserved list fields Lambda sends', () => {
    expect(sqsMessageAttributes({ a: 'x' })).toEqual({ a: { stringValue: 'x', stringListValues: [], binaryListValues: [], dataType: 'String' } });
  });
});

describe('readBatchResponse (ReportBatchItemFailures on)', () => {
  const ids = new Set(['m1', 'm2']);

  it.each([
    ['null', 'null'],
    ['an empty payload', ''],
    ['an empty object', '{}'],
    ['an empty list', '{"batchItemFailures":[]}'],
    ['a null list', '{"batchItemFailures":null}'],
    ['an object with other keys', '{"statusCode":200}'],
  ])('reads %s as complete success', (_, payload) => {
    expect(readBatchResponse(payload, ids)).toEqual({ kind: 'partial', failed: new Set() });
  });

  it('lists the failed ids', () => {
    expect(readBatchResponse('{"batchItemFailures":[{"itemIdentifier":"m2"}]}', ids)).toEqual({ kind: 'partial', failed: new Set(['m2']) });
  });

  it.each([
    ['invalid JSON', '{', /not valid JSON/],
    ['a string', '"done"', /a string, not an object/],
    ['an array', '[]', /an array/],
    ['a list that is not a list', '{"batchItemFailures":{"itemIdentifier":"m1"}}', /not a list/],
    ['an item with a bad key name', '{"batchItemFailures":[{"messageId":"m1"}]}', /no itemIdentifier/],
    ['a null itemIdentifier', '{"batchItemFailures":[{"itemIdentifier":null}]}', /is null/],
    ['an empty itemIdentifier', '{"batchItemFailures":[{"itemIdentifier":""}]}', /empty string/],
    ['an id not in the batch', '{"batchItemFailures":[{"itemIdentifier":"m1"},{"itemIdentifier":"zz"}]}', /"zz" is not a message of this batch/],
  ])('reads %s as complete failure', (_, payload, reason) => {
    const verdict = readBatchResponse(payload, ids);
    expect(verdict.kind).toBe('failure');
    expect(verdict.kind === 'failure' && verdict.reason).toMatch(reason);
  });
});
