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
}
