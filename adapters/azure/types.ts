import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import type { HttpMethod } from '../../core/types.js';

/** What `ctx.native` holds for an HTTP function on Azure. */
export interface AzureHttpNative {
  readonly request: HttpRequest;
  readonly context: InvocationContext;
}

/** The native v4 handler `app.http` expects. */
export type AzureHttpHandler = (request: HttpRequest, context: InvocationContext) => Promise<HttpResponseInit>;

export interface AdaptOptions {
  /** Function name reported in `ctx.functionName` (defaults to the name Azure reports). */
  name?: string;
  /**
   * The function's timeout in milliseconds (on Azure the app's host.json `functionTimeout`). Each invocation
   * then has `ctx.deadline` = its start + timeoutMs, `ctx.remainingMs()` counts down to it and `ctx.signal`
   * aborts shortly before it. Without it there is no deadline: Azure does not tell the function its timeout.
   * The generated registration passes it.
   */
  timeoutMs?: number;
}

export interface RegisterOptions {
  /** The function's timeout in milliseconds: gives each invocation its deadline (see AdaptOptions.timeoutMs). */
  timeoutMs?: number;
  /**
   * Methods the Functions host routes to this function. 'any' (default) lets every method through so that
   * faasport's dispatch answers 405 with `Allow`; codegen passes the declared methods only when several
   * functions share one route pattern.
   */
  methods?: readonly HttpMethod[] | 'any';
  /**
   * App setting that holds the connection for queue, topic and storage functions; overrides the function's own
   * `connection` option. Defaults: `AzureWebJobsStorage` (Storage queues and blobs), `ServiceBusConnection`.
   */
  connection?: string;
  /**
   * How the blob trigger of a storage function learns about new blobs: `EventGrid` (default: low latency, the only
   * source the Flex Consumption plan runs; needs an Event Grid subscription to the app's `blobs` extension webhook,
   * which faasport's deploy.sh creates) or `LogsAndContainerScan` (polling, may lag by minutes; not on Flex).
   */
  blobSource?: 'EventGrid' | 'LogsAndContainerScan';
}

/** What `ctx.native` holds for a non-HTTP function on Azure: the trigger payload as the library handed it. */
export interface AzureEventNative<T = unknown> {
  readonly trigger: T;
  readonly context: InvocationContext;
}

/**
 * The native v4 handler of an event trigger. It resolves when the handler succeeded and throws (a
 * DeliveryFailedError with the cause) when it failed, so that the host retries, poisons or dead-letters.
 */
export type AzureEventHandler<T = unknown> = (trigger: T, context: InvocationContext) => Promise<void>;
