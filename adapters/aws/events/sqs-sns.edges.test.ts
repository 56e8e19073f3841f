import type { SNSEventRecord, SQSRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import type { SnsEnvelope } from '../types.js';
import { envelopeMessage, looksLikeObject, snsAttributes, snsMessage } from './sns.js';
import { checkSqsRecord, NO_ATTRIBUTES, receiveCount, sqsAttributes, sqsMessage } from './sqs.js';

const SQS_SHAPE = 'an object of {dataType, stringValue | binaryValue}';

describe('sqsAttributes edges', () => {
  it('answers NO_ATTRIBUTES for null and for attributes without a value', () => {
    expect(sqsAttributes(null)).toBe(NO_ATTRIBUTES);
    expect(sqsAttributes({ a: { dataType: 'String', stringValue: null }, b: { dataType: 'String' } })).toBe(NO_ATTRIBUTES);
  });

  it('reads binaryValue for every type starting with "Binary"', () => {
    expect(sqsAttributes({ a: { dataType: 'Binary.png', binaryValue: 'AQ==', stringValue: 'x' } })).toEqual({ a: 'AQ==' });
  });

  it('names the message (or "(no id)") and the bad part in full', () => {
    expect(() => sqsAttributes(5)).toThrow(`faasport/aws: SQS message (no id): messageAttributes is the number 5; expected ${SQS_SHAPE}`);
    expect(() => sqsAttributes(['a'], 'm-1')).toThrow(`faasport/aws: SQS message m-1: messageAttributes is an array; expected ${SQS_SHAPE}`);
    expect(() => sqsAttributes({ a: { stringValue: 'x' } }, 'm-1')).toThrow(
      `faasport/aws: SQS message m-1: messageAttributes["a"] has no string dataType; expected ${SQS_SHAPE}`,
    );
    expect(() => sqsAttributes({ a: { dataType: 'Number', stringValue: 5 } }, 'm-1')).toThrow(
      'faasport/aws: SQS message m-1: messageAttributes["a"].stringValue is the number 5; expected a string',
    );
  });
});

describe('checkSqsRecord edges', () => {
  const message = (index: number) => `faasport/aws: SQS record ${index} has no string messageId and body; it is not an SQS event Lambda sends`;

  it('refuses an empty messageId and a record that is not an object', () => {
    expect(() => checkSqsRecord({ messageId: '', body: 'x' }, 3)).toThrow(message(3));
    expect(() => checkSqsRecord(null, 0)).toThrow(message(0));
    expect(() => checkSqsRecord(Object.assign(() => undefined, { messageId: 'm', body: 'x' }), 1)).toThrow(message(1));
    expect(() => checkSqsRecord({ messageId: 'm', body: 'x' }, 1)).not.toThrow();
  });
});

describe('receiveCount edges', () => {
  const record = (attributes?: Record<string, unknown>) => ({ messageId: 'm-1', body: '', attributes }) as unknown as SQSRecord;
  const bad = (what: string) =>
    `faasport/aws: SQS message m-1: attributes.ApproximateReceiveCount is ${what}; expected a whole number from 1, as text`;

  it('is 1 without attributes or count, and the number otherwise', () => {
    expect(receiveCount(record())).toBe(1);
    expect(receiveCount(record({}))).toBe(1);
    expect(receiveCount(record({ ApproximateReceiveCount: '1' }))).toBe(1);
    expect(receiveCount(record({ ApproximateReceiveCount: '12' }))).toBe(12);
  });

  it('refuses a count that is not a whole number from 1, as text', () => {
    expect(() => receiveCount(record({ ApproximateReceiveCount: '0' }))).toThrow(bad('the string "0"'));
    expect(() => receiveCount(record({ ApproximateReceiveCount: '2a' }))).toThrow(bad('the string "2a"'));
    expect(() => receiveCount(record({ ApproximateReceiveCount: 2 }))).toThrow(bad('the number 2'));
  });
});

describe('sqsMessage source and publishedAt edges', () => {
  it('has source "" and no publishedAt for a hand-made record without ARN or attributes', () => {
    const message = sqsMessage({ messageId: 'm-1', body: 'hi' } as SQSRecord);
    expect(message.source).toBe('');
    expect(message.publishedAt).toBeUndefined();
    expect(message.deliveryCount).toBe(1);
  });

  it('ignores a SentTimestamp that is not text', () => {
    const message = sqsMessage({ messageId: 'm-1', body: 'hi', attributes: { SentTimestamp: 5 } } as unknown as SQSRecord);
    expect(message.publishedAt).toBeUndefined();
  });

  it('refuses an eventSourceARN that is not a string', () => {
    expect(() => sqsMessage({ messageId: 'm-1', body: 'hi', eventSourceARN: 5 } as unknown as SQSRecord)).toThrow(
      'faasport/aws: SQS message m-1: eventSourceARN is the number 5; expected the queue ARN, arn:aws:sqs:<region>:<account>:<queue>',
    );
  });
});

describe('snsAttributes edges', () => {
  const bad = (id: string, problem: string) => `faasport/aws: SNS message ${id}: ${problem}; expected an object of {Type, Value} with string values`;

  it('answers NO_ATTRIBUTES for null and takes a bare string as the value', () => {
    expect(snsAttributes(null as never)).toBe(NO_ATTRIBUTES);
    expect(snsAttributes({ a: 'plain' } as never)).toEqual({ a: 'plain' });
  });

  it('names the message (or "(no id)") and the bad part in full', () => {
    expect(() => snsAttributes('x' as never)).toThrow(bad('(no id)', 'MessageAttributes is the string "x"'));
    expect(() => snsAttributes(['a'] as never, 'n-1')).toThrow(bad('n-1', 'MessageAttributes is an array'));
    expect(() => snsAttributes({ a: null } as never, 'n-1')).toThrow(bad('n-1', 'MessageAttributes["a"].Value is null'));
    expect(() => snsAttributes({ a: { Type: 'Number', Value: 5 } } as never, 'n-1')).toThrow(
      bad('n-1', 'MessageAttributes["a"].Value is the number 5'),
    );
  });
});

describe('snsMessage and envelopeMessage edges', () => {
  const message = (index: number) => `faasport/aws: SNS record ${index} has no Sns.MessageId, Sns.TopicArn and Sns.Message strings`;
  const sns = { MessageId: 'n-1', TopicArn: 'arn:aws:sns:us-east-1:123456789012:orders', Message: 'hi' };

  it('refuses a missing record, a null or non-object Sns, and a non-string MessageId', () => {
    expect(() => snsMessage(undefined as unknown as SNSEventRecord, 2)).toThrow(message(2));
    expect(() => snsMessage({ Sns: null } as unknown as SNSEventRecord, 0)).toThrow(message(0));
    expect(() => snsMessage({ Sns: Object.assign(() => undefined, sns) } as unknown as SNSEventRecord, 1)).toThrow(message(1));
    expect(() => snsMessage({ Sns: { ...sns, MessageId: 5 } } as unknown as SNSEventRecord, 1)).toThrow(message(1));
  });

  it('has no publishedAt without a Timestamp', () => {
    const m = envelopeMessage({ ...sns, Type: 'Notification' } as SnsEnvelope, 3);
    expect(m.publishedAt).toBeUndefined();
    expect(m.deliveryCount).toBe(3);
    expect(m.source).toBe('orders');
    expect(envelopeMessage({ ...sns, Type: 'Notification', Timestamp: 5 } as unknown as SnsEnvelope, 1).publishedAt).toBeUndefined();
  });
});

describe('looksLikeObject', () => {
  it('skips space, tab, CR and LF before "{" and nothing else', () => {
    expect(looksLikeObject(' \t\r\n{')).toBe(true);
    expect(looksLikeObject('\n{')).toBe(true);
    expect(looksLikeObject('\r{')).toBe(true);
    expect(looksLikeObject('\t{')).toBe(true);
    expect(looksLikeObject('x{')).toBe(false);
    expect(looksLikeObject('  ')).toBe(false);
  });
});
