/** Tells which native payload a Lambda event is, from a few property reads, and names it in errors. */
import { BadEventError, describeValue } from '../../../core/errors.js';
import type { EventSource } from '../types.js';

type Obj = Record<string, unknown>;

const isObject = (value: unknown): value is Obj => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The source of the event, or undefined when it is none faasport reads. Records are told by their first one. */
export function detectEventSource(event: unknown): EventSource | undefined {
  if (!isObject(event)) return undefined;
  const records = event.Records;
  if (Array.isArray(records)) {
    const first: unknown = records[0];
    if (!isObject(first)) return undefined;
    if (first.eventSource === 'aws:sqs') return 'sqs';
    if (first.EventSource === 'aws:sns') return 'sns';
    if (first.eventSource === 'aws:s3') return 's3';
    return undefined;
  }
  if (typeof event['detail-type'] === 'string' && typeof event.source === 'string') return 'eventbridge';
  if (event.source === 'faasport.scheduler') return 'scheduler';
  return undefined;
}

const LABELS: Record<EventSource, string> = {
  sqs: 'an SQS event',
  sns: 'an SNS event',
  s3: 'an S3 event',
  // Stryker disable next-line StringLiteral: describeEvent names an EventBridge event with its source and detail-type, never from this table
  eventbridge: 'an EventBridge event',
  scheduler: 'an EventBridge Scheduler payload',
};

/** "an SNS event", "an object with keys foo, bar", "a string": what arrived, for error messages. */
export function describeEvent(event: unknown): string {
  const source = detectEventSource(event);
  if (source === 'eventbridge') {
    const e = event as Obj;
    return `an EventBridge event (source "${String(e.source)}", detail-type "${String(e['detail-type'])}")`;
  }
  if (source) return LABELS[source];
  if (event === null) return 'null';
  if (event === undefined) return 'undefined';
  if (Array.isArray(event)) return 'an array';
  if (typeof event !== 'object') return `a ${typeof event}`;
  const records = (event as Obj).Records;
  if (Array.isArray(records)) {
    if (records.length === 0) return 'an event with no Records';
    const first: unknown = records[0];
    if (!isObject(first)) return `an event whose Records[0] is ${describeValue(first)}`;
    // (describeValue, not JSON.stringify: a hand-made event may hold a BigInt or a cycle, which would throw here.)
    if (first.eventSource !== undefined) return `an event whose Records[0].eventSource is ${describeValue(first.eventSource)}`;
    if (first.EventSource !== undefined) return `an event whose Records[0].EventSource is ${describeValue(first.EventSource)}`;
    return 'an event whose Records come from an unknown source (Records[0] has no eventSource)';
  }
  const keys = Object.keys(event);
  if (keys.length === 0) return 'an empty object';
  return `an object with keys ${keys.slice(0, 6).join(', ')}${keys.length > 6 ? ', ...' : ''}`;
}

/** The clear error for an event of the wrong shape for the function's kind (thrown: Lambda retries, then dead-letters). */
export function wrongEvent(kind: string, expected: string, event: unknown): BadEventError {
  return new BadEventError(
    `faasport/aws: this ${kind} function cannot read the event: expected ${expected}; got ${describeEvent(event)}. Check the function's trigger.`,
  );
}
