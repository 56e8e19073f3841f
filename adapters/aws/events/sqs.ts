/** SQS records -> neutral Message. Pure: no logging, no I/O. */
import type { SQSMessageAttributes, SQSRecord } from 'aws-lambda';
import { BadEventError } from '../../../core/errors.js';
import { createMessage } from '../../../core/message.js';
import type { Message } from '../../../core/types.js';

/** Shared by every message without attributes, so that the common case allocates nothing. */
export const NO_ATTRIBUTES: Readonly<Record<string, string>> = /* @__PURE__ */ Object.freeze({});

/** The last ARN field: `arn:aws:sqs:us-east-2:123456789012:my-queue` -> `my-queue` (also for SNS topics). */
export function nameFromArn(arn: string): string {
  // Every record of a batch comes from one queue: remember the last answer instead of slicing per message.
  if (arn !== lastArn) {
    lastArn = arn;
    lastName = arn.slice(arn.lastIndexOf(':') + 1);
  }
  return lastName;
}
let lastArn: string | undefined;
let lastName = '';

/** FIFO queue names end with `.fifo`; their batches must stop at the first failure to keep order. */
export const isFifoArn = (arn: string): boolean => arn.endsWith('.fifo');

/**
 * `messageAttributes` as strings. String and Number attributes (and custom `String.x`/`Number.x` types) give
 * their `stringValue`; Binary ones give `binaryValue`, which Lambda already delivers as base64 text.
 */
export function sqsAttributes(attributes: SQSMessageAttributes | undefined): Readonly<Record<string, string>> {
  let out: Record<string, string> | undefined;
  for (const name in attributes) {
    const attribute = attributes[name]!;
    const value = attribute.dataType.startsWith('Binary') ? attribute.binaryValue : attribute.stringValue;
    if (value !== undefined) (out ??= {})[name] = value;
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

/** The delivery count SQS keeps (`ApproximateReceiveCount`, 1 on first delivery). */
export function receiveCount(record: SQSRecord): number {
  const text = record.attributes?.ApproximateReceiveCount;
  if (text === '1') return 1; // the first delivery, by far the most common: no number parse
  const count = Number(text);
  return count >= 1 ? count : 1;
}

/** SentTimestamp (epoch ms as text): the message makes the Date only if a handler reads publishedAt. */
const sentAt = (record: SQSRecord): string | undefined => record.attributes?.SentTimestamp;

/** One SQS record as a neutral Message: body is the exact UTF-8 bytes of the (always textual) SQS body. */
export function sqsMessage(record: SQSRecord): Message {
  return createMessage({
    id: record.messageId,
    body: record.body,
    attributes: sqsAttributes(record.messageAttributes),
    deliveryCount: receiveCount(record),
    publishedAt: sentAt(record),
    source: nameFromArn(record.eventSourceARN ?? ''),
  });
}
