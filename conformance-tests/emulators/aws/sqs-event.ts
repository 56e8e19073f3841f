/**
 * What Lambda's SQS event source mapping sends and reads back (pure): the `SQSEvent` built from received
 * messages, and the partial batch response (`batchItemFailures`, ReportBatchItemFailures on) judged as Lambda does.
 */
import type { SQSEvent, SQSMessageAttributes, SQSRecord, SQSRecordAttributes } from 'aws-lambda';
import { REGION } from './lambda-protocol.js';
import { SENDER_ID, md5Hex, type ReceivedMessage } from './sqs-queue.js';

/** String message attributes the way Lambda delivers them (list fields are reserved and always empty). */
export function sqsMessageAttributes(attributes: Readonly<Record<string, string>>): SQSMessageAttributes {
  const out: SQSMessageAttributes = {};
  for (const [name, value] of Object.entries(attributes)) {
    out[name] = { stringValue: value, stringListValues: [], binaryListValues: [], dataType: 'String' };
  }
  return out;
}

function lengthPrefixed(bytes: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return Buffer.concat([length, bytes]);
}

/**
 * SQS's MD5OfMessageAttributes: for each attribute by name (byte order), the length-prefixed name, the
 * length-prefixed data type, a transport byte (1 string, 2 binary) and the length-prefixed value; MD5 of it all.
 */
export function md5OfMessageAttributes(attributes: Readonly<Record<string, string>>): string {
  const names = Object.keys(attributes).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  const parts: Buffer[] = [];
  for (const name of names) {
    parts.push(lengthPrefixed(Buffer.from(name, 'utf8')), lengthPrefixed(Buffer.from('String')), Buffer.from([1]));
    parts.push(lengthPrefixed(Buffer.from(attributes[name]!, 'utf8')));
  }
  return md5Hex(Buffer.concat(parts));
}

/** One received message as the record Lambda puts in the event. */
export function toSqsRecord(message: ReceivedMessage, queueArn: string): SQSRecord {
  const attributes: SQSRecordAttributes = {
    ApproximateReceiveCount: String(message.receiveCount),
    SentTimestamp: String(message.sentTimestamp),
    ...(message.fifo ? { SequenceNumber: message.fifo.sequenceNumber, MessageGroupId: message.fifo.groupId } : {}),
    SenderId: SENDER_ID,
    ...(message.fifo ? { MessageDeduplicationId: message.fifo.deduplicationId } : {}),
    ApproximateFirstReceiveTimestamp: String(message.firstReceiveTimestamp),
    ...(message.deadLetterSourceArn ? { DeadLetterQueueSourceArn: message.deadLetterSourceArn } : {}),
  };
  const hasAttributes = Object.keys(message.attributes).length > 0;
  return {
    messageId: message.messageId,
    receiptHandle: message.receiptHandle,
    body: message.body,
    attributes,
    messageAttributes: sqsMessageAttributes(message.attributes),
    ...(hasAttributes ? { md5OfMessageAttributes: md5OfMessageAttributes(message.attributes) } : {}),
    md5OfBody: message.md5OfBody,
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: REGION,
  };
}

export const toSqsEvent = (messages: readonly ReceivedMessage[], queueArn: string): SQSEvent => ({
  Records: messages.map((m) => toSqsRecord(m, queueArn)),
});

/** How the event source mapping treats a batch after a successful invocation. */
export type BatchVerdict =
  /** Delete every message but the `failed` ones (empty: all succeeded). */
  | { readonly kind: 'partial'; readonly failed: ReadonlySet<string> }
  /** The whole batch failed: every message returns to the queue. */
  | { readonly kind: 'failure'; readonly reason: string };

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Reads a function's response with ReportBatchItemFailures on. Lambda's documented rules: an empty or null
 * `batchItemFailures` list, and an empty or null response, are complete success; invalid JSON, an empty-string
 * or null `itemIdentifier`, an item with a bad key name, or an id not in the batch make it a complete failure.
 * A response that is JSON but not an object (a string, number or array) cannot be read as a batch response;
 * it is treated as invalid too (our reading: Lambda deserialises the response into the batch response type).
 */
export function readBatchResponse(payload: string, batchIds: ReadonlySet<string>): BatchVerdict {
  let response: unknown;
  try {
    response = payload.trim() === '' ? null : JSON.parse(payload);
  } catch {
    return { kind: 'failure', reason: 'the response is not valid JSON' };
  }
  if (response === null) return { kind: 'partial', failed: new Set() };
  if (!isRecord(response)) return { kind: 'failure', reason: `the response is ${Array.isArray(response) ? 'an array' : `a ${typeof response}`}, not an object` };
  const items = response.batchItemFailures;
  if (items === undefined || items === null) return { kind: 'partial', failed: new Set() };
  if (!Array.isArray(items)) return { kind: 'failure', reason: 'batchItemFailures is not a list' };
  const failed = new Set<string>();
  for (const [index, item] of items.entries()) {
    if (!isRecord(item) || !('itemIdentifier' in item)) {
      return { kind: 'failure', reason: `batchItemFailures[${index}] has no itemIdentifier` };
    }
    const id = item.itemIdentifier;
    if (typeof id !== 'string' || id === '') {
      return { kind: 'failure', reason: `batchItemFailures[${index}].itemIdentifier is ${id === '' ? 'an empty string' : JSON.stringify(id)}` };
    }
    if (!batchIds.has(id)) return { kind: 'failure', reason: `batchItemFailures[${index}].itemIdentifier "${id}" is not a message of this batch` };
    failed.add(id);
  }
  return { kind: 'partial', failed };
}

/** Bytes a message adds to the event (its record as JSON, and the comma between records); for the 6 MB payload limit. */
export function recordSize(message: { readonly body: string; readonly attributes: Readonly<Record<string, string>> }): number {
  // The fixed fields (ids, receipt handle, digests, timestamps, ARN) take well under this many bytes.
  const FIXED_FIELDS_BYTES = 1024;
  return Buffer.byteLength(JSON.stringify(message.body)) + Buffer.byteLength(JSON.stringify(sqsMessageAttributes(message.attributes))) + FIXED_FIELDS_BYTES;
}
