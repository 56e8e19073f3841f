/**
 * Push delivery with Pub/Sub's rules (Eventarc uses the same subscription machinery):
 * - one HTTP POST per message; 102, 200, 201, 202 and 204 acknowledge it, any other status or a
 *   connection failure is a nack (https://cloud.google.com/pubsub/docs/push#receive_push);
 * - no answer within the subscription's ack deadline is a nack too, but the push is not taken back: the
 *   first call runs on while the message is delivered again, a real duplicate, as a push endpoint that
 *   outlives the ack deadline sees it. That first call is cut off only by the function's own timeout
 *   (Cloud Run closes the connection, https://cloud.google.com/run/docs/configuring/request-timeout);
 * - a nacked message is pushed again after a backoff (Pub/Sub: exponential from 10 s to 600 s by
 *   default; here 50, 100, 200, 200 ms ... so tests run fast), with `deliveryAttempt` one higher;
 * - after `maxAttempts` deliveries it is forwarded to the dead-letter topic, with the attributes Pub/Sub
 *   adds there;
 * - at-least-once mode: a message that was acknowledged may be pushed once more (same message id, the next
 *   `deliveryAttempt`): a push subscription cannot have exactly-once delivery, so a message may come again
 *   after it was acknowledged, keeping its message id (https://cloud.google.com/pubsub/docs/exactly-once-delivery,
 *   "Redelivery versus duplicate").
 * A process that crashed mid-delivery is awaited until its exit is seen, so the redelivery reaches the
 * fresh process that FunctionProcess starts on demand.
 */
import { request as httpRequest } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { exitWithin, type FunctionInstance, type FunctionProcess } from './child.js';
import type { PushRequest } from './push-requests.js';

/** The statuses Pub/Sub push counts as an acknowledgement. */
export const ACK_STATUSES: ReadonlySet<number> = new Set([102, 200, 201, 202, 204]);

/**
 * Pub/Sub's default ack deadline, 10 s (https://cloud.google.com/pubsub/docs/lease-management): what a
 * subscription gets without `--ack-deadline`, as the ones Eventarc creates for its triggers do
 * (hashicorp/terraform-provider-google#17701: "The default timeout for the subscription is 10 seconds").
 */
export const ACK_DEADLINE_MS = 10_000;

/** Cloud Run functions' default timeout (60 s), which bounds a push like any request. */
export const DEFAULT_FUNCTION_TIMEOUT_MS = 60_000;

export const backoffMs = (attempt: number): number => Math.min(50 * 2 ** (attempt - 1), 200);

export type Outcome = { readonly attempts: number; readonly outcome: 'acked' | 'dead-lettered'; readonly duplicates?: number };

/** How long a push is waited for (the ack deadline), and how long it may run at all (the function's timeout). */
export interface PushTimers {
  readonly ackDeadlineMs: number;
  readonly requestTimeoutMs: number;
}

const DEFAULT_TIMERS: PushTimers = { ackDeadlineMs: ACK_DEADLINE_MS, requestTimeoutMs: DEFAULT_FUNCTION_TIMEOUT_MS };

export interface PushResult {
  readonly acked: boolean;
  /** Status, or what went wrong on the wire. */
  readonly detail: string;
}

/** One POST to the function's current process. */
export async function pushOnce(fn: FunctionProcess, request: PushRequest, timers: PushTimers = DEFAULT_TIMERS): Promise<PushResult> {
  let instance: FunctionInstance;
  try {
    instance = await fn.instance();
  } catch (error) {
    return { acked: false, detail: (error as Error).message };
  }
  const result = await post(instance.port, request, timers);
  // The framework answers 500 + X-Google-Status: crash from its exit hooks just before dying; a dead
  // process resets the connection. Either way wait for the exit, so a retry meets the new process.
  if (result.crashed) await exitWithin(instance, 2_000);
  // Equivalent mutant (`result.status !== undefined` as true): ACK_STATUSES.has(undefined) is false; the test only narrows the type.
  return { acked: result.status !== undefined && ACK_STATUSES.has(result.status), detail: result.detail };
}

interface PostResult {
  readonly status?: number;
  readonly detail: string;
  readonly crashed: boolean;
}

function post(port: number, { headers, body }: PushRequest, { ackDeadlineMs, requestTimeoutMs }: PushTimers): Promise<PostResult> {
  return new Promise((resolve) => {
    let settled = false;
    let ackTimer: NodeJS.Timeout | undefined;
    const settle = (result: PostResult) => {
      // Equivalent mutant (the test as false): settling again only clears a cleared timer and resolves a settled promise.
      if (settled) return;
      // Stryker disable next-line BooleanLiteral: a later settle (an answer after the ack deadline) only resolves the settled promise again, a no-op
      settled = true;
      clearTimeout(ackTimer);
      resolve(result);
    };
    const req = httpRequest({
      host: '127.0.0.1',
      port,
      method: 'POST',
      // Stryker disable next-line StringLiteral: Node's ClientRequest sends an empty path as '/' (`options.path || '/'`)
      path: '/',
      headers: { ...headers, 'content-length': String(body.byteLength) },
      agent: false,
    });
    // Pub/Sub stops waiting at the ack deadline and counts a nack; the call itself runs on (its answer, when it
    // comes, no longer counts) until the function's timeout, when Cloud Run cuts it off with a 504.
    ackTimer = setTimeout(
      () => settle({ detail: `no answer within the ack deadline (${ackDeadlineMs} ms); the call runs on and the message is delivered again`, crashed: false }),
      ackDeadlineMs,
    );
    const cutOff = setTimeout(() => {
      req.destroy();
      settle({ status: 504, detail: `HTTP 504 (the function's timeout, ${requestTimeoutMs} ms, ran out)`, crashed: false });
    }, requestTimeoutMs);
    req.on('close', () => clearTimeout(cutOff));
    req.on('response', (res) => {
      res.resume(); // the body means nothing to Pub/Sub
      const crashed = String(res.headers['x-google-status']).toLowerCase() === 'crash';
      res.on('end', () => settle({ status: res.statusCode, detail: `HTTP ${res.statusCode}`, crashed }));
      res.on('error', () => settle({ status: res.statusCode, detail: `HTTP ${res.statusCode} (body cut off)`, crashed: true }));
    });
    // Stryker disable next-line ConditionalExpression: the client's wire errors (ECONNREFUSED, ECONNRESET, HPE_*) all carry a code
    req.on('error', (error: NodeJS.ErrnoException) => settle({ detail: error.code ?? error.message, crashed: error.code !== undefined }));
    req.end(Buffer.from(body.buffer, body.byteOffset, body.byteLength));
  });
}

export interface DeliveryJob {
  /** The request for delivery attempt `attempt` (1-based). */
  readonly request: (attempt: number) => PushRequest;
  /** Called once when the message is given up on. */
  readonly deadLetter: (attempts: number, lastDetail: string) => void;
}

export interface RetryOptions {
  readonly maxAttempts: number;
  readonly timers?: PushTimers;
  /** Asked once a message is acknowledged: true pushes it once more (at-least-once mode). */
  readonly duplicate?: () => boolean;
}

/**
 * Pushes until acknowledged or `maxAttempts` deliveries failed. In at-least-once mode an acknowledged message
 * is pushed one more time; that extra push is counted in `duplicates` whatever it answers, and is not retried
 * (Pub/Sub would redeliver a nacked duplicate too; the outcome reported is that of the message's first handling).
 */
export async function deliverWithRetries(fn: FunctionProcess, job: DeliveryJob, { maxAttempts, timers = DEFAULT_TIMERS, duplicate }: RetryOptions): Promise<Outcome> {
  // Stryker disable next-line StringLiteral: maxAttempts >= 1 (events.ts and manifest.ts reject less), so a nack sets detail before deadLetter reads it
  let detail = '';
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const result = await pushOnce(fn, job.request(attempt), timers);
    if (result.acked) {
      if (!duplicate?.()) return { attempts: attempt, outcome: 'acked' };
      await sleep(backoffMs(1));
      await pushOnce(fn, job.request(attempt + 1), timers);
      return { attempts: attempt, outcome: 'acked', duplicates: 1 };
    }
    detail = result.detail;
    if (attempt < maxAttempts) await sleep(backoffMs(attempt));
  }
  job.deadLetter(maxAttempts, detail);
  return { attempts: maxAttempts, outcome: 'dead-lettered' };
}
