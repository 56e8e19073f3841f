/**
 * Lambda response streaming for `http({ stream: true })` functions behind a Function URL with
 * `InvokeMode: RESPONSE_STREAM` (payload 2.0 events).
 *
 * The Node.js runtime (aws-lambda-ric 3.3.0, src/UserFunction.js and src/HttpResponseStream.js) defines the
 * `awslambda` global before it loads the handler module: `streamifyResponse(handler)` marks a handler
 * `(event, responseStream, context) => Promise<void>` as streaming, and `HttpResponseStream.from(stream,
 * { statusCode, headers, cookies })` makes the first write send that prelude (JSON, then 8 NUL bytes) ahead of
 * the body, under the content type `application/vnd.awslambda.http-integration-response`. The prelude only goes
 * out with a first write (the stream of an empty body hangs a Function URL otherwise:
 * aws/aws-lambda-nodejs-runtime-interface-client#95 and #97), so the head is written at once with an empty chunk.
 * A handler that rejects gets the runtime's error trailers (`Lambda-Runtime-Function-Error-Type`/`-Body`).
 * Lambda does not stop a streaming function when the client disconnects ("streamed responses are not
 * interrupted or stopped when the invoking client connection is broken",
 * https://docs.aws.amazon.com/lambda/latest/dg/configuration-response-streaming.html), so `ctx.signal` aborts
 * only when the response stream itself closes early (the runtime's connection to Lambda broke) or at the deadline.
 */
import { BadEventError } from '../../../core/errors.js';
import { installFastFetch } from '../../../core/fetch/install.js';
import { dispatchHttp, streamedResponseEnded } from '../../../core/http.js';
import { clientGone, pipeBody, responseBody, responseHead, type ResponseHead } from '../../../core/stream.js';
import type { HttpFunction } from '../../../core/types.js';
import { awsContextInit } from '../context.js';
import type { AdaptOptions, AwsHttpEvent, HttpEventSource, LambdaContext } from '../types.js';
import type { RequestHead, ShapeReader } from './common.js';
import { badEvent, buildRequest, logger, unreadable, type UnlistedAnswer } from './handler.js';
import { httpEventSource } from './source.js';

/** The writable `awslambda.streamifyResponse` hands a handler (a node:http ClientRequest to the Runtime API, narrowed). */
export interface LambdaResponseStream {
  write(chunk: Uint8Array | string, callback?: (error?: Error | null) => void): boolean;
  end(callback?: () => void): void;
  once(event: 'drain' | 'close' | 'error', listener: (...args: unknown[]) => void): unknown;
  off(event: 'drain' | 'close' | 'error', listener: (...args: unknown[]) => void): unknown;
  readonly writableFinished: boolean;
  readonly destroyed: boolean;
}

/** What HttpResponseStream.from sends ahead of the body: the payload 2.0 response fields but the body. */
export interface StreamPrelude {
  statusCode: number;
  headers: Record<string, string>;
  cookies: string[];
}

/** The `awslambda` global of Lambda's Node.js runtime. */
export interface AwsLambdaGlobal {
  streamifyResponse<H>(handler: H, options?: { highWaterMark?: number }): H;
  HttpResponseStream: { from(stream: LambdaResponseStream, prelude: StreamPrelude): LambdaResponseStream };
}

export type AwsStreamingHttpHandler = (event: AwsHttpEvent, responseStream: LambdaResponseStream, context: LambdaContext) => Promise<void>;

export function lambdaGlobal(): AwsLambdaGlobal {
  const lambda = (globalThis as unknown as { awslambda?: AwsLambdaGlobal }).awslambda;
  if (!lambda) {
    throw new TypeError(
      "faasport/aws: a streaming function (http({ stream: true })) runs under Lambda's Node.js runtime, which provides the awslambda global " +
        '(streamifyResponse, HttpResponseStream); it is missing here. Outside Lambda, test the function with invoke() from faasport/testing.',
    );
  }
  return lambda;
}

/** Response head -> prelude (pure). */
export function toStreamPrelude(head: Pick<ResponseHead, 'status' | 'headers' | 'cookies'>): StreamPrelude {
  return { statusCode: head.status, headers: head.headers, cookies: head.cookies };
}

function drained(stream: LambdaResponseStream): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      stream.off('drain', done);
      stream.off('close', done);
      resolve();
    };
    stream.once('drain', done);
    stream.once('close', done);
  });
}

/** Aborts when the response stream closes before it finished: the runtime lost its connection to Lambda. */
function streamGoneSignal(stream: LambdaResponseStream): AbortSignal {
  const gone = new AbortController();
  stream.once('close', () => {
    if (!stream.writableFinished) gone.abort(clientGone());
  });
  return gone.signal;
}

const ended = (stream: LambdaResponseStream) => new Promise<void>((resolve) => stream.end(resolve));

/**
 * The streaming handler before `awslambda.streamifyResponse`: `export const handler =
 * awslambda.streamifyResponse(streamingHttpHandler(fn, [apiGatewayV2Events]))`. Reads payload 2.0 events only
 * (Function URLs send no other kind).
 */
export function streamingHttpHandler(
  fn: HttpFunction,
  readers: readonly ShapeReader[],
  options: AdaptOptions = {},
  unlisted?: UnlistedAnswer,
): AwsStreamingHttpHandler {
  const name = options.name;
  const byId: Partial<Record<HttpEventSource, ShapeReader>> = {};
  for (const reader of readers) byId[reader.id] = reader;
  installFastFetch();

  return async function faasportAwsStreamingHttp(event, responseStream, context) {
    const lambda = lambdaGlobal();
    const gone = streamGoneSignal(responseStream);
    const init = awsContextInit(event, context, name, gone);
    const source = httpEventSource(event);
    const reader = source && byId[source];
    /** A buffered answer of the adapter's own (400), sent as the stream's prelude and one chunk. */
    const answer = async (status: number, headers: Record<string, string>, body: string) => {
      const stream = lambda.HttpResponseStream.from(responseStream, toStreamPrelude({ status, headers, cookies: [] }));
      stream.write(body);
      await ended(stream);
    };
    if (!reader) {
      // Stryker disable next-line OptionalChaining: only adapt()/adaptHttp() pass no unlisted answer; they pass every reader, so a known source always has one
      // Equivalent mutant (`?? 400` as `&& 400` on the next line): unreadable() always answers 400 here.
      const result = unreadable(event, source, source && unlisted?.(event, source, readers), readers, init);
      return answer(result.statusCode ?? 400, (result.headers ?? {}) as Record<string, string>, String(result.body ?? ''));
    }
    const shape = reader.shapeOf(event as never);
    let head: RequestHead;
    try {
      head = shape.parse(event as never);
    } catch (error) {
      if (!(error instanceof BadEventError)) throw error;
      const result = badEvent(shape, error.message, init) as { statusCode: number; headers: Record<string, string>; body: string };
      return answer(result.statusCode, result.headers, result.body);
    }
    const response = await dispatchHttp(fn, {
      method: head.method,
      path: head.path,
      request: () => buildRequest(shape, event, head),
      context: init,
    });
    try {
      const stream = lambda.HttpResponseStream.from(responseStream, toStreamPrelude(responseHead(response)));
      stream.write(''); // the prelude goes out now, before the body's first chunk exists
      const body = responseBody(response, head.method);
      if (body) {
        try {
          await pipeBody(body, (chunk) => (stream.write(chunk) ? undefined : drained(stream)), gone);
        } catch (error) {
          logger(init).error('faasport: the response stream failed after the response had started', { error });
          // The runtime sends the failure to Lambda in the error trailers; nothing of it reaches the client.
          throw new Error(`faasport: the response stream of ${init.functionName} failed mid-way (the log has the error)`);
        }
      }
      if (!stream.destroyed) await ended(stream);
    } finally {
      streamedResponseEnded(response);
    }
  };
}
