import { createContext, type ContextInit } from './context.js';
import type { CloudEvent, FaasFunction, Message, ScheduleEvent, StorageEvent } from './types.js';

export type EventFunction = FaasFunction<'queue' | 'topic' | 'storage' | 'schedule' | 'event'>;
export type EventInput = Message | StorageEvent | ScheduleEvent | CloudEvent;

export type Settled = { readonly ok: true } | { readonly ok: false; readonly error: unknown };

/**
 * Runs a non-HTTP handler on one input. Never throws: a failure is returned so the adapter can tell the
 * platform that this one input failed (and must be redelivered), and it is logged with its cause.
 */
export async function runEvent<N>(fn: EventFunction, input: EventInput, init: ContextInit<N>): Promise<Settled> {
  const ctx = createContext(init);
  try {
    await (fn.handler as (input: EventInput, ctx: unknown) => unknown)(input, ctx);
    return { ok: true };
  } catch (error) {
    const id = (input as { id?: unknown }).id;
    ctx.log.error(`faasport: the ${fn.kind} handler failed${typeof id === 'string' ? ` on ${id}` : ''}; it will be retried`, { error });
    return { ok: false, error };
  }
}

/** Thrown out of a native handler so that the platform retries the whole delivery. */
export class DeliveryFailedError extends Error {
  override name = 'DeliveryFailedError';
}
