/**
 * The Lambda handler of an HTTP function: tell the event's kind, pick its shape, route, run, convert back.
 * Never throws. It reads the kinds of event whose readers it was given (adapt() gives all of them, codegen's
 * entries only those the deployment sends), so a bundle links only those shapes.
 */
import type { ContextInit } from '../../../core/context.js';
import { BadEventError } from '../../../core/errors.js';
import { installFastFetch } from '../../../core/fetch/install.js';
import { dispatchHttp, readResponse, type ResponseParts } from '../../../core/http.js';
import { createLogger, jsonLineSink } from '../../../core/log.js';
import { utf8Encode } from '../../../core/body.js';
import type { HttpFunction, Logger } from '../../../core/types.js';
import { awsContextInit } from '../context.js';
import type { AdaptOptions, AwsHttpEvent, AwsHttpHandler, AwsHttpResult, HttpEventSource, LambdaContext } from '../types.js';
import { TEXT_PLAIN, type AnyHttpShape, type RequestHead, type ShapeReader } from './common.js';
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

  return async function faasportAwsHttp(event: AwsHttpEvent, context: LambdaContext): Promise<AwsHttpResult> {
    const init = awsContextInit(event, context, name);
    const source = httpEventSource(event);
    const reader = source && byId[source];
    if (!reader) return unreadable(event, source, source && unlisted?.(event, source, readers), readers, init);
    const shape = reader.shapeOf(event as never);
    try {
      let head: RequestHead;
      try {
        head = shape.parse(event as never);
      } catch (error) {
        if (error instanceof BadEventError) return badEvent(shape, error.message, init);
        // A field that cannot even be read (a throwing getter) is not an event a gateway sends.
        logger(init).warn('faasport: the event could not be read', { error });
        return badEvent(shape, `faasport/aws: malformed ${shape.label} event: its fields cannot be read; expected plain JSON data`, init);
      }
      // A Request that cannot be built (e.g. a header value outside Latin-1) is the caller's fault too:
      // dispatchHttp answers a BadEventError with 400.
      const response = await dispatchHttp(fn, {
        method: head.method,
        path: head.path,
        request: () => buildRequest(shape, event, head),
        context: init,
      });
      const parts = readResponse(response, head.method);
      return shape.result(parts instanceof Promise ? await parts : parts, (message, fields) => logger(init).warn(message, fields));
    } catch (error) {
      // Reached only by a fault in the adapter or a Response whose body stream fails: answer, never throw.
      logger(init).error('faasport: the AWS HTTP adapter failed', { error });
      return shape.result(textParts(500, 'Internal Server Error'), () => {});
    }
  };
}

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
