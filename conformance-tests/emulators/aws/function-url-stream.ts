/**
 * The front door's Function URL in `InvokeMode: RESPONSE_STREAM`: the function's response goes to the client
 * as the runtime writes it. A runtime that used `awslambda.HttpResponseStream.from` posts the content type
 * `application/vnd.awslambda.http-integration-response` and starts its body with a JSON prelude
 * (`statusCode`, `headers`, `cookies`) and 8 NUL bytes (aws-lambda-ric 3.3.0 src/HttpResponseStream.js); any
 * other content type is the body itself, answered 200 with that type.
 * Lambda does not stop a streaming function when the client goes away
 * (https://docs.aws.amazon.com/lambda/latest/dg/configuration-response-streaming.html): the stream is then
 * read on to its end and dropped. An error reported in the trailers after the stream began ends the response
 * where it is (a Function URL client sees the bytes sent so far and a normal end, as
 * https://github.com/by-nir/aws-lambda-zig/issues/3 shows); a runtime that dies mid-stream cuts it.
 */
import type http from 'node:http';
import type { InvokeOutcome } from './sandbox.js';

export const INTEGRATION_RESPONSE_TYPE = 'application/vnd.awslambda.http-integration-response';
const PRELUDE_SEPARATOR_BYTES = 8;
/** A prelude is a few headers of JSON; one that does not end within this many bytes is not one. */
const MAX_PRELUDE_BYTES = 1024 * 1024;

export interface StreamPreludeHead {
  readonly status: number;
  readonly headers: Record<string, string | string[]>;
}

/** Prelude JSON -> status and headers (pure); Set-Cookie from `cookies`, one line each. */
export function parsePrelude(json: string): StreamPreludeHead {
  const prelude = JSON.parse(json) as { statusCode?: unknown; headers?: unknown; cookies?: unknown };
  const status = typeof prelude.statusCode === 'number' ? prelude.statusCode : 200;
  const headers: Record<string, string | string[]> = {};
  if (prelude.headers && typeof prelude.headers === 'object') {
    for (const [name, value] of Object.entries(prelude.headers as Record<string, unknown>)) headers[name.toLowerCase()] = String(value);
  }
  if (Array.isArray(prelude.cookies) && prelude.cookies.length > 0) headers['set-cookie'] = prelude.cookies.map(String);
  return { status, headers };
}

/** Index just past the 8 NUL bytes that end the prelude, or -1 when they are not in `bytes` yet. */
export function preludeEnd(bytes: Buffer): number {
  const at = bytes.indexOf(Buffer.alloc(PRELUDE_SEPARATOR_BYTES));
  return at === -1 ? -1 : at + PRELUDE_SEPARATOR_BYTES;
}

/** Reads the prelude off the front of the body; resolves with it and whatever body bytes came with it. */
function readPrelude(body: http.IncomingMessage): Promise<{ head: StreamPreludeHead; rest: Buffer }> {
  return new Promise((resolve, reject) => {
    let seen = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      seen = Buffer.concat([seen, chunk]);
      const end = preludeEnd(seen);
      if (end === -1 && seen.byteLength < MAX_PRELUDE_BYTES) return;
      body.off('data', onData);
      body.off('end', onEnd);
      body.pause();
      if (end === -1) return reject(new Error('the streamed response has no prelude separator (8 NUL bytes)'));
      try {
        resolve({ head: parsePrelude(seen.subarray(0, end - PRELUDE_SEPARATOR_BYTES).toString('utf8')), rest: seen.subarray(end) });
      } catch (error) {
        reject(error);
      }
    };
    const onEnd = () => reject(new Error('the streamed response ended inside its prelude'));
    body.on('data', onData);
    body.once('end', onEnd);
  });
}

/** Answers `res` from a streaming invocation; resolves when the client's response is over. */
export async function sendStreamed(stream: NonNullable<InvokeOutcome['stream']>, req: http.IncomingMessage, res: http.ServerResponse, extraHeaders: Record<string, string>): Promise<void> {
  const { body } = stream;
  let head: StreamPreludeHead;
  let rest: Buffer = Buffer.alloc(0);
  if (stream.contentType.split(';', 1)[0]!.trim() === INTEGRATION_RESPONSE_TYPE) {
    try {
      ({ head, rest } = await readPrelude(body));
    } catch {
      body.resume();
      res.writeHead(502, { 'content-type': 'application/json' }).end(JSON.stringify({ Message: 'Internal Server Error' }));
      return;
    }
  } else head = { status: 200, headers: { 'content-type': stream.contentType } };

  res.writeHead(head.status, { ...head.headers, ...extraHeaders });
  res.flushHeaders();
  const bodyless = req.method === 'HEAD';
  // The client went away: Lambda carries on; read the rest and drop it.
  res.once('close', () => {
    if (!res.writableFinished) {
      body.unpipe(res);
      body.resume();
    }
  });
  if (rest.byteLength > 0 && !bodyless) res.write(rest);
  if (bodyless) body.resume();
  else body.pipe(res, { end: false });
  try {
    await stream.ended;
    if (!res.destroyed) res.end();
  } catch {
    res.destroy(); // the runtime died mid-stream (a crash or the timeout)
  }
}
