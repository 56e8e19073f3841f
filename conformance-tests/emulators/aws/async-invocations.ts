/**
 * Lambda's queue for asynchronous invocations (InvocationType Event: what SNS, S3 and EventBridge use). The
 * service runs the event, and when the function fails (error, timeout, crash) retries it with the same request
 * id, by default twice (MaximumRetryAttempts 2, so 3 attempts, about 1 and 2 minutes apart); after the last
 * failure it sends an invocation record to the on-failure destination (or the function's dead-letter queue).
 * Here the delays are short (`retryDelayMs`, doubling, at most 1 s) and the attempt limit is what the function's
 * EventInvokeConfig deploys (`MaximumRetryAttempts` + 1, read from faasport.json; Lambda takes 0 to 2 retries) or,
 * per invocation, the emulator's `x-faasport-maximum-attempts` header, which `deliver` sends (never above 3).
 * https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html
 */
import type { FunctionPool } from './function-pool.js';
import { functionArn } from './lambda-protocol.js';
import type { InvokeRequest } from './sandbox.js';

export { DEFAULT_ASYNC_ATTEMPTS } from './delivery-settings.js';
/** The emulator's request header that sets one invocation's attempt limit (not part of Lambda's API). */
export const MAX_ATTEMPTS_HEADER = 'x-faasport-maximum-attempts';
const MAX_RETRY_DELAY_MS = 1000;

export interface AsyncOutcome {
  readonly outcome: 'acked' | 'dead-lettered';
  readonly attempts: number;
}

/** The record Lambda sends an on-failure destination (SQS/SNS/EventBridge/Lambda) when retries are exhausted. */
export interface OnFailureRecord {
  readonly version: '1.0';
  readonly timestamp: string;
  readonly requestContext: {
    readonly requestId: string;
    readonly functionArn: string;
    readonly condition: 'RetriesExhausted';
    readonly approximateInvokeCount: number;
  };
  readonly requestPayload: unknown;
  readonly responseContext: { readonly statusCode: 200; readonly executedVersion: '$LATEST'; readonly functionError: string };
  readonly responsePayload: unknown;
}

export interface AsyncInvocationsConfig {
  /** Delay before the first retry; each further retry waits twice as long (at most 1 s). */
  readonly retryDelayMs: number;
  /** Attempt limit of a function when the invocation sets none. */
  readonly maxAttemptsFor: (functionName: string) => number;
}

const parseJson = (bytes: Uint8Array): unknown => {
  const text = Buffer.from(bytes).toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};

export class AsyncInvocations {
  private readonly failed = new Map<string, OnFailureRecord[]>();
  private readonly tracked = new Map<string, Promise<AsyncOutcome>>();
  private readonly timers = new Set<{ timer: NodeJS.Timeout; cancel: (err: Error) => void }>();
  private stopped = false;

  constructor(
    private readonly pools: ReadonlyMap<string, FunctionPool>,
    private readonly config: AsyncInvocationsConfig,
  ) {}

  /**
   * Runs an event until it succeeds or has failed `maxAttempts` times. Resolves with the outcome; rejects only when
   * the emulator stops first (or the pool refuses the invocation). With `track`, the outcome is kept for `take(requestId)`.
   */
  enqueue(functionName: string, req: InvokeRequest, options: { maxAttempts?: number | undefined; track?: boolean } = {}): Promise<AsyncOutcome> {
    const pool = this.pools.get(functionName);
    if (!pool) throw new Error(`no function named "${functionName}"`);
    const maxAttempts = options.maxAttempts ?? this.config.maxAttemptsFor(functionName);
    const run = this.run(pool, req, maxAttempts);
    // Handled here so that an outcome nobody collects (or a stop before a retry) is no unhandled rejection.
    run.catch((err: unknown) => pool.log.push(`faasport: async invocation ${req.requestId} was dropped: ${String(err)}`));
    if (options.track) this.tracked.set(req.requestId, run);
    return run;
  }

  /** The outcome of a tracked invocation (once: it is forgotten after this call). */
  take(requestId: string): Promise<AsyncOutcome> | undefined {
    const outcome = this.tracked.get(requestId);
    this.tracked.delete(requestId);
    return outcome;
  }

  /** What the function's on-failure destination received, oldest first. */
  failures(functionName: string): OnFailureRecord[] {
    return [...(this.failed.get(functionName) ?? [])];
  }

  stop(): void {
    this.stopped = true;
    for (const entry of this.timers) {
      clearTimeout(entry.timer);
      entry.cancel(new Error('the emulator stopped before the retry'));
    }
    this.timers.clear();
  }

  private async run(pool: FunctionPool, req: InvokeRequest, maxAttempts: number): Promise<AsyncOutcome> {
    const name = pool.config.name;
    for (let attempt = 1; ; attempt++) {
      const outcome = await pool.invoke(req);
      if (!outcome.functionError) return { outcome: 'acked', attempts: attempt };
      if (attempt >= maxAttempts) {
        const records = this.failed.get(name) ?? [];
        records.push({
          version: '1.0',
          timestamp: new Date().toISOString(),
          requestContext: {
            requestId: req.requestId,
            functionArn: `${functionArn(name)}:$LATEST`,
            condition: 'RetriesExhausted',
            approximateInvokeCount: attempt,
          },
          requestPayload: parseJson(req.payload),
          responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: outcome.functionError },
          responsePayload: parseJson(outcome.payload),
        });
        this.failed.set(name, records);
        pool.log.push(`faasport: async invocation ${req.requestId} failed ${attempt} times; sent to the on-failure destination`);
        return { outcome: 'dead-lettered', attempts: attempt };
      }
      const delay = Math.min(this.config.retryDelayMs * 2 ** (attempt - 1), MAX_RETRY_DELAY_MS);
      pool.log.push(`faasport: async invocation ${req.requestId} failed (attempt ${attempt} of ${maxAttempts}); retrying in ${delay} ms`);
      await this.sleep(delay);
    }
  }

  private sleep(ms: number): Promise<void> {
    if (this.stopped) return Promise.reject(new Error('the emulator stopped before the retry'));
    return new Promise((resolve, reject) => {
      const entry = {
        timer: setTimeout(() => {
          this.timers.delete(entry);
          resolve();
        }, ms),
        cancel: reject,
      };
      this.timers.add(entry);
    });
  }
}
