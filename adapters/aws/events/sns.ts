/** SNS notifications (Lambda SNS records, and SNS envelopes in SQS bodies) -> neutral Message. Pure. */
import type { SNSEventRecord, SNSMessageAttributes } from 'aws-lambda';
import { BadEventError, describeValue } from '../../../core/errors.js';
import { createMessage, newAttributes, NO_ATTRIBUTES } from '../../../core/message.js';
import type { Message } from '../../../core/types.js';
import type { SnsEnvelope } from '../types.js';
import { nameFromArn } from './sqs.js';

/**
 * `MessageAttributes` as strings: each `Value` as sent (Binary attributes are base64 text already). SNS only
 * sends text there, so any other value is a malformed notification (refused, not stringified).
 */
export function snsAttributes(attributes: SNSMessageAttributes | undefined, messageId = '(no id)'): Readonly<Record<string, string>> {
  if (attributes === undefined || attributes === null) return NO_ATTRIBUTES;
  const bad = (problem: string) =>
    new BadEventError(`faasport/aws: SNS message ${messageId}: ${problem}; expected an object of {Type, Value} with string values`);
  if (typeof attributes !== 'object' || Array.isArray(attributes)) throw bad(`MessageAttributes is ${describeValue(attributes)}`);
  let out: Record<string, string> | undefined;
  for (const name of Object.keys(attributes)) {
    const attribute = attributes[name] as { Value?: unknown } | null;
    const value = typeof attribute === 'object' && attribute !== null ? attribute.Value : attribute;
    if (typeof value !== 'string') throw bad(`MessageAttributes[${JSON.stringify(name)}].Value is ${describeValue(value)}`);
    (out ??= newAttributes())[name] = value;
  }
  return out ?? NO_ATTRIBUTES;
}

/** The fields both SNS forms share, under the same names. */
type SnsNotification = Pick<SnsEnvelope, 'MessageId' | 'TopicArn' | 'Message' | 'Timestamp' | 'MessageAttributes'>;

function notificationMessage(sns: SnsNotification, deliveryCount: number): Message {
  return createMessage({
    id: sns.MessageId,
    body: sns.Message,
    attributes: snsAttributes(sns.MessageAttributes, sns.MessageId),
    deliveryCount,
    publishedAt: typeof sns.Timestamp === 'string' ? new Date(sns.Timestamp) : undefined,
    source: nameFromArn(sns.TopicArn),
  });
}

const isNotification = (sns: Partial<SnsNotification> | null | undefined): sns is SnsNotification =>
  typeof sns === 'object' &&
  sns !== null &&
  typeof sns.MessageId === 'string' &&
  typeof sns.TopicArn === 'string' &&
  typeof sns.Message === 'string';

/** A Lambda SNS record as a Message. SNS tells no delivery count; a retried invocation still says 1. */
export function snsMessage(record: SNSEventRecord, index: number): Message {
  const sns = record?.Sns;
  if (!isNotification(sns)) {
    throw new BadEventError(`faasport/aws: SNS record ${index} has no Sns.MessageId, Sns.TopicArn and Sns.Message strings`);
  }
  return notificationMessage(sns, 1);
}

/**
 * The SNS envelope in an SQS body (SNS -> SQS subscription without raw message delivery), or undefined when
 * the body is not one. Cheap for non-JSON bodies: parses only what starts like an object.
 */
export function parseSnsEnvelope(body: string): SnsEnvelope | undefined {
  // Stryker disable next-line ConditionalExpression: a fast path only; JSON that is not an object has no Type and is refused below
  if (!looksLikeObject(body)) return undefined;
  let parsed: Partial<SnsEnvelope> | null;
  try {
    // Stryker disable BlockStatement: (the catch block only; restored below) an empty catch leaves parsed undefined, which parsed?.Type below refuses just as the catch's return does
    parsed = JSON.parse(body) as Partial<SnsEnvelope> | null;
  } catch {
    return undefined;
  }
  // Stryker restore BlockStatement
  // Stryker disable next-line OptionalChaining: a text starting with "{" never parses to null
  return parsed?.Type === 'Notification' && isNotification(parsed) ? (parsed as SnsEnvelope) : undefined;
}

/** An unwrapped envelope as a Message; the SQS receive count is the delivery count of the fan-out pattern. */
export const envelopeMessage = (envelope: SnsEnvelope, deliveryCount: number): Message => notificationMessage(envelope, deliveryCount);

/** Whether text starts (after whitespace) with `{`. */
export function looksLikeObject(text: string): boolean {
  // Stryker disable next-line EqualityOperator: at i === length charCodeAt is NaN, which returns false just as the loop end does
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x7b) return true;
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return false;
  }
  return false;
}
