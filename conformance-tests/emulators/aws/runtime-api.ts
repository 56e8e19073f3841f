/**
 * The Lambda Runtime API (2018-06-01) for one sandbox, as `aws-lambda-ric` 3.3.0 talks to it:
 * - `GET /runtime/invocation/next` is a long poll, answered with the event and `Lambda-Runtime-*` headers.
 *   It must carry a Content-Type: the ric's C++ client (aws-lambda-cpp 0.2.8) copies curl's content type
 *   into a std::string and crashes on a response without one.
 * - `POST /runtime/invocation/{id}/response` and `/error` come from curl with `content-type:
 *   application/json` and no `Lambda-Runtime-Function-Error-Type` header: the type is read from the body.
 *   Streaming handlers post `/response` chunked with `Lambda-Runtime-Function-Response-Mode: streaming`
 *   and report a late failure in the `Lambda-Runtime-Function-Error-Type`/`-Body` (base64) trailers.
 * - `POST /runtime/init/error` comes from node's http client with the error type header, then the ric exits 129.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

const PREFIX = '/2018-06-01/runtime';

export interface RuntimeInvocation {
  readonly requestId: string;
  /** The event, JSON bytes. */
  readonly payload: Uint8Array;
  /** Epoch ms. */
  readonly deadlineMs: number;
  readonly functionArn: string;
  readonly traceId: string;
  /** JSON text (Lambda passes the decoded form of the caller's base64 X-Amz-Client-Context). */
  readonly clientContext?: string | undefined;
  readonly cognitoIdentity?: string | undefined;
}

/**
 * A response the runtime streams (`Lambda-Runtime-Function-Response-Mode: streaming`, chunked): handed on as
 * soon as its headers arrive, the body read as the runtime writes it. `ended` settles once the request is
 * complete, with the error of the trailers when the handler failed after the stream had begun.
 */
export interface StreamedReport {
  readonly kind: 'stream';
  readonly requestId: string;
  /** The runtime's Content-Type: `application/vnd.awslambda.http-integration-response` after HttpResponseStream.from. */
  readonly contentType: string;
  readonly body: http.IncomingMessage;
  /** The error body (JSON) of the trailers, or undefined on success; rejects when the connection broke first. */
  readonly ended: Promise<Buffer | undefined>;
}

export type RuntimeReport =
  | { readonly kind: 'response'; readonly requestId: string; readonly body: Buffer }
  | StreamedReport
  | { readonly kind: 'error'; readonly requestId: string; readonly body: Buffer }
  | { readonly kind: 'init-error'; readonly body: Buffer };

export interface RuntimeApiEvents {
  /** The runtime asked for work: init is over (first call) or the previous invocation is done. */
  onNext(): void;
  onReport(report: RuntimeReport): void;
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

export class RuntimeApi {
  private parked: http.ServerResponse | undefined;
  private pending: RuntimeInvocation | undefined;
  /** The invocation the runtime holds, whose result it may post. */
  private current: string | undefined;

  private constructor(
    private readonly server: http.Server,
    private readonly events: RuntimeApiEvents,
  ) {}

  static async start(events: RuntimeApiEvents): Promise<RuntimeApi> {
    const server = http.createServer();
    // The runtime holds one keep-alive connection and a /next that may wait for minutes.
    server.keepAliveTimeout = 0;
    server.requestTimeout = 0;
    server.headersTimeout = 0;
    const api = new RuntimeApi(server, events);
    server.on('request', (req, res) => api.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    return api;
  }

  /** `host:port`, the value of `AWS_LAMBDA_RUNTIME_API`. */
  get endpoint(): string {
    const { port } = this.server.address() as AddressInfo;
    return `127.0.0.1:${port}`;
  }

  /** Hands an invocation to the runtime: answers the waiting `/next`, or the next one to arrive. */
  deliver(invocation: RuntimeInvocation): void {
    if (this.pending || this.current) throw new Error('runtime api: the runtime already has an invocation');
    this.pending = invocation;
    if (this.parked) {
      const res = this.parked;
      this.parked = undefined;
      this.sendNext(res);
    }
  }

  async close(): Promise<void> {
    this.parked?.destroy();
    this.parked = undefined;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private sendNext(res: http.ServerResponse): void {
    const inv = this.pending!;
    this.pending = undefined;
    this.current = inv.requestId;
    const headers: Record<string, string | number> = {
      'Content-Type': 'application/json',
      'Content-Length': inv.payload.byteLength,
      'Lambda-Runtime-Aws-Request-Id': inv.requestId,
      'Lambda-Runtime-Deadline-Ms': String(inv.deadlineMs),
      'Lambda-Runtime-Invoked-Function-Arn': inv.functionArn,
      'Lambda-Runtime-Trace-Id': inv.traceId,
    };
    if (inv.clientContext !== undefined) headers['Lambda-Runtime-Client-Context'] = inv.clientContext;
    if (inv.cognitoIdentity !== undefined) headers['Lambda-Runtime-Cognito-Identity'] = inv.cognitoIdentity;
    res.writeHead(200, headers);
    res.end(inv.payload);
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    if (req.headers['lambda-runtime-function-response-mode'] === 'streaming') {
      this.stream(req, res);
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => this.route(req, res, Buffer.concat(chunks)));
    req.on('error', () => res.destroy());
  }

  /** A streamed `/response`: reported at once, answered 202 once the runtime ended it. */
  private stream(req: http.IncomingMessage, res: http.ServerResponse): void {
    const path = (req.url ?? '').split('?', 1)[0]!;
    const match = /^\/2018-06-01\/runtime\/invocation\/([^/]+)\/response$/.exec(path);
    const requestId = match ? decodeURIComponent(match[1]!) : undefined;
    if (req.method !== 'POST' || requestId === undefined || requestId !== this.current) {
      req.resume();
      sendJson(res, 400, { errorMessage: 'Invalid request ID', errorType: 'InvalidRequestID' });
      return;
    }
    this.current = undefined;
    const ended = new Promise<Buffer | undefined>((resolve, reject) => {
      req.once('end', () => {
        sendJson(res, 202, { status: 'OK' });
        const errorType = req.trailers['lambda-runtime-function-error-type'];
        if (!errorType) return resolve(undefined);
        const errorBody = req.trailers['lambda-runtime-function-error-body'];
        resolve(errorBody ? Buffer.from(errorBody, 'base64') : Buffer.from(JSON.stringify({ errorType, errorMessage: '' })));
      });
      req.once('close', () => {
        if (!req.complete) reject(new Error('the runtime closed its response stream before ending it'));
      });
    });
    ended.catch(() => {});
    const contentType = req.headers['content-type'] ?? 'application/octet-stream';
    this.events.onReport({ kind: 'stream', requestId, contentType, body: req, ended });
  }

  private route(req: http.IncomingMessage, res: http.ServerResponse, body: Buffer): void {
    const path = (req.url ?? '').split('?', 1)[0]!;
    if (req.method === 'GET' && path === `${PREFIX}/invocation/next`) {
      if (this.parked) {
        sendJson(res, 400, { errorMessage: 'A request for the next invocation is already waiting', errorType: 'InvalidStateTransition' });
        return;
      }
      // A /next ends the previous invocation from the runtime's side; whatever it did not report is lost.
      this.current = undefined;
      if (this.pending) this.sendNext(res);
      else {
        this.parked = res;
        res.on('close', () => {
          if (this.parked === res) this.parked = undefined;
        });
      }
      this.events.onNext();
      return;
    }
    if (req.method === 'POST' && path === `${PREFIX}/init/error`) {
      sendJson(res, 202, { status: 'OK' });
      this.events.onReport({ kind: 'init-error', body });
      return;
    }
    const result = /^\/2018-06-01\/runtime\/invocation\/([^/]+)\/(response|error)$/.exec(path);
    if (req.method === 'POST' && result) {
      const requestId = decodeURIComponent(result[1]!);
      if (requestId !== this.current) {
        sendJson(res, 400, { errorMessage: 'Invalid request ID', errorType: 'InvalidRequestID' });
        return;
      }
      this.current = undefined;
      sendJson(res, 202, { status: 'OK' });
      const streamedErrorType = req.trailers['lambda-runtime-function-error-type'];
      if (result[2] === 'error') this.events.onReport({ kind: 'error', requestId, body });
      else if (streamedErrorType) {
        const streamedBody = req.trailers['lambda-runtime-function-error-body'];
        const errorBody = streamedBody
          ? Buffer.from(streamedBody, 'base64')
          : Buffer.from(JSON.stringify({ errorType: streamedErrorType, errorMessage: '' }));
        this.events.onReport({ kind: 'error', requestId, body: errorBody });
      } else this.events.onReport({ kind: 'response', requestId, body });
      return;
    }
    sendJson(res, 404, { errorMessage: `Unknown Runtime API path ${req.method} ${path}`, errorType: 'NotFound' });
  }
}
