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

/** Azure does not tell the function its timeout (host.json functionTimeout), so there is no deadline. */
export function azureContextInit<N extends { readonly context: InvocationContext }>(
  context: InvocationContext,
  name: string | undefined,
  native: N,
): ContextInit<N> {
  return {
    provider: 'azure',
    functionName: name ?? context.functionName,
    invocationId: context.invocationId,
    deadline: undefined,
    native,
    logSinkFor: nativeContextSink,
  };
}
