/**
 * The Lambda handler of a storage function. S3 reaches Lambda four ways, all accepted: directly (async
 * invoke), through SQS (partial batch response), through SNS (S3 -> SNS -> Lambda, or -> SQS), and through
 * EventBridge (bucket option "send to EventBridge", detail-type "Object Created"/"Object Deleted").
 */
import type { S3Event, S3EventRecord, SNSEvent, SQSEvent, SQSRecord } from 'aws-lambda';
import { BadEventError } from '../../../core/errors.js';
import type { StorageEvent, StorageFunction } from '../../../core/types.js';
import type { AdaptOptions, AwsStorageEvent, AwsStorageHandler, AwsStorageNative, LambdaContext, S3BridgeEvent } from '../types.js';
import type { AwsInvocation } from '../context.js';
import { detectEventSource, wrongEvent } from './detect.js';
import { adapterLog, invocation, runAllOrThrow, runSqsBatch, type Invocation, type Job } from './invocation.js';
import { isS3BridgeEvent, parseS3Body, s3BridgeStorageEvent, s3StorageEvent } from './s3.js';

export const STORAGE_EXPECTS =
  'an S3 event (Records from aws:s3), an SQS or SNS event carrying S3 notifications, or an S3 EventBridge event (source aws.s3)';

/** The function's `events` option (default: all); the trigger should already filter, this is the safety net. */
function wanted(fn: StorageFunction, inv: AwsInvocation, input: StorageEvent | undefined, what: string): input is StorageEvent {
  if (input === undefined) {
    adapterLog(inv).debug(`faasport: skipped ${what}: not an object created/deleted event`);
    return false;
  }
  const events = fn.options.events;
  if (events && !events.includes(input.type)) {
    adapterLog(inv).debug(`faasport: skipped ${what}: the function does not take "${input.type}" events`, { key: input.key });
    return false;
  }
  return true;
}

const recordFields = (input: StorageEvent, extra?: Record<string, string>) => ({ bucket: input.bucket, key: input.key, ...extra });

/** Jobs for S3 records, converted (and checked) before any runs. */
function s3Jobs(
  fn: StorageFunction,
  inv: AwsInvocation,
  records: readonly S3EventRecord[],
  native: (record: S3EventRecord) => AwsStorageNative,
  extra?: Record<string, string>,
): Job<AwsStorageNative>[] {
  const jobs: Job<AwsStorageNative>[] = [];
  records.forEach((record, index) => {
    const input = s3StorageEvent(record, index);
    if (wanted(fn, inv, input, `S3 record ${index} (${String(record.eventName)})`)) {
      jobs.push({ input, native: native(record), fields: recordFields(input, extra) });
    }
  });
  return jobs;
}

/** Reads S3 records from an SQS or SNS message body; undefined for the s3:TestEvent (acked, nothing to run). */
function s3RecordsOf(body: string, inv: AwsInvocation, what: string): readonly S3EventRecord[] | undefined {
  const parsed = parseS3Body(body);
  if (parsed.kind === 'records') return parsed.records;
  if (parsed.kind === 'test') {
    adapterLog(inv).debug(`faasport: skipped ${what}: the s3:TestEvent S3 sends when notifications are configured`, { bucket: parsed.test.Bucket });
    return undefined;
  }
  throw new BadEventError(`faasport/aws: ${what} does not carry an S3 notification (expected a JSON body with S3 Records or an SNS envelope of one)`);
}

/** One SQS message: its S3 records run in order; any failure fails the message, so SQS redelivers it. */
function readSqsRecord(fn: StorageFunction, record: SQSRecord, inv: Invocation<SQSEvent>): Job<AwsStorageNative>[] | undefined {
  const records = s3RecordsOf(record.body, inv, `SQS message ${record.messageId}`);
  if (!records) return undefined;
  return s3Jobs(fn, inv, records, (s3) => ({ event: inv.event, context: inv.context, record: s3, carrier: record }), {
    messageId: record.messageId,
  });
}

function snsJobs(fn: StorageFunction, inv: Invocation<SNSEvent>): Job<AwsStorageNative>[] {
  return inv.event.Records.flatMap((sns, index) => {
    // (No String() of an unchecked value: an object whose toString is not a function makes String() throw.)
    const message: unknown = sns?.Sns?.Message;
    // Equivalent mutant (another fallback text): any text not starting with '{' reads as no S3 notification, and the error does not quote it.
    const records = s3RecordsOf(typeof message === 'string' ? message : '', inv, `the Sns.Message of SNS record ${index}`);
    if (!records) return [];
    return s3Jobs(fn, inv, records, (s3) => ({ event: inv.event, context: inv.context, record: s3, carrier: sns }));
  });
}

function bridgeJobs(fn: StorageFunction, inv: Invocation<S3BridgeEvent>): Job<AwsStorageNative>[] {
  const event = inv.event;
  const input = s3BridgeStorageEvent(event);
  // The id is only for log lines: an event without a string id is still read (a template of a non-string throws).
  const id = typeof event.id === 'string' ? event.id : '(no id)';
  if (!wanted(fn, inv, input, `EventBridge event ${id} (${event['detail-type']})`)) return [];
  return [{ input, native: { event, context: inv.context, record: event }, fields: recordFields(input, { eventId: id }) }];
}

export function storageHandler(fn: StorageFunction, options: AdaptOptions = {}): AwsStorageHandler {
  const name = options.name;
  return async function faasportAwsStorage(event: AwsStorageEvent, context: LambdaContext) {
    const source = detectEventSource(event);
    if (source === 'sqs') return runSqsBatch(fn, invocation(event as SQSEvent, context, name), readSqsRecord);
    if (source === 's3') {
      const inv = invocation(event as S3Event, context, name);
      await runAllOrThrow(fn, inv, s3Jobs(fn, inv, inv.event.Records, (record) => ({ event: inv.event, context, record })));
    } else if (source === 'sns') {
      const inv = invocation(event as SNSEvent, context, name);
      await runAllOrThrow(fn, inv, snsJobs(fn, inv));
    } else if (source === 'eventbridge' && isS3BridgeEvent(event as S3BridgeEvent)) {
      const inv = invocation(event as S3BridgeEvent, context, name);
      await runAllOrThrow(fn, inv, bridgeJobs(fn, inv));
    } else {
      throw wrongEvent('storage', STORAGE_EXPECTS, event);
    }
    return undefined;
  };
}
