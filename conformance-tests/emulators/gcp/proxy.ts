/**
 * Forwards one request to a function process and its answer back, streaming both bodies and keeping
 * every header line (repeated ones, each Set-Cookie) and the status text.
 */
import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { Transform } from 'node:stream';
import { describeExit, exitWithin, InitError, type FunctionInstance, type FunctionProcess } from './child.js';
import { endToEndHeaders, forwardedRequestHeaders } from './forwarding.js';

export function sendText(res: ServerResponse, status: number, text: string, contentType = 'text/plain; charset=utf-8'): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = Buffer.from(text, 'utf8');
  res.writeHead(status, { 'content-type': contentType, 'content-length': body.byteLength });
  res.end(body);
}

/**
 * Cloud Run's answer to a request that outlives the service's request timeout: "If your service doesn't respond
 * within this limit, Cloud Run closes the network connection and returns an HTTP 504 error"; the instance is not
 * terminated and may keep serving (https://docs.cloud.google.com/run/docs/configuring/request-timeout). The body
 * is the text Google's front end sends with it.
 */
export const REQUEST_TIMEOUT_BODY = 'upstream request timeout';

/** Cloud Run functions (2nd gen) default request timeout: 60 s (https://cloud.google.com/functions/docs/configuring/timeout). */
export const DEFAULT_REQUEST_TIMEOUT_MS = 60_000;

/**
 * Cloud Run's request size limit: 32 MiB for an HTTP/1 request (https://cloud.google.com/run/quotas, "Request"
 * row; no limit with end-to-end HTTP/2, which faasport does not deploy). Google's front end answers a
 * larger request with 413 before the function sees it (reported as "413: Request entity too large",
 * https://dev.to/stack-labs/how-to-overcome-cloud-runs-32mb-request-limit-190j).
 */
export const MAX_REQUEST_BYTES = 32 * 1024 * 1024;

/** True when the request declares a body over the limit (Content-Length); a chunked one is counted as it streams. */
export function declaredTooLarge(req: IncomingMessage): boolean {
  const length = Number(req.headers['content-length']);
  return Number.isFinite(length) && length > MAX_REQUEST_BYTES;
}

/**
 * The 413 page, in the form of Google's front-end error pages (status, "That's an error.", a sentence, "That's
 * all we know."); the wording of Cloud Run's own page is not documented, so only the status is promised.
 */
export function requestTooLargePage(): string {
  return (
    '<!DOCTYPE html>\n<html lang=en>\n<meta charset=utf-8>\n<title>Error 413 (Request Entity Too Large)!!1</title>\n' +
    '<p><b>413.</b> <ins>That\u2019s an error.</ins>\n<p>Your client issued a request that was too large. <ins>That\u2019s all we know.</ins>\n'
  );
}

/** Outcome of one attempt; 'refused' means nothing reached the process, so the request may be retried. */
type Attempt = 'done' | 'refused';

export async function proxy(fn: FunctionProcess, req: IncomingMessage, res: ServerResponse, timeoutMs = DEFAULT_REQUEST_TIMEOUT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  // One retry when the connection is refused: the process died between requests and is restarted.
  for (let attempt = 0; attempt < 2; attempt++) {
    let instance: FunctionInstance;
    try {
      instance = await fn.instance();
    } catch (error) {
      // A restart whose code fails at init leaves no healthy instance: Cloud Run answers 503 then
      // (https://cloud.google.com/run/docs/troubleshooting#503-errors); the body is ours, naming the function.
      if (error instanceof InitError) sendText(res, 503, `Service Unavailable: ${error.message}\n`);
      else sendText(res, 502, `Bad Gateway: ${(error as Error).message}\n`);
      return;
    }
    if ((await forwardOnce(fn.name, instance, req, res, deadline)) === 'done') return;
    if (!(await exitWithin(instance, 2_000))) break; // alive but not accepting connections
  }
  sendText(res, 502, `Bad Gateway: faasport gcp emulator could not reach function "${fn.name}"\n`);
}

function forwardOnce(name: string, instance: FunctionInstance, req: IncomingMessage, res: ServerResponse, deadline: number): Promise<Attempt> {
  return new Promise<Attempt>((resolve) => {
    let connected = false;
    let answered = false;
    // Set when the emulator itself ended the call (the timeout, or a body over the limit).
    let timedOut = false;
    // The request timeout, as Cloud Run enforces it: the connection to the instance is closed (the handler
    // sees its request aborted), the caller gets 504, and the process lives on for the next request.
    const timer = setTimeout(() => {
      timedOut = true;
      upstream.destroy();
      if (answered) res.destroy(); // cut off mid-body
      else sendText(res, 504, REQUEST_TIMEOUT_BODY);
      resolve('done');
    }, Math.max(0, deadline - Date.now()));
    res.on('close', () => clearTimeout(timer));
    const upstream = httpRequest({
      host: '127.0.0.1',
      port: instance.port,
      method: req.method,
      path: req.url,
      headers: forwardedRequestHeaders(req.rawHeaders, { clientAddress: req.socket.remoteAddress }),
      // A fresh connection per request: the body is only piped once it is open, so a refused
      // connection has consumed nothing and the request can go to a restarted process.
      agent: false,
      setHost: false,
    });
    // A body without Content-Length (chunked) is counted as it streams: past the limit the call is cut off and
    // the caller gets the 413 a declared length would have got (the function may have seen part of the body).
    let bodyBytes = 0;
    const limiter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        bodyBytes += chunk.byteLength;
        if (bodyBytes <= MAX_REQUEST_BYTES) return done(null, chunk);
        if (!timedOut) {
          timedOut = true;
          clearTimeout(timer);
          upstream.destroy();
          req.unpipe(limiter);
          req.resume();
          if (answered) res.destroy();
          else sendText(res, 413, requestTooLargePage(), 'text/html; charset=UTF-8');
          resolve('done');
        }
        done();
      },
    });
    upstream.on('socket', (socket) => {
      socket.once('connect', () => {
        connected = true;
        req.pipe(limiter).pipe(upstream);
      });
    });
    upstream.on('response', async (answer) => {
      answered = true;
      // The framework answers 500 + X-Google-Status: crash from its process-level handlers
      // (process.exit, uncaught exception, unhandled rejection) just before the process dies. Hold
      // the answer until the exit is seen, so the next request goes to a new process.
      if (String(answer.headers['x-google-status']).toLowerCase() === 'crash') await exitWithin(instance, 1_000);
      res.writeHead(answer.statusCode ?? 502, answer.statusMessage, endToEndHeaders(answer.rawHeaders));
      answer.pipe(res);
      answer.on('error', () => res.destroy());
      answer.on('close', () => {
        if (!answer.complete) res.destroy(); // cut off mid-body: the client must not see it as whole
      });
      res.on('finish', () => resolve('done'));
      res.on('close', () => resolve('done'));
    });
    upstream.on('error', (error: NodeJS.ErrnoException) => {
      if (timedOut) return;
      if (!connected) {
        clearTimeout(timer);
        resolve('refused');
        return;
      }
      if (answered || res.destroyed) {
        res.destroy();
        resolve('done');
        return;
      }
      // The process closed the connection without answering: it crashed (process.exit, a fatal
      // error). Wait until its exit is seen so the next request starts a new one, then say so.
      void exitWithin(instance, 2_000).then((exit) => {
        const how = exit ? `the process ${describeExit(exit)}` : `${error.code ?? error.message}`;
        sendText(
          res,
          502,
          `Bad Gateway: function "${name}" closed the connection without answering (${how}); ` +
            'it is restarted on the next request\n',
        );
        resolve('done');
      });
    });
    // A client that goes away takes the upstream request with it.
    res.on('close', () => {
      if (!res.writableFinished) upstream.destroy();
    });
  });
}
