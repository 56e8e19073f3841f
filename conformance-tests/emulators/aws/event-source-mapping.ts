/**
 * Lambda's SQS event source mapping for one function: polls the queue, invokes the function synchronously with
 * batches of up to `batchSize` messages, then deletes what succeeded. With ReportBatchItemFailures on (always,
 * here: faasport's AWS adapter answers with `batchItemFailures`), the messages the response lists stay in the
 * queue; a function error, timeout or crash, or an unreadable response, leaves the whole batch there. What stays
 * comes back after the visibility timeout, and the queue's redrive policy eventually dead-letters it.
 * Polling is event-driven (woken by the queue, or by a timer at the next visibility change), so an idle mapping
 * costs nothing.
 */
import type { SQSEvent } from 'aws-lambda';
import { readBatchResponse, toSqsEvent, type BatchVerdict } from './sqs-event.js';
import type { ReceivedMessage, SqsQueue } from './sqs-queue.js';

export interface BatchInvocationResult {
  /** `Unhandled` when the function failed (error, timeout, crash). */
  readonly functionError: string | undefined;
  readonly text: string;
}

export interface EventSourceMappingConfig {
  readonly functionName: string;
  /** Messages per invocation at most (Lambda's BatchSize; default 10). */
  readonly batchSize: number;
  /** Batches in flight at once. */
  readonly concurrency: number;
  /** Invokes the function with RequestResponse; a rejection counts as a failed invocation. */
  readonly invoke: (event: SQSEvent) => Promise<BatchInvocationResult>;
  /** Where the mapping says what it did with a failed batch (the function's log). */
  readonly note: (line: string) => void;
}

export class EventSourceMapping {
  private inFlight = 0;
  private pending = false;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
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
  }

  /** Polls on the next microtask, so messages sent in one go land in one batch. */
  private wake(): void {
    if (this.pending || this.stopped) return;
    this.pending = true;
    queueMicrotask(() => {
      this.pending = false;
      this.poll();
    });
  }

  private poll(): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    while (this.inFlight < this.config.concurrency) {
      const batch = this.queue.receive(this.config.batchSize);
      if (batch.length === 0) break;
      this.inFlight++;
      this.process(batch)
        .catch((err: unknown) => this.config.note(`faasport: the SQS event source mapping of ${this.queue.name} broke: ${String(err)}`))
        .finally(() => {
          this.inFlight--;
          this.wake();
        });
    }
    if (this.inFlight < this.config.concurrency) {
      const next = this.queue.nextVisibleAt();
      if (next !== undefined && Number.isFinite(next)) {
        this.timer = setTimeout(() => this.poll(), Math.max(0, next - Date.now()));
      }
    }
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
    return typeof body?.errorType === 'string' ? body.errorType : undefined;
  } catch {
    return undefined;
  }
}
