/** SQS records -> neutral Message. Pure: no logging, no I/O. */
import type { SQSRecord } from 'aws-lambda';
import { BadEventError, describeValue } from '../../../core/errors.js';
import { createMessage, newAttributes, NO_ATTRIBUTES } from '../../../core/message.js';
import type { Message } from '../../../core/types.js';

export { NO_ATTRIBUTES };

/** The last ARN field: `arn:aws:sqs:us-east-2:123456789012:my-queue` -> `my-queue` (also for SNS topics). */
export function nameFromArn(arn: string): string {
  // Every record of a batch comes from one queue: remember the last answer instead of slicing per message.
  // Stryker disable next-line ConditionalExpression: a cache only; slicing again gives the same name
  if (arn !== lastArn) {
    lastArn = arn;
    lastName = arn.slice(arn.lastIndexOf(':') + 1);
  }
  return lastName;
}
let lastArn: string | undefined;
// Stryker disable next-line StringLiteral: never read before nameFromArn sets it (a string arn never equals the initial undefined lastArn)
let lastName = '';

/** FIFO queue names end with `.fifo`; their batches must stop at the first failure to keep order. */
export const isFifoArn = (arn: unknown): boolean => typeof arn === 'string' && arn.endsWith('.fifo');

const badRecord = (messageId: string, problem: string, expected: string): BadEventError =>
  new BadEventError(`faasport/aws: SQS message ${messageId}: ${problem}; expected ${expected}`);

/**
 * `messageAttributes` as strings. String and Number attributes (and custom `String.x`/`Number.x` types) give
 * their `stringValue`; Binary ones give `binaryValue`, which Lambda already delivers as base64 text. SQS only
 * ever sends text there, so any other value is a malformed record (refused, not stringified).
 */
export function sqsAttributes(attributes: unknown, messageId = '(no id)'): Readonly<Record<string, string>> {
  if (attributes === undefined || attributes === null) return NO_ATTRIBUTES;
  if (typeof attributes !== 'object' || Array.isArray(attributes)) {
    throw badRecord(messageId, `messageAttributes is ${describeValue(attributes)}`, 'an object of {dataType, stringValue | binaryValue}');
  }
  let out: Record<string, string> | undefined;
  for (const name of Object.keys(attributes)) {
    const attribute = (attributes as Record<string, unknown>)[name] as { dataType?: unknown; stringValue?: unknown; binaryValue?: unknown } | null;
    if (typeof attribute !== 'object' || attribute === null || typeof attribute.dataType !== 'string') {
      throw badRecord(messageId, `messageAttributes[${JSON.stringify(name)}] has no string dataType`, 'an object of {dataType, stringValue | binaryValue}');
    }
    const field = attribute.dataType.startsWith('Binary') ? 'binaryValue' : 'stringValue';
    const value = attribute[field];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'string') {
      throw badRecord(messageId, `messageAttributes[${JSON.stringify(name)}].${field} is ${describeValue(value)}`, 'a string');
    }
    (out ??= newAttributes())[name] = value;
  }
  return out ?? NO_ATTRIBUTES;
}

/** `messageId` and `body` are what every SQS record must have; without a messageId no failure can be reported. */
export function checkSqsRecord(record: unknown, index: number): asserts record is SQSRecord {
  const r = record as Partial<SQSRecord> | null;
  if (typeof r !== 'object' || r === null || typeof r.messageId !== 'string' || r.messageId === '' || typeof r.body !== 'string') {
    throw new BadEventError(
      `faasport/aws: SQS record ${index} has no string messageId and body; it is not an SQS event Lambda sends`,
    );
  }
}

const POSITIVE_INTEGER = /^[1-9][0-9]{0,14}$/;

/**
 * The delivery count SQS keeps (`ApproximateReceiveCount`, 1 on first delivery); 1 when a hand-made record
 * has no attributes. A count that is not a whole number from 1 is a malformed record.
 */
export function receiveCount(record: SQSRecord): number {
  const text: unknown = record.attributes?.ApproximateReceiveCount;
  // Stryker disable next-line ConditionalExpression: only the text === '1' -> false variant survives: "1" parses to 1 on the general path too
  if (text === '1' || text === undefined) return 1; // the first delivery, by far the most common: no number parse
  if (typeof text !== 'string' || !POSITIVE_INTEGER.test(text)) {
    throw badRecord(record.messageId, `attributes.ApproximateReceiveCount is ${describeValue(text)}`, 'a whole number from 1, as text');
  }
  return Number(text);
}

/** SentTimestamp (epoch ms as text): the message makes the Date only if a handler reads publishedAt. */
const sentAt = (record: SQSRecord): string | undefined => {
  const sent: unknown = record.attributes?.SentTimestamp;
  return typeof sent === 'string' ? sent : undefined;
};

/** The queue name from `eventSourceARN` ('' for a hand-made record without one). */
function queueName(record: SQSRecord): string {
  const arn: unknown = record.eventSourceARN;
  if (arn === undefined) return '';
  if (typeof arn !== 'string') throw badRecord(record.messageId, `eventSourceARN is ${describeValue(arn)}`, 'the queue ARN, arn:aws:sqs:<region>:<account>:<queue>');
  return nameFromArn(arn);
}

/** One SQS record as a neutral Message: body is the exact UTF-8 bytes of the (always textual) SQS body. */
export function sqsMessage(record: SQSRecord): Message {
  return createMessage({
    id: record.messageId,
    body: record.body,
    attributes: sqsAttributes(record.messageAttributes, record.messageId),
    deliveryCount: receiveCount(record),
    publishedAt: sentAt(record),
    source: queueName(record),
  });
}
