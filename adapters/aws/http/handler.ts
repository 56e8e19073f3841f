/** The Lambda handler of an HTTP function: detect the shape, route, run, convert back. Never throws. */
import type { ContextInit } from '../../../core/context.js';
import { BadEventError } from '../../../core/errors.js';
import { installFastFetch } from '../../../core/fetch/install.js';
import { dispatchHttp, readResponse, type ResponseParts } from '../../../core/http.js';
import { createLogger, jsonLineSink } from '../../../core/log.js';
import { utf8Encode } from '../../../core/body.js';
import type { HttpFunction, Logger } from '../../../core/types.js';
import { awsContextInit } from '../context.js';
import type { AdaptOptions, AwsHttpEvent, AwsHttpHandler, AwsHttpResult, LambdaContext } from '../types.js';
import { apigwV2 } from './apigw-v2.js';
import type { RequestHead } from './common.js';
import { describeEvent, detectHttpShape, EXPECTED_EVENTS, type AnyHttpShape } from './detect.js';

export function httpHandler(fn: HttpFunction, options: AdaptOptions = {}): AwsHttpHandler {
  const name = options.name;
  // Light Request/Response from here on (adapt() runs at module load, before any invocation); see core/fetch.
  installFastFetch();

  return async function faasportAwsHttp(event: AwsHttpEvent, context: LambdaContext): Promise<AwsHttpResult> {
    const init = awsContextInit(event, context, name);
    const shape = detectHttpShape(event);
    if (shape === undefined) {
      const message = `faasport/aws: this HTTP function cannot read the event: expected ${EXPECTED_EVENTS}; got ${describeEvent(event)}`;
      return badEvent(apigwV2, message, init);
    }
    try {
      let head: RequestHead;
      try {
        head = shape.parse(event as never);
      } catch (error) {
        if (error instanceof BadEventError) return badEvent(shape, error.message, init);
        throw error;
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

function buildRequest(shape: AnyHttpShape, event: AwsHttpEvent, head: RequestHead): Request {
  try {
    return shape.request(event as never, head);
  } catch (cause) {
    const why = cause instanceof Error ? cause.message : String(cause);
    throw new BadEventError(`faasport/aws: the ${shape.label} event cannot form a Fetch Request: ${why}`, { cause });
  }
}

function badEvent(shape: AnyHttpShape, message: string, init: ContextInit<unknown>): AwsHttpResult {
  logger(init).warn('faasport: bad event, answered 400', { reason: message, shape: shape.id });
  return shape.result(textParts(400, message), () => {});
}

function textParts(status: number, text: string): ResponseParts {
  return { status, headers: { 'content-type': 'text/plain; charset=utf-8' }, cookies: [], body: utf8Encode(text) };
}

/** A logger for the adapter's own lines, with the same fields as `ctx.log`; only built when needed. */
function logger(init: ContextInit<unknown>): Logger {
  return createLogger(jsonLineSink({ function: init.functionName, invocationId: init.invocationId, provider: init.provider }));
}
