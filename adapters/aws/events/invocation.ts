/**
 * The delivery loops shared by the event kinds: an SQS batch answered with a partial batch response, and
 * "run every input, then throw so that Lambda retries" for the asynchronous sources (SNS, S3, EventBridge).
 */
import type { SQSBatchItemFailure, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { ContextInit } from '../../../core/context.js';
import { BadEventError } from '../../../core/errors.js';
import { DeliveryFailedError, runEvent, type EventFunction as CoreEventFunction, type EventInput } from '../../../core/events.js';
import { createLogger, jsonLineSink, type LogSink } from '../../../core/log.js';
import type { AnyFunction, LogFields, Logger } from '../../../core/types.js';
import { awsInvocation, type AwsInvocation } from '../context.js';
import type { LambdaContext } from '../types.js';
import { checkSqsRecord, isFifoArn } from './sqs.js';

/**
 * Any non-HTTP function. (core's `EventFunction` is `FaasFunction<union>`, to which a `FaasFunction<'queue'>` is
 * not assignable because handler parameters are contravariant; hence this union and one cast in `runOne`.)
 */
export type EventKindFunction = Exclude<AnyFunction, { kind: 'http' }>;

/** One Lambda invocation of an event function. */
export interface Invocation<E> extends AwsInvocation {
  readonly event: E;
  readonly context: LambdaContext;
}

export function invocation<E>(event: E, context: LambdaContext, name: string | undefined): Invocation<E> {
  const base = awsInvocation(context, name);
  return { functionName: base.functionName, invocationId: base.invocationId, deadline: base.deadline, event, context };
}

const baseFields = (inv: AwsInvocation): LogFields => ({ function: inv.functionName, invocationId: inv.invocationId, provider: 'aws' });

/** A log sink that adds `fields` (e.g. the message id) to every line; the JSON sink is built on first use. */
function sinkWith(inv: AwsInvocation, fields: LogFields): LogSink {
  let sink: LogSink | undefined;
  return (level, message, extra) => (sink ??= jsonLineSink({ ...baseFields(inv), ...fields }))(level, message, extra);
}

/** Runs the handler on one input; every input of an invocation shares its invocation id, `fields` tell them apart. */
export function runOne<N>(fn: EventKindFunction, inv: AwsInvocation, input: EventInput, native: N, fields: LogFields | undefined) {
  const init: ContextInit<N> = {
    provider: 'aws',
    functionName: inv.functionName,
    invocationId: inv.invocationId,
    deadline: inv.deadline,
    native,
  };
  if (fields) init.logSink = sinkWith(inv, fields);
  return runEvent(fn as CoreEventFunction, input, init);
}

/** The adapter's own lines (skips, unreadable records), with the same fields as `ctx.log`. */
export const adapterLog = (inv: AwsInvocation, fields?: LogFields): Logger =>
  createLogger(jsonLineSink(fields ? { ...baseFields(inv), ...fields } : baseFields(inv)));

/** One input, converted before it runs. */
export interface Job<N> {
  readonly input: EventInput;
  readonly native: N;
  readonly fields: LogFields | undefined;
}

/**
 * Reads one SQS record into what to run: one job, several (an S3 notification may hold several records), or
 * none (a record rightly acked unseen, like the s3:TestEvent). Synchronous, so that the common one-job case
 * costs no extra promise. Throws `BadEventError` for a record it cannot read.
 */
export type SqsRecordReader<F, N> = (fn: F, record: SQSRecord, inv: Invocation<SQSEvent>) => Job<N> | readonly Job<N>[] | undefined;

/** Runs the jobs of one SQS record; all run, and the record failed when any of them did. */
async function runJobs<N>(fn: EventKindFunction, inv: AwsInvocation, jobs: Job<N> | readonly Job<N>[] | undefined): Promise<boolean> {
  if (jobs === undefined) return true;
  if (!isJobList(jobs)) return (await runOne(fn, inv, jobs.input, jobs.native, jobs.fields)).ok;
  let ok = true;
  for (const job of jobs) if (!(await runOne(fn, inv, job.input, job.native, job.fields)).ok) ok = false;
  return ok;
}

const isJobList = <N>(jobs: Job<N> | readonly Job<N>[]): jobs is readonly Job<N>[] => Array.isArray(jobs);

/**
 * Runs the records in order, one at a time, and answers the partial batch response: exactly the failed
 * records are listed and redelivered by SQS. On a FIFO queue the first failure ends the batch: it and every
 * later record are reported failed without running, so that order holds. A record that cannot be read
 * (`BadEventError` from the reader) fails alone, with a clear log line; after `maxReceiveCount` SQS moves it
 * to the dead-letter queue. Records without a messageId cannot be reported: the whole batch throws.
 */
export async function runSqsBatch<F extends EventKindFunction, N>(
  fn: F,
  inv: Invocation<SQSEvent>,
  read: SqsRecordReader<F, N>,
): Promise<SQSBatchResponse> {
  const records = inv.event.Records;
  for (let i = 0; i < records.length; i++) checkSqsRecord(records[i], i);
  const fifo = records.length > 0 && isFifoArn(records[0]!.eventSourceARN ?? '');
  const failures: SQSBatchItemFailure[] = [];
  for (let i = 0; i < records.length; i++) {
    const record = records[i]!;
    let ok: boolean;
    try {
      ok = await runJobs(fn, inv, read(fn, record, inv));
    } catch (error) {
      if (!(error instanceof BadEventError)) throw error;
      adapterLog(inv, { messageId: record.messageId }).error(error.message, { error });
      ok = false;
    }
    if (ok) continue;
    failures.push({ itemIdentifier: record.messageId });
    if (fifo && i + 1 < records.length) {
      for (let j = i + 1; j < records.length; j++) failures.push({ itemIdentifier: records[j]!.messageId });
      adapterLog(inv).warn(`faasport: FIFO batch stopped at the failed message ${record.messageId}; ${records.length - i - 1} later message(s) returned unrun to keep order`);
      break;
    }
  }
  return { batchItemFailures: failures };
}

/**
 * Runs every job in order; when any failed, throws a `DeliveryFailedError` (cause: the first error) so that
 * Lambda's asynchronous invoke retries the event and then sends it to the function's failure destination/DLQ.
 */
export async function runAllOrThrow<N>(fn: EventKindFunction, inv: AwsInvocation, jobs: readonly Job<N>[]): Promise<void> {
  let failed = 0;
  let first: unknown;
  for (const job of jobs) {
    const result = await runOne(fn, inv, job.input, job.native, job.fields);
    if (!result.ok && failed++ === 0) first = result.error;
  }
  if (failed > 0) {
    throw new DeliveryFailedError(
      `faasport: the ${fn.kind} handler failed on ${failed} of ${jobs.length} input(s); Lambda will retry the event`,
      { cause: first },
    );
  }
}
