/** Public types of faasport/gcp. Type-only imports: nothing from the functions-framework is bundled by them. */
import type {
  HttpFunction as FrameworkHttpFunction,
  Request as FrameworkRequest,
  Response as FrameworkResponse,
} from '@google-cloud/functions-framework';
import type { HttpContext } from '../../core/types.js';

/** The functions-framework request (Express) with `rawBody` when its body parser read the body. */
export type GcpRequest = FrameworkRequest;
export type GcpResponse = FrameworkResponse;

/** What `ctx.native` holds on GCP: the framework's Express request and response, for escape hatches. */
export interface GcpHttpNative {
  readonly req: GcpRequest;
  readonly res: GcpResponse;
}

/** `ctx` of an HTTP handler on GCP: `(ctx as GcpHttpContext).native.req`. */
export type GcpHttpContext = HttpContext<GcpHttpNative>;

/** The native handler `adapt(httpFunction)` returns: what `functions.http(name, handler)` takes. */
export type GcpHttpHandler = FrameworkHttpFunction & ((req: GcpRequest, res: GcpResponse) => Promise<void>);

/** Function kinds this adapter turns into native handlers today (CloudEvent kinds come later). */
export const SUPPORTED_KINDS = ['http'] as const;
export type SupportedKind = (typeof SUPPORTED_KINDS)[number];

export interface AdaptOptions {
  /** The faasport function name, used as `ctx.functionName` (default: K_SERVICE, then FUNCTION_TARGET). */
  readonly name?: string;
}
