/**
 * Lambda's SQS event source mapping for one function: polls the queue, invokes the function synchronously with
 * batches, then deletes what succeeded. With ReportBatchItemFailures on (always, here: faasport's AWS adapter
 * answers with `batchItemFailures`), the messages the response lists stay in the queue; a function error, timeout
 * or crash, or an unreadable response, leaves the whole batch there
 * (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html). What stays comes back when its
 * visibility ends, and the queue's redrive policy eventually dead-letters it.
 *
 * Batches (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-parameters.html; BatchSize in the Lambda API
 * reference): each ReceiveMessage returns at most 10 messages, and a standard queue may return fewer than are
 * waiting (drawn from the seeded `random`: messages sent together do not always share a batch). Without a batching
 * window a batch is one receive; with one the mapping keeps receiving until the batch is full, the window ends, or
 * the next message would take the event past Lambda's 6 MB synchronous payload limit
 * (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html).
 * Polling is event-driven (woken by the queue, or by a timer at the next visibility change), so an idle mapping
 * costs nothing.
 */
import type { SQSEvent } from 'aws-lambda';
import { readBatchResponse, recordSize, toSqsEvent, type BatchVerdict } from './sqs-event.js';
import type { ReceivedMessage, ReceiveOptions, SqsQueue } from './sqs-queue.js';

export interface BatchInvocationResult {
  /** `Unhandled` when the function failed (error, timeout, crash). */
  readonly functionError: string | undefined;
  readonly text: string;
}

/** ReceiveMessage returns at most 10 messages. */
export const MAX_MESSAGES_PER_RECEIVE = 10;
/** Lambda's payload limit for a synchronous invocation (request). */
export const MAX_PAYLOAD_BYTES = 6 * 1024 * 1024;

export interface EventSourceMappingConfig {
  readonly functionName: string;
  /** Messages per invocation at most (Lambda's BatchSize). */
  readonly batchSize: number;
  /** MaximumBatchingWindowInSeconds, in ms (0: invoke with what one receive returned). */
  readonly batchingWindowMs: number;
  /** Batches in flight at once. */
  readonly concurrency: number;
  /** Seeded draws in [0, 1) that decide how many waiting messages a receive of a standard queue returns. */
  readonly random: () => number;
  /** Invokes the function with RequestResponse; a rejection counts as a failed invocation. */
  readonly invoke: (event: SQSEvent) => Promise<BatchInvocationResult>;
  /** Where the mapping says what it did with a failed batch (the function's log). */
  readonly note: (line: string) => void;
}

interface Gathering {
  readonly batch: ReceivedMessage[];
  bytes: number;
  readonly timer: NodeJS.Timeout;
}

export class EventSourceMapping {
  private inFlight = 0;
  private pending = false;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  /** The batch being gathered during a batching window. */
  private gathering: Gathering | undefined;
  private readonly unsubscribe: () => void;

  constructor(
    readonly queue: SqsQueue,
    private readonly config: EventSourceMappingConfig,
  ) {
    this.unsubscribe = queue.onChange(() => this.wake());
    this.wake();
  }

  /**
   * Stops polling. Batches in flight are not waited for (the emulator kills their runtimes next); when they end
   * they leave the queue as it is.
   */
  stop(): void {
    this.stopped = true;
    this.unsubscribe();
    clearTimeout(this.timer);
    if (this.gathering) clearTimeout(this.gathering.timer);
  }

  /** Polls on the next microtask, so messages sent in one go are waiting together when the receive comes. */
  private wake(): void {
    if (this.pending || this.stopped) return;
    this.pending = true;
    queueMicrotask(() => {
      this.pending = false;
      this.poll();
    });
  }

  /**
   * One ReceiveMessage: up to 10, fewer on a standard queue when the draw says so, within the payload budget
   * (`full` tells that the next message would not fit).
   */
  private receiveOnce(room: number, bytesSoFar: number): { messages: ReceivedMessage[]; full: boolean } {
    let full = false;
    const options: ReceiveOptions = {
      pick: this.queue.fifo ? undefined : (available) => 1 + Math.floor(this.config.random() * available),
      maxBytes: MAX_PAYLOAD_BYTES - bytesSoFar,
      sizeOf: recordSize,
      onFull: () => (full = true),
    };
    return { messages: this.queue.receive(Math.min(MAX_MESSAGES_PER_RECEIVE, room), options), full };
  }

  private poll(): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.gathering) this.gather(this.gathering);
    while (!this.gathering && this.inFlight < this.config.concurrency) {
      const { messages, full } = this.receiveOnce(this.config.batchSize, 0);
      // A single message above 6 MB (SQS itself takes at most 1 MiB; the emulator does not check sizes) goes alone.
      const first = messages.length === 0 && full ? this.queue.receive(1) : messages;
      if (first.length === 0) break;
      const bytes = first.reduce((sum, m) => sum + recordSize(m), 0);
      if (this.config.batchingWindowMs <= 0 || first.length >= this.config.batchSize || full) {
        this.dispatch(first);
        continue;
      }
      const gathering: Gathering = { batch: first, bytes, timer: setTimeout(() => this.closeWindow(gathering), this.config.batchingWindowMs) };
      this.gathering = gathering;
      this.gather(gathering);
    }
    if (!this.gathering && this.inFlight < this.config.concurrency) {
      const next = this.queue.nextVisibleAt();
      // Equivalent mutant (`next !== undefined` as true): Number.isFinite(undefined) is false all the same.
      // Stryker disable next-line LogicalOperator: nextVisibleAt() is undefined or a finite time, so `||` decides the same as `&&`
      if (next !== undefined && Number.isFinite(next)) {
        this.timer = setTimeout(() => this.poll(), Math.max(0, next - Date.now()));
      }
    }
  }

  /** Adds what the queue has to the batch being gathered; sends it when full (count or bytes). */
  private gather(gathering: Gathering): void {
    let full = false;
    while (!full && gathering.batch.length < this.config.batchSize) {
      const more = this.receiveOnce(this.config.batchSize - gathering.batch.length, gathering.bytes);
      full = more.full;
      if (more.messages.length === 0) break;
      gathering.batch.push(...more.messages);
      gathering.bytes += more.messages.reduce((sum, m) => sum + recordSize(m), 0);
    }
    if (full || gathering.batch.length >= this.config.batchSize) this.closeWindow(gathering);
  }

  private closeWindow(gathering: Gathering): void {
    // Stryker disable next-line ConditionalExpression: a closed window's timer is cleared, so only the current gathering is ever closed (a guard)
    if (this.gathering !== gathering) return;
    clearTimeout(gathering.timer);
    this.gathering = undefined;
    // Stryker disable next-line ConditionalExpression: after stop() the window timer is cleared and poll() returns first, so this is not reached stopped (a guard)
    if (this.stopped) return;
    this.dispatch(gathering.batch);
    this.wake();
  }

  private dispatch(batch: ReceivedMessage[]): void {
    this.inFlight++;
    this.process(batch)
      .catch((err: unknown) => this.config.note(`faasport: the SQS event source mapping of ${this.queue.name} broke: ${String(err)}`))
      .finally(() => {
        this.inFlight--;
        this.wake();
      });
  }

  private async process(batch: readonly ReceivedMessage[]): Promise<void> {
    const ids = new Set(batch.map((m) => m.messageId));
    let verdict: BatchVerdict;
    try {
      const result = await this.config.invoke(toSqsEvent(batch, this.queue.arn));
      verdict = result.functionError
        ? { kind: 'failure', reason: `the function failed (${errorTypeOf(result.text) ?? result.functionError})` }
        : readBatchResponse(result.text, ids);
    } catch (err) {
      verdict = { kind: 'failure', reason: `the invocation failed: ${String(err)}` };
    }
    if (this.stopped) return;
    if (verdict.kind === 'failure') {
      this.config.note(
        `faasport: SQS batch of ${batch.length} from ${this.queue.name} failed as a whole: ${verdict.reason}; ` +
          'the messages return after the visibility timeout',
      );
    } else if (verdict.failed.size > 0) {
      this.config.note(`faasport: SQS batch from ${this.queue.name}: ${verdict.failed.size} of ${batch.length} reported in batchItemFailures`);
    }
    for (const m of batch) {
      const keep = verdict.kind === 'failure' || verdict.failed.has(m.messageId);
      if (keep) this.queue.release(m.receiptHandle);
      else this.queue.delete(m.receiptHandle);
    }
  }
}

function errorTypeOf(text: string): string | undefined {
  try {
    const body = JSON.parse(text) as { errorType?: unknown } | null;
    // Stryker disable next-line OptionalChaining: a null body throws here without `?.`, and the catch returns the same undefined
    return typeof body?.errorType === 'string' ? body.errorType : undefined;
  } catch {
    // Equivalent mutant (this block emptied): the function then ends and returns undefined all the same.
    return undefined;
  }
}
