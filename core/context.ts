import { createLogger, jsonLineSink, type LogSink } from './log.js';
import type { Context, HttpContext, LogFields, Logger, RuntimeProvider } from './types.js';

export interface ContextInit<N> {
  provider: RuntimeProvider;
  functionName: string;
  invocationId: string;
  deadline?: number | undefined;
  native: N;
  /** Where log lines go; defaults to JSON lines on stdout/stderr. */
  logSink?: LogSink;
  /** Makes the sink from the context on the first log line instead (an invocation that never logs builds none). */
  logSinkFor?: ((ctx: Context<unknown>) => LogSink) | undefined;
  /**
   * More fields for every line of the default sink (e.g. the message id of one message of a batch), or a
   * function making them from `native` on the first log line (a batch then allocates none for the messages
   * whose handlers never log).
   */
  logFields?: LogFields | ((native: N) => LogFields) | undefined;
  /** Aborts `ctx.signal` too: a streaming adapter's "the client went away". */
  signal?: AbortSignal | undefined;
}

/** Abort this long before the deadline so handlers can still clean up and answer. */
export const ABORT_MARGIN_MS = 500;

class InvocationContext<N> implements Context<N> {
  readonly provider: RuntimeProvider;
  readonly functionName: string;
  readonly invocationId: string;
  readonly deadline: number | undefined;
  readonly native: N;
  #sink: LogSink | undefined;
  #sinkFor: ((ctx: Context<unknown>) => LogSink) | undefined;
  #fields: LogFields | ((native: N) => LogFields) | undefined;
  #log: Logger | undefined;
  #controller: AbortController | undefined;
  #parent: AbortSignal | undefined;
  #deadlineTimer: ReturnType<typeof setTimeout> | undefined;

  /** Stops the deadline timer of an invocation that is over, so nothing of it stays alive until its deadline. */
  static release(ctx: object): void {
    // Equivalent mutant (the `!== undefined` test as true): clearing no timer and setting undefined again change nothing.
    if (#deadlineTimer in ctx && ctx.#deadlineTimer !== undefined) {
      clearTimeout(ctx.#deadlineTimer);
      ctx.#deadlineTimer = undefined;
    }
  }

  constructor(init: ContextInit<N>) {
    this.provider = init.provider;
    this.functionName = init.functionName;
    this.invocationId = init.invocationId;
    this.deadline = init.deadline;
    this.native = init.native;
    this.#sink = init.logSink;
    this.#sinkFor = init.logSinkFor;
    this.#fields = init.logFields;
    this.#parent = init.signal;
  }

  remainingMs(): number {
    return this.deadline === undefined ? Number.POSITIVE_INFINITY : Math.max(0, this.deadline - Date.now());
  }

  // Lazy: most handlers never log or look at the signal, so they pay for neither.
  get log(): Logger {
    return (this.#log ??= createLogger(
      this.#sink ??
        this.#sinkFor?.(this) ??
        jsonLineSink({ function: this.functionName, invocationId: this.invocationId, provider: this.provider, ...this.#extraFields() }),
    ));
  }

  #extraFields(): LogFields | undefined {
    const fields = this.#fields;
    return typeof fields === 'function' ? fields(this.native) : fields;
  }

  get signal(): AbortSignal {
    if (!this.#controller) {
      const controller = (this.#controller = new AbortController());
      if (this.deadline !== undefined) {
        const delay = Math.max(0, this.deadline - Date.now() - ABORT_MARGIN_MS);
        // Not unref'd: a handler that only waits for this signal must keep the event loop alive. When the loop
        // drains while an async handler is pending, Lambda's Node runtime ends the invocation with a null result
        // (aws-lambda-ric's beforeExit listener, BeforeExitListener.js / _setDefaultExitListener).
        // Cleared when the invocation ends (releaseContext), so a busy function keeps no timer per past call.
        this.#deadlineTimer = setTimeout(() => controller.abort(new Error('faasport: the platform deadline is near')), delay);
      }
      const parent = this.#parent;
      if (parent?.aborted) controller.abort(parent.reason);
      // Equivalent mutant (`{ once: true }` dropped): 'abort' fires once; the option only lets the listener go sooner.
      else parent?.addEventListener('abort', () => controller.abort(parent.reason), { once: true });
    }
    return this.#controller.signal;
  }
}

/**
 * Called by the dispatchers when an invocation is over: its `ctx.signal` no longer fires at the deadline (the
 * deadline timer is cleared). Without it a handler that reads `ctx.signal` would leave a live timer behind until
 * its deadline, up to the function's timeout later.
 */
export function releaseContext(ctx: Context<unknown>): void {
  InvocationContext.release(ctx);
}

export function createContext<N>(init: ContextInit<N>): Context<N> {
  return new InvocationContext(init);
}

/** A declared field, not one added after construction (which would give every HTTP context a second shape). */
class HttpInvocationContext<N> extends InvocationContext<N> implements HttpContext<N> {
  readonly params: Record<string, string>;

  constructor(init: ContextInit<N>, params: Record<string, string>) {
    super(init);
    this.params = params;
  }
}

export function createHttpContext<N>(init: ContextInit<N>, params: Record<string, string>): HttpContext<N> {
  return new HttpInvocationContext(init, params);
}
