/**
 * The host's side of HTTP stream mode. An app that called `app.setup({ enableHttpStream: true })` answers the
 * capabilities request with `HttpUri`, the address of an HTTP server @azure/functions runs in the worker
 * (src/ProgrammingModel.ts, src/http/httpProxy.ts). For each HTTP invocation the host then
 * - sends the InvocationRequest over the worker protocol, whose trigger metadata carries `Headers` (JSON) and the
 *   route parameters (strings): in stream mode the library reads the request's headers and params from there
 *   (src/http/HttpRequest.ts createStreamRequest; Azure/azure-functions-host#9840), and
 * - forwards the client's request to `HttpUri` with `x-ms-invocation-id` (how the library pairs the two),
 *   `x-forwarded-host` and `x-forwarded-proto` (from which it rebuilds the URL); the library writes the function's
 *   response, body chunk by chunk as the stream yields it, on that connection, and the host passes it on as it
 *   comes. A client that goes away takes the forwarded request with it.
 * The library only answers the InvocationRequest after the response body is written (src/converters/toRpcHttp.ts):
 * a failure after the status went out cannot become a 500 any more, so the client's connection is cut instead.
 */
import http from 'node:http';
import type { RpcTypedData } from './protocol.js';

export interface ForwardInit {
  readonly httpUri: string;
  readonly invocationId: string;
  readonly method: string;
  /** Path and query as the client sent them. */
  readonly rawUrl: string;
  readonly host: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: Uint8Array;
}

/** Trigger metadata of a stream-mode HTTP invocation (pure). */
export function streamTriggerMetadata(headers: Record<string, string>, params: Record<string, string>): Record<string, RpcTypedData> {
  const metadata: Record<string, RpcTypedData> = { Headers: { json: JSON.stringify(headers) } };
  for (const [name, value] of Object.entries(params)) metadata[name] = { string: value };
  return metadata;
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection', 'te', 'trailer']);

export interface ForwardedResponse {
  /** Settles when the worker's response started (true) or ended without one (false). */
  readonly started: Promise<boolean>;
  /** Settles when the client's response is over (complete, cut, or the client left). */
  readonly done: Promise<void>;
  /** Cuts both sides (an invocation that failed after its response started). */
  abort(): void;
  /** Drops the forwarded request only (the invocation failed before a response started: the host answers 500). */
  cancelUpstream(): void;
}

/** Forwards one request to the worker's HTTP server and its response, as it streams, to `res`. */
export function forwardToWorker(init: ForwardInit, res: http.ServerResponse): ForwardedResponse {
  const headers: http.OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(init.headers)) if (!HOP_BY_HOP.has(name) && value !== undefined) headers[name] = value;
  headers['x-ms-invocation-id'] = init.invocationId;
  headers['x-forwarded-host'] = init.host;
  headers['x-forwarded-proto'] = 'http';
  headers['content-length'] = String(init.body.byteLength);
  const target = new URL(init.rawUrl.replace(/^\/+/, '/'), init.httpUri);
  let resolveStarted!: (started: boolean) => void;
  let resolveDone!: () => void;
  const started = new Promise<boolean>((resolve) => (resolveStarted = resolve));
  const done = new Promise<void>((resolve) => (resolveDone = resolve));
  const upstream = http.request(target, { method: init.method, headers, agent: false }, (answer) => {
    const out: http.OutgoingHttpHeaders = {};
    for (const [name, value] of Object.entries(answer.headers)) if (!HOP_BY_HOP.has(name) && value !== undefined) out[name] = value;
    res.writeHead(answer.statusCode ?? 500, out);
    res.flushHeaders();
    resolveStarted(true);
    answer.pipe(res);
    answer.once('close', () => {
      if (!answer.complete) res.destroy();
      resolveDone();
    });
  });
  upstream.once('error', () => {
    resolveStarted(false);
    resolveDone();
  });
  // The client went away: the forwarded request goes too, so the worker's side sees its connection close.
  res.once('close', () => {
    if (!res.writableFinished) upstream.destroy();
    resolveDone();
  });
  upstream.end(init.body);
  return {
    started,
    done,
    abort: () => {
      upstream.destroy();
      res.destroy();
    },
    cancelUpstream: () => upstream.destroy(),
  };
}
