import { describe, expect, it } from 'vitest';
import { BadEventError } from '../../../core/errors.js';
import { envelopeMessage, looksLikeObject, parseSnsEnvelope, snsAttributes, snsMessage } from './sns.js';
import { fixture, sharedFixture } from './test-helpers.js';

describe('snsMessage', () => {
  it('reads the shared sample: Message bytes, MessageId, Timestamp, topic name, deliveryCount 1', () => {
    const msg = snsMessage(sharedFixture('sns/base.json').Records[0], 0);
    expect(msg.id).toBe('95df01b4-ee98-5cb9-9903-4c221d41eb5e');
    expect(msg.body).toEqual(new TextEncoder().encode('Hello from SNS!'));
    expect(msg.text()).toBe('Hello from SNS!');
    expect(msg.publishedAt).toEqual(new Date('2019-01-02T12:45:07.000Z'));
    expect(msg.source).toBe('ExampleTopic');
    expect(msg.deliveryCount).toBe(1);
    expect(msg.attributes).toEqual({ Test: 'TestString', TestBinary: 'TestBinary' });
  });

  it('gives Number and String.Array attributes as their Value text', () => {
    expect(snsMessage(fixture('sns-two-records.json').Records[0], 0).attributes).toEqual({ plan: 'pro', seats: '5', tags: '["a","b"]' });
    expect(snsAttributes(undefined)).toEqual({});
  });

  it('rejects a record without Sns.Message', () => {
    const record = sharedFixture('sns/base.json').Records[0];
    delete record.Sns.Message;
    expect(() => snsMessage(record, 0)).toThrow(new BadEventError('faasport/aws: SNS record 0 has no Sns.MessageId, Sns.TopicArn and Sns.Message strings'));
  });
});

describe('parseSnsEnvelope', () => {
  it('unwraps the shared SNS-in-SQS sample', () => {
    const envelope = parseSnsEnvelope(sharedFixture('sqs/sns-body.json').Records[0].body)!;
    expect(envelope.MessageId).toBe('d88d4479-6ec0-54fe-b63f-1cf9df4bb16e');
    const msg = envelopeMessage(envelope, 2);
    expect(msg.text()).toBe('{"message": "hello world"}');
    expect(msg.json()).toEqual({ message: 'hello world' });
    expect(msg.source).toBe('powertools265');
    expect(msg.publishedAt).toEqual(new Date('2021-01-19T10:07:07.287Z'));
    expect(msg.deliveryCount).toBe(2);
    expect(msg.attributes).toEqual({});
  });

  it('keeps envelope attributes, Binary ones as base64 text', () => {
    const envelope = parseSnsEnvelope(fixture('sqs-sns-envelopes.json').Records[0].body)!;
    expect(envelopeMessage(envelope, 1).attributes).toEqual({ plan: 'free', bin: '3q2+7w==' });
  });

  it('says undefined for bodies that are not an SNS notification', () => {
    expect(parseSnsEnvelope('Test message.')).toBeUndefined();
    expect(parseSnsEnvelope('{"message": "foo1"}')).toBeUndefined();
    expect(parseSnsEnvelope('{"Type":"SubscriptionConfirmation","MessageId":"a","TopicArn":"b","Message":"c"}')).toBeUndefined();
    expect(parseSnsEnvelope('{not json')).toBeUndefined();
    expect(parseSnsEnvelope('null')).toBeUndefined();
  });

  it('looksLikeObject skips leading whitespace only', () => {
    expect(looksLikeObject(' \n\t{')).toBe(true);
    expect(looksLikeObject('x{')).toBe(false);
    expect(looksLikeObject('')).toBe(false);
  });
});
