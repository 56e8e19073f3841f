/**
 * Push delivery with Pub/Sub's rules (Eventarc uses the same subscription machinery):
 * - one HTTP POST per message; 102, 200, 201, 202 and 204 acknowledge it, any other status, a
 *   connection failure or no answer within the ack deadline is a nack;
 * - a nacked message is pushed again after a backoff (Pub/Sub: exponential from 10 s to 600 s by
 *   default; here 50, 100, 200, 200 ms ... so tests run fast), with `deliveryAttempt` one higher;
 * - after `maxAttempts` deliveries it is forwarded to the dead-letter topic (real Pub/Sub allows 5 to
 *   100 attempts; the emulator takes any positive number), with the attributes Pub/Sub adds there.
 * A process that crashed mid-delivery is awaited until its exit is seen, so the redelivery reaches the
 * fresh process that FunctionProcess starts on demand.
 */
import { request as httpRequest } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { exitWithin, type FunctionInstance, type FunctionProcess } from './child.js';
import type { PushRequest } from './push-requests.js';

/** The statuses Pub/Sub push counts as an acknowledgement. */
export const ACK_STATUSES: ReadonlySet<number> = new Set([102, 200, 201, 202, 204]);

/** Pub/Sub's default ack deadline: a push without an answer by then counts as failed. */
export const ACK_DEADLINE_MS = 10_000;

export const backoffMs = (attempt: number): number => Math.min(50 * 2 ** (attempt - 1), 200);

export type Outcome = { readonly attempts: number; readonly outcome: 'acked' | 'dead-lettered' };

export interface PushResult {
  readonly acked: boolean;
  /** Status, or what went wrong on the wire. */
  readonly detail: string;
}

/** One POST to the function's current process. */
export async function pushOnce(fn: FunctionProcess, request: PushRequest, ackDeadlineMs = ACK_DEADLINE_MS): Promise<PushResult> {
  let instance: FunctionInstance;
  try {
    instance = await fn.instance();
  } catch (error) {
    return { acked: false, detail: (error as Error).message };
  }
  const result = await post(instance.port, request, ackDeadlineMs);
  // The framework answers 500 + X-Google-Status: crash from its exit hooks just before dying; a dead
  // process resets the connection. Either way wait for the exit, so a retry meets the new process.
  if (result.crashed) await exitWithin(instance, 2_000);
  return { acked: result.status !== undefined && ACK_STATUSES.has(result.status), detail: result.detail };
}

interface PostResult {
  readonly status?: number;
  readonly detail: string;
  readonly crashed: boolean;
}

function post(port: number, { headers, body }: PushRequest, timeoutMs: number): Promise<PostResult> {
  return new Promise((resolve) => {
    const req = httpRequest({
      host: '127.0.0.1',
      port,
      method: 'POST',
      path: '/',
      headers: { ...headers, 'content-length': String(body.byteLength) },
      agent: false,
      timeout: timeoutMs,
    });
    req.on('response', (res) => {
      res.resume(); // the body means nothing to Pub/Sub
      const crashed = String(res.headers['x-google-status']).toLowerCase() === 'crash';
      res.on('end', () => resolve({ status: res.statusCode, detail: `HTTP ${res.statusCode}`, crashed }));
      res.on('error', () => resolve({ status: res.statusCode, detail: `HTTP ${res.statusCode} (body cut off)`, crashed: true }));
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within the ack deadline (${timeoutMs} ms)`)));
    req.on('error', (error: NodeJS.ErrnoException) => resolve({ detail: error.code ?? error.message, crashed: error.code !== undefined }));
    req.end(Buffer.from(body.buffer, body.byteOffset, body.byteLength));
  });
}

export interface DeliveryJob {
  /** The request for delivery attempt `attempt` (1-based). */
  readonly request: (attempt: number) => PushRequest;
  /** Called once when the message is given up on. */
  readonly deadLetter: (attempts: number, lastDetail: string) => void;
}

/** Pushes until acknowledged or `maxAttempts` deliveries failed. */
export async function deliverWithRetries(fn: FunctionProcess, job: DeliveryJob, maxAttempts: number, ackDeadlineMs = ACK_DEADLINE_MS): Promise<Outcome> {
  let detail = '';
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const result = await pushOnce(fn, job.request(attempt), ackDeadlineMs);
    if (result.acked) return { attempts: attempt, outcome: 'acked' };
    detail = result.detail;
    if (attempt < maxAttempts) await sleep(backoffMs(attempt));
  }
  job.deadLetter(maxAttempts, detail);
  return { attempts: maxAttempts, outcome: 'dead-lettered' };
}
