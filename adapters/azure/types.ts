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
}

export interface RegisterOptions {
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
   * How the blob trigger of a storage function learns about new blobs: `LogsAndContainerScan` (default: polling,
   * works on every plan but may lag by minutes) or `EventGrid` (low latency; required on Flex Consumption; needs
   * an Event Grid subscription to the blob extension's webhook).
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
