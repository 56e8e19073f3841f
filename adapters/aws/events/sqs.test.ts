import { describe, expect, it } from 'vitest';
import { BadEventError } from '../../../core/errors.js';
import { checkSqsRecord, isFifoArn, nameFromArn, sqsAttributes, sqsMessage } from './sqs.js';
import { fixture, sharedFixture } from './test-helpers.js';

describe('sqsMessage', () => {
  it('reads the shared sample: id, exact body bytes, counts, time and queue name', () => {
    const [first, second] = sharedFixture('sqs/base.json').Records;
    const msg = sqsMessage(first);
    expect(msg.id).toBe('059f36b4-87a3-44ab-83d2-661975830a7d');
    expect(msg.body).toEqual(new TextEncoder().encode('Test message.'));
    expect(msg.text()).toBe('Test message.');
    expect(msg.deliveryCount).toBe(1);
    expect(msg.publishedAt).toEqual(new Date(1545082649183));
    expect(msg.source).toBe('my-queue');
    expect(sqsMessage(second).json()).toEqual({ message: 'foo1' });
  });

  it('keeps non-ASCII bodies byte-exact as UTF-8', () => {
    const msg = sqsMessage(fixture('sqs-attributes.json').Records[0]);
    const text = 'héllo ✓ 😀 {"not":"json"';
    expect(Buffer.from(msg.body).toString('hex')).toBe(Buffer.from(text, 'utf8').toString('hex'));
    expect(msg.text()).toBe(text);
  });

  it('takes deliveryCount from ApproximateReceiveCount', () => {
    expect(sqsMessage(fixture('sqs-attributes.json').Records[0]).deliveryCount).toBe(3);
  });

  it('json() names the message when the body is not JSON', () => {
    const msg = sqsMessage(fixture('sqs-attributes.json').Records[0]);
    expect(() => msg.json()).toThrow(/message a1b2c3d4-0000-4000-8000-000000000001 from "orders" is not valid JSON/);
  });
});

describe('sqsAttributes', () => {
  it('gives String and Number values as strings and Binary values as their base64 text', () => {
    expect(sqsAttributes(fixture('sqs-attributes.json').Records[0].messageAttributes)).toEqual({
      tenant: 'acme',
      priority: '7',
      ratio: '0.5',
      blob: 'AAEC/w==',
    });
  });

  it('uses stringValue of a Number attribute even when the sample also carries a binaryValue', () => {
    expect(sqsAttributes(sharedFixture('sqs/base.json').Records[0].messageAttributes)).toEqual({ testAttr: '100' });
  });

  it('is an empty map without attributes', () => {
    expect(sqsAttributes({})).toEqual({});
    expect(sqsAttributes(undefined)).toEqual({});
  });
});

describe('ARNs and records', () => {
  it('names queues and topics from their ARN and tells FIFO queues', () => {
    expect(nameFromArn('arn:aws:sqs:us-east-1:123456789012:ledger.fifo')).toBe('ledger.fifo');
    expect(nameFromArn('arn:aws:sns:us-east-2:123456789012:ExampleTopic')).toBe('ExampleTopic');
    expect(isFifoArn('arn:aws:sqs:us-east-1:123456789012:ledger.fifo')).toBe(true);
    expect(isFifoArn('arn:aws:sqs:us-east-1:123456789012:fifo-ledger')).toBe(false);
  });

  it('rejects a record without messageId or body', () => {
    expect(() => checkSqsRecord({ body: 'x' }, 2)).toThrow(new BadEventError('faasport/aws: SQS record 2 has no string messageId and body; it is not an SQS event Lambda sends'));
    expect(() => checkSqsRecord({ messageId: 'a' }, 0)).toThrow(BadEventError);
    expect(() => checkSqsRecord(null, 0)).toThrow(BadEventError);
  });
});
