/**
 * The delivery loops shared by the event kinds: an SQS batch answered with a partial batch response, and
 * "run every input, then throw so that Lambda retries" for the asynchronous sources (SNS, S3, EventBridge).
 */
import type { SQSBatchItemFailure, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { BadEventError } from '../../../core/errors.js';
import { createContext, releaseContext, type ContextInit } from '../../../core/context.js';
import {
  callHandler,
  DeliveryFailedError,
  eventFailed,
  isThenable,
  runEvent,
  type EventFunction as CoreEventFunction,
  type EventInput,
  type Settled,
} from '../../../core/events.js';
import { createLogger, jsonLineSink } from '../../../core/log.js';
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

/**
 * Runs the handler on one input; every input of an invocation shares its invocation id, `fields` (added to
 * its log lines) tell them apart. Each input gets its own small context (its `native` and log fields differ,
 * and a handler may keep its context past its own input). Settled at once when the handler is synchronous.
 */
export function runOne<N>(fn: EventKindFunction, inv: AwsInvocation, input: EventInput, native: N, fields: Job<N>['fields']): Settled | Promise<Settled> {
  return runEvent(fn as CoreEventFunction, input, contextInit(inv, native, fields));
}

const contextInit = <N>(inv: AwsInvocation, native: N, fields: Job<N>['fields']): ContextInit<N> => ({
  provider: 'aws',
  functionName: inv.functionName,
  invocationId: inv.invocationId,
  deadline: inv.deadline,
  native,
  logFields: fields,
});

const isPromise = <T>(value: T | Promise<T>): value is Promise<T> => value instanceof Promise;

/** The adapter's own lines (skips, unreadable records), with the same fields as `ctx.log`. */
export const adapterLog = (inv: AwsInvocation, fields?: LogFields): Logger =>
  createLogger(jsonLineSink(fields ? { ...baseFields(inv), ...fields } : baseFields(inv)));

/** One input, converted before it runs. */
export interface Job<N> {
  readonly input: EventInput;
  readonly native: N;
  /** Added to its log lines; a function of `native` is only called when a line is written. */
  readonly fields: LogFields | ((native: N) => LogFields) | undefined;
}

/**
 * Reads one SQS record into what to run: one job, several (an S3 notification may hold several records), or
 * none (a record rightly acked unseen, like the s3:TestEvent). Synchronous, so that the common one-job case
 * costs no extra promise. Throws `BadEventError` for a record it cannot read.
 */
export type SqsRecordReader<F, N> = (fn: F, record: SQSRecord, inv: Invocation<SQSEvent>) => Job<N> | readonly Job<N>[] | undefined;

/** Runs the jobs of one SQS record; all run, and the record failed when any of them did. */
async function runJobs<N>(fn: EventKindFunction, inv: AwsInvocation, jobs: readonly Job<N>[]): Promise<boolean> {
  let ok = true;
  for (const job of jobs) {
    const settled = runOne(fn, inv, job.input, job.native, job.fields);
    if (!(isPromise(settled) ? await settled : settled).ok) ok = false;
  }
  return ok;
}

const isJobList = <N>(jobs: Job<N> | readonly Job<N>[]): jobs is readonly Job<N>[] => Array.isArray(jobs);

/**
 * Runs the records in order, one at a time, and answers the partial batch response: exactly the failed
 * records are listed and redelivered by SQS. On a FIFO queue the first failure ends the batch: it and every
 * later record are reported failed without running, so that order holds. A record that cannot be read
 * (`BadEventError` from the reader, or any other fault reading it) fails alone, with a clear log line; after `maxReceiveCount` SQS moves it
 * to the dead-letter queue. Records without a messageId cannot be reported: the whole batch throws.
 */
export async function runSqsBatch<F extends EventKindFunction, N>(
  fn: F,
  inv: Invocation<SQSEvent>,
  read: SqsRecordReader<F, N>,
): Promise<SQSBatchResponse> {
  const records = inv.event.Records;
  for (let i = 0; i < records.length; i++) checkSqsRecord(records[i], i);
  const fifo = records.length > 0 && isFifoArn(records[0]!.eventSourceARN);
  const failures: SQSBatchItemFailure[] = [];
  for (let i = 0; i < records.length; i++) {
    const record = records[i]!;
    let ok: boolean;
    try {
      // The common case, one job, awaits only when the handler returned a promise.
      const jobs = read(fn, record, inv);
      if (jobs === undefined) ok = true;
      else if (isJobList(jobs)) ok = await runJobs(fn, inv, jobs);
      else {
        // runEvent inlined, so that only the handler's own promise is awaited (a batch is the hot loop).
        const ctx = createContext(contextInit(inv, jobs.native, jobs.fields));
        try {
          const result = callHandler(fn as CoreEventFunction, jobs.input, ctx);
          if (isThenable(result)) await result;
          ok = true;
        } catch (error) {
          eventFailed(fn as CoreEventFunction, jobs.input, ctx, error);
          ok = false;
        } finally {
          releaseContext(ctx);
        }
      }
    } catch (error) {
      // A record that cannot be read fails alone: the rest of the batch is unaffected.
      const message = error instanceof BadEventError ? error.message : `faasport/aws: SQS message ${record.messageId} could not be read; it is reported failed`;
      adapterLog(inv, { messageId: record.messageId }).error(message, { error });
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
    const settled = runOne(fn, inv, job.input, job.native, job.fields);
    const result = isPromise(settled) ? await settled : settled;
    if (!result.ok && failed++ === 0) first = result.error;
  }
  if (failed > 0) {
    throw new DeliveryFailedError(
      `faasport: the ${fn.kind} handler failed on ${failed} of ${jobs.length} input(s); Lambda will retry the event`,
      { cause: first },
    );
  }
}
