/**
 * The Lambda handler of an HTTP function: tell the event's kind, pick its shape, route, run, convert back.
 * Never throws. It reads the kinds of event whose readers it was given (adapt() gives all of them, codegen's
 * entries only those the deployment sends), so a bundle links only those shapes.
 */
import type { ContextInit } from '../../../core/context.js';
import { BadEventError } from '../../../core/errors.js';
import { installFastFetch } from '../../../core/fetch/install.js';
import { dispatchHttp, readResponse, type HttpDispatch, type ResponseParts } from '../../../core/http.js';
import { createLogger, jsonLineSink } from '../../../core/log.js';
import { utf8Encode } from '../../../core/body.js';
import type { HttpFunction, Logger } from '../../../core/types.js';
import type { AdaptOptions, AwsHttpEvent, AwsHttpHandler, AwsHttpNative, AwsHttpResult, HttpEventSource, LambdaContext } from '../types.js';
import { TEXT_PLAIN, type AnyHttpShape, type RequestHead, type ShapeReader, type Warn } from './common.js';
import { rebuildRequest } from './header-repair.js';
import { describeEvent, httpEventSource } from './source.js';

/** Answers an event of a kind none of the readers reads (unlisted.ts); without it, such an event is of no known kind. */
export type UnlistedAnswer = (event: AwsHttpEvent, source: HttpEventSource, readers: readonly ShapeReader[]) => AwsHttpResult;

export function httpHandler(fn: HttpFunction, readers: readonly ShapeReader[], options: AdaptOptions = {}, unlisted?: UnlistedAnswer): AwsHttpHandler {
  const name = options.name;
  const byId: Partial<Record<HttpEventSource, ShapeReader>> = {};
  for (const reader of readers) byId[reader.id] = reader;
  // Light Request/Response from here on (adapt() runs at module load, before any invocation); see core/fetch.
  installFastFetch();

  // Not an async function: the one await it would hold costs a suspended frame per call (about 200 B of
  // heap more than the two callbacks of a then()). Whatever an async function would turn into a rejection
  // still is one.
  return function faasportAwsHttp(event: AwsHttpEvent, context: LambdaContext): Promise<AwsHttpResult> {
    let call: HttpCall | undefined;
    try {
      call = new HttpCall(event, context, name);
      const source = httpEventSource(event);
      const reader = source && byId[source];
      // Stryker disable next-line OptionalChaining: only adapt()/adaptHttp() pass no unlisted answer; they pass every reader, so a known source always has one
      if (!reader) return Promise.resolve(unreadable(event, source, source && unlisted?.(event, source, readers), readers, call));
      const shape = reader.shapeOf(event as never);
      call.shape = shape;
      let head: RequestHead;
      try {
        head = shape.parse(event as never);
      } catch (error) {
        if (error instanceof BadEventError) return Promise.resolve(badEvent(shape, error.message, call));
        // A field that cannot even be read (a throwing getter) is not an event a gateway sends.
        logger(call).warn('faasport: the event could not be read', { error });
        return Promise.resolve(badEvent(shape, `faasport/aws: malformed ${shape.label} event: its fields cannot be read; expected plain JSON data`, call));
      }
      // A Request that cannot be built (e.g. a header value outside Latin-1) is the caller's fault too:
      // dispatchHttp answers a BadEventError with 400.
      call.route(head);
      const routed = call;
      return dispatchHttp(fn, routed).then(
        (response) => routed.answer(response),
        (error: unknown) => routed.fail(error),
      );
    } catch (error) {
      return call?.shape === undefined ? Promise.reject(error) : failed(call, error);
    }
  };
}

/** fail() as a promise: a fault while answering a fault rejects, as it would in an async function. */
function failed(call: HttpCall, error: unknown): Promise<AwsHttpResult> {
  try {
    return Promise.resolve(call.fail(error));
  } catch (again) {
    return Promise.reject(again);
  }
}

/**
 * One invocation on its way to the handler: the neutral context's init (the fields awsContextInit gives) and
 * core's HttpDispatch in one object, `request()` a method instead of a closure, so that a call allocates
 * one object where it took four (init, dispatch, request closure, warn closure).
 */
class HttpCall implements ContextInit<AwsHttpNative>, HttpDispatch<AwsHttpNative> {
  readonly provider = 'aws' as const;
  readonly functionName: string;
  readonly invocationId: string;
  readonly deadline: number | undefined;
  readonly native: AwsHttpNative;
  // Stryker disable next-line StringLiteral: route() sets it before anything reads it
  method = '';
  // Stryker disable next-line StringLiteral: route() sets it before anything reads it
  path = '';
  /** The payload shape, once the event's kind is known: the answer is built in it. */
  shape: AnyHttpShape | undefined = undefined;
  #head: RequestHead | undefined = undefined;

  /** The Lambda context is always there on AWS; unit tests and hand-made calls often pass none, or part of one. */
  constructor(event: AwsHttpEvent, context: LambdaContext | undefined, name: string | undefined) {
    const remaining = context?.getRemainingTimeInMillis;
    this.functionName = name ?? context?.functionName ?? 'unknown';
    this.invocationId = context?.awsRequestId ?? `local-${crypto.randomUUID()}`;
    this.deadline = typeof remaining === 'function' ? Date.now() + remaining.call(context) : undefined;
    this.native = { event, context: context as LambdaContext };
  }

  get context(): this {
    return this;
  }

  route(head: RequestHead): void {
    this.#head = head;
    this.method = head.method;
    this.path = head.path;
  }

  request(): Request {
    return buildRequest(this.shape!, this.native.event, this.#head!);
  }

  /** The native result of the handler's Response (a promise only when a real Response's body must be read). */
  answer(response: Response): AwsHttpResult | Promise<AwsHttpResult> {
    try {
      const parts = readResponse(response, this.method);
      if (parts instanceof Promise) return parts.then((read) => this.#result(read), (error: unknown) => this.fail(error));
      return resultOf(this.shape!, parts, this);
    } catch (error) {
      return this.fail(error);
    }
  }

  #result(parts: ResponseParts): AwsHttpResult {
    try {
      return resultOf(this.shape!, parts, this);
    } catch (error) {
      return this.fail(error);
    }
  }

  /** Reached only by a fault in the adapter or a Response whose body stream fails: answer 500, never throw. */
  fail(error: unknown): AwsHttpResult {
    logger(this).error('faasport: the AWS HTTP adapter failed', { error });
    return this.shape!.result(textParts(500, 'Internal Server Error'), () => {});
  }
}

/** The call whose native result is being built: shape.result() reports lossy conversions synchronously, through warnResult. */
let resultCall: LogBase | undefined;
const warnResult: Warn = (message, fields) => logger(resultCall!).warn(message, fields);

function resultOf(shape: AnyHttpShape, parts: ResponseParts, call: LogBase): AwsHttpResult {
  resultCall = call;
  let result: AwsHttpResult;
  try {
    // Stryker disable BlockStatement: (the finally block only; restored below) without it the last call stays referenced until the next sets resultCall, which warnResult reads only inside shape.result
    result = shape.result(parts, warnResult);
  } finally {
    resultCall = undefined;
  }
  // Stryker restore BlockStatement
  // Only a large body can pass the limit: the exact size is measured on that rare path alone.
  // Stryker disable next-line ConditionalExpression,LogicalOperator,EqualityOperator: a fast path; a body under MAX/6 chars cannot reach the limit (JSON escapes at most 6 bytes a char) unless headers alone are MBs
  if (typeof result.body === 'string' && result.body.length > MAX_SYNC_RESPONSE_BYTES / 6) {
    const bytes = Buffer.byteLength(JSON.stringify(result));
    if (bytes > MAX_SYNC_RESPONSE_BYTES) {
      logger(call).error(
        `faasport/aws: the response is ${bytes} bytes as Lambda sends it, over Lambda's ${MAX_SYNC_RESPONSE_BYTES}-byte limit for a buffered ` +
          'response; Lambda would fail the invocation (Function.ResponseSizeTooLarge). Stream it (http({ stream: true }), up to 200 MB) ' +
          'or hand out a link to the object instead; answered 500',
        { status: parts.status, bytes },
      );
      return shape.result(textParts(500, 'Internal Server Error'), () => {});
    }
  }
  return result;
}

/**
 * The most a synchronous invocation may answer, as Lambda serialises the result: "6 MB" in Lambda's quotas
 * (docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html); Lambda's own error names the exact figure,
 * "Response payload size exceeded maximum allowed payload size (6291556 bytes)".
 */
export const MAX_SYNC_RESPONSE_BYTES = 6_291_556;

export function buildRequest(shape: AnyHttpShape, event: AwsHttpEvent, head: RequestHead): Request {
  try {
    return shape.request(event as never, head);
  } catch (cause) {
    if (cause instanceof BadEventError) throw cause;
    // Never the engine's own words in a 400: the slow path repairs what it can and names what it cannot.
    return rebuildRequest(shape, event as unknown as Record<string, unknown>, head, cause);
  }
}

/** What the adapter's own log lines say about the invocation. */
export type LogBase = Pick<ContextInit<unknown>, 'functionName' | 'invocationId' | 'provider'>;

export function badEvent(shape: AnyHttpShape, message: string, init: LogBase): AwsHttpResult {
  logger(init).warn('faasport: bad event, answered 400', { reason: message, shape: shape.id });
  return shape.result(textParts(400, message), () => {});
}

/** Logs and answers the 400 for an event this handler cannot read: `answer` when its kind is known, else one saying what was expected. */
export function unreadable(
  event: AwsHttpEvent,
  source: HttpEventSource | undefined,
  answer: AwsHttpResult | undefined,
  readers: readonly ShapeReader[],
  init: LogBase,
): AwsHttpResult {
  answer ??= {
    statusCode: 400,
    headers: { 'content-type': TEXT_PLAIN },
    body: `faasport/aws: this HTTP function cannot read the event: expected ${readers.map((r) => r.expected).join(' or ')}; got ${describeEvent(event)}`,
    isBase64Encoded: false,
  };
  logger(init).warn('faasport: bad event, answered 400', { reason: answer.body, shape: source });
  return answer;
}

function textParts(status: number, text: string): ResponseParts {
  return { status, headers: { 'content-type': TEXT_PLAIN }, cookies: [], body: utf8Encode(text) };
}

/** A logger for the adapter's own lines, with the same fields as `ctx.log`; only built when needed. */
export function logger(init: LogBase): Logger {
  return createLogger(jsonLineSink({ function: init.functionName, invocationId: init.invocationId, provider: init.provider }));
}
