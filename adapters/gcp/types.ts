/** Public types of faasport/gcp. Type-only imports: nothing from the functions-framework is bundled by them. */
import type {
  CloudEvent as FrameworkCloudEvent,
  HttpFunction as FrameworkHttpFunction,
  Request as FrameworkRequest,
  Response as FrameworkResponse,
} from '@google-cloud/functions-framework';
import type { Context, FunctionKind, HttpContext } from '../../core/types.js';
import type { PubsubPushEnvelope } from './pubsub.js';

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

/**
 * What the framework hands a CloudEvent function: the event's attributes as properties (from the `ce-*`
 * headers in binary mode, the JSON body in structured mode) and `data` parsed by its body parser.
 */
export type GcpCloudEvent = FrameworkCloudEvent<unknown>;

/** The native handler for CloudEvent kinds: what `functions.cloudEvent(name, handler)` takes. */
export type GcpCloudEventHandler = (cloudEvent: GcpCloudEvent) => Promise<void>;

/** `ctx.native` of topic, storage, schedule and event functions. */
export interface GcpCloudEventNative {
  readonly cloudEvent: GcpCloudEvent;
}

/** `ctx.native` of a queue function (a Pub/Sub push subscription): the request, response and parsed envelope. */
export interface GcpPushNative {
  readonly req: GcpRequest;
  readonly res: GcpResponse;
  readonly envelope: PubsubPushEnvelope;
}

export type GcpCloudEventContext = Context<GcpCloudEventNative>;
export type GcpPushContext = Context<GcpPushNative>;

/**
 * Function kinds this adapter turns into native handlers, and the functions-framework signature each
 * is served with: a queue is a Pub/Sub push subscription, so an HTTP function.
 */
export const SIGNATURE_TYPES = {
  http: 'http',
  queue: 'http',
  topic: 'cloudevent',
  storage: 'cloudevent',
  schedule: 'cloudevent',
  event: 'cloudevent',
} as const satisfies Record<FunctionKind, 'http' | 'cloudevent'>;
export const SUPPORTED_KINDS = ['http', 'queue', 'topic', 'storage', 'schedule', 'event'] as const;
export type SupportedKind = (typeof SUPPORTED_KINDS)[number];
export type SignatureType = (typeof SIGNATURE_TYPES)[SupportedKind];

export interface AdaptOptions {
  /** The faasport function name, used as `ctx.functionName` (default: K_SERVICE, then FUNCTION_TARGET). */
  readonly name?: string;
  /**
   * The function's timeout in milliseconds (`gcloud functions deploy --timeout`). Each invocation then has
   * `ctx.deadline` = the time its request arrived + timeoutMs, `ctx.remainingMs()` counts down to it and
   * `ctx.signal` aborts shortly before it. Without it there is no deadline: the functions framework does not
   * tell the function its timeout. The generated registration passes it.
   */
  readonly timeoutMs?: number;
}

/** What `register(name, fn, options)` takes. */
export interface RegisterOptions {
  /** The function's timeout in milliseconds: gives each invocation its deadline (see AdaptOptions.timeoutMs). */
  readonly timeoutMs?: number;
}

