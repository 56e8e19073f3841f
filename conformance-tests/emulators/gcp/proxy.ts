/**
 * Forwards one request to a function process and its answer back, streaming both bodies and keeping
 * every header line (repeated ones, each Set-Cookie) and the status text.
 */
import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { describeExit, exitWithin, type FunctionInstance, type FunctionProcess } from './child.js';
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
      sendText(res, 502, `Bad Gateway: ${(error as Error).message}\n`);
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
    upstream.on('socket', (socket) => {
      socket.once('connect', () => {
        connected = true;
        req.pipe(upstream);
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
