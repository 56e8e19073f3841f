import { createContext, releaseContext, type ContextInit } from './context.js';
import type { CloudEvent, Context, FaasFunction, Message, ScheduleEvent, StorageEvent } from './types.js';

export type EventFunction = FaasFunction<'queue' | 'topic' | 'storage' | 'schedule' | 'event'>;
export type EventInput = Message | StorageEvent | ScheduleEvent | CloudEvent;

export type Settled = { readonly ok: true } | { readonly ok: false; readonly error: unknown };

export const SETTLED_OK: Settled = Object.freeze({ ok: true });

/**
 * Runs a non-HTTP handler on one input. Never throws: a failure is returned so the adapter can tell the
 * platform that this one input failed (and must be redelivered), and it is logged with its cause. Settles
 * at once when the handler returns no promise (awaiting the result works either way).
 */
export function runEvent<N>(fn: EventFunction, input: EventInput, init: ContextInit<N>): Settled | Promise<Settled> {
  const ctx = createContext(init);
  let result: unknown;
  try {
    result = callHandler(fn, input, ctx);
    if (!isThenable(result)) {
      releaseContext(ctx);
      return SETTLED_OK;
    }
  } catch (error) {
    releaseContext(ctx);
    return eventFailed(fn, input, ctx, error);
  }
  return settle(fn, input, ctx, result);
}

async function settle(fn: EventFunction, input: EventInput, ctx: Context<unknown>, result: PromiseLike<unknown>): Promise<Settled> {
  try {
    await result;
    return SETTLED_OK;
  } catch (error) {
    return eventFailed(fn, input, ctx, error);
  } finally {
    releaseContext(ctx);
  }
}

/**
 * The parts of runEvent, for a batch loop that awaits each handler's own promise (one promise per input
 * instead of two): call, then on a throw or rejection `eventFailed`.
 */
export const callHandler = (fn: EventFunction, input: EventInput, ctx: Context<unknown>): unknown =>
  (fn.handler as (input: EventInput, ctx: unknown) => unknown)(input, ctx);

export const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  typeof (value as PromiseLike<unknown> | null | undefined)?.then === 'function';

/** Logs a failed input with its cause and returns its Settled. */
export function eventFailed(fn: EventFunction, input: EventInput, ctx: Context<unknown>, error: unknown): Settled {
  const id = (input as { id?: unknown }).id;
  ctx.log.error(`faasport: the ${fn.kind} handler failed${typeof id === 'string' ? ` on ${id}` : ''}; it will be retried`, { error });
  return { ok: false, error };
}

/** Thrown out of a native handler so that the platform retries the whole delivery. */
export class DeliveryFailedError extends Error {
  override name = 'DeliveryFailedError';
}
