import type { InvocationContext } from '@azure/functions';
import type { ContextInit } from '../../core/context.js';
import type { LogSink } from '../../core/log.js';
import type { Context } from '../../core/types.js';

/**
 * Log lines go through the InvocationContext so that the worker ties them to the invocation (Application
 * Insights). Fields travel as a second argument: the worker formats it with util.inspect, errors with stack
 * and cause chain.
 */
export function invocationLogSink(context: InvocationContext): LogSink {
  return (level, message, fields) => {
    const args: unknown[] = fields === undefined ? [message] : [message, fields];
    switch (level) {
      case 'debug':
        return context.debug(...args);
      case 'info':
        return context.info(...args);
      case 'warn':
        return context.warn(...args);
      case 'error':
        return context.error(...args);
    }
  };
}

/** The sink of ctx.log, made on the first log line (most invocations never log). */
const nativeContextSink = (ctx: Context<unknown>): LogSink => invocationLogSink((ctx.native as { readonly context: InvocationContext }).context);

/**
 * Azure does not tell the function its timeout (host.json `functionTimeout`, one per app), so the deadline of
 * an invocation comes from the timeout codegen passes to `register`/`adapt` (`timeoutMs`): the handler wrapper
 * below records "invocation start + timeout" against the invocation's InvocationContext, which is one object
 * per invocation, and `azureContextInit` reads it back. No timeout given: no deadline (remainingMs() is
 * Infinity), as before.
 */
const deadlines = new WeakMap<InvocationContext, number>();

/**
 * Wraps a native v4 handler so that each invocation gets `ctx.deadline = start + timeoutMs`. The host cancels
 * the function when `functionTimeout` passes (https://learn.microsoft.com/azure/azure-functions/functions-host-json#functiontimeout);
 * core/context.ts aborts ctx.signal ABORT_MARGIN_MS before it, as on AWS.
 */
export function withDeadline<T, R>(handler: (trigger: T, context: InvocationContext) => R, timeoutMs: number | undefined): (trigger: T, context: InvocationContext) => R {
  if (timeoutMs === undefined) return handler;
  checkTimeoutMs(timeoutMs);
  return (trigger, context) => {
    if (typeof context === 'object' && context !== null) deadlines.set(context, Date.now() + timeoutMs);
    return handler(trigger, context);
  };
}

/** A timeout is a positive finite number of milliseconds. */
export function checkTimeoutMs(timeoutMs: unknown): void {
  // Stryker disable next-line ConditionalExpression: Number.isFinite refuses every non-number too, so the typeof test alone changes nothing
  if (typeof timeoutMs !== 'number' || !Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new TypeError(`faasport/azure: timeoutMs must be a positive number of milliseconds (the function's timeout); got ${String(timeoutMs)}`);
  }
}

export function azureContextInit<N extends { readonly context: InvocationContext }>(
  context: InvocationContext,
  name: string | undefined,
  native: N,
  signal?: AbortSignal,
): ContextInit<N> {
  // One literal with every field (no spread into another object): the context reads it on every invocation.
  return {
    provider: 'azure',
    functionName: name ?? context.functionName,
    invocationId: context.invocationId,
    deadline: deadlines.get(context),
    native,
    logSinkFor: nativeContextSink,
    signal,
  };
}
