/**
 * The Lambda Invoke API (`POST /2015-03-31/functions/{FunctionName}/invocations`) as `@aws-sdk/client-lambda`
 * calls it through an endpoint override. SigV4 signatures are not checked: any credentials work.
 * RequestResponse answers 200 with the function's bytes (`X-Amz-Function-Error: Unhandled` on failure),
 * Event answers 202 and hands the event to Lambda's async queue (retries, on-failure destination), DryRun answers 204.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { MAX_ATTEMPTS_HEADER, type AsyncInvocations } from './async-invocations.js';
import type { FunctionPool } from './function-pool.js';
import { readBody } from './http-body.js';
import {
  INVOCATION_TYPES,
  MAX_SYNC_REQUEST_BYTES,
  invalidParameter,
  invalidRequestContent,
  logTail,
  parseFunctionRef,
  requestTooLarge,
  resourceNotFound,
  serviceException,
  type InvocationType,
  type ServiceError,
} from './lambda-protocol.js';

const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;

/** An X-Ray trace header as Lambda passes it to the runtime. */
export function newTraceId(): string {
  const epoch = Math.floor(Date.now() / 1000).toString(16).padStart(8, '0');
  return `Root=1-${epoch}-${randomBytes(12).toString('hex')};Parent=${randomBytes(8).toString('hex')};Sampled=0`;
}

function sendServiceError(res: http.ServerResponse, requestId: string, error: ServiceError): void {
  const text = JSON.stringify(error.body);
  res.writeHead(error.status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
    'x-amzn-RequestId': requestId,
    'x-amzn-ErrorType': error.type,
  });
  res.end(text);
}

export class InvokeApi {
  private constructor(
    private readonly server: http.Server,
    private readonly pools: ReadonlyMap<string, FunctionPool>,
    private readonly async: AsyncInvocations,
  ) {}

  static async start(pools: ReadonlyMap<string, FunctionPool>, async: AsyncInvocations, port = 0): Promise<InvokeApi> {
    const server = http.createServer();
    const api = new InvokeApi(server, pools, async);
    server.on('request', (req, res) => {
      api.handle(req, res).catch((err: unknown) => {
        if (!res.headersSent) sendServiceError(res, randomUUID(), serviceException(String(err)));
        else res.destroy();
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    return api;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const requestId = randomUUID();
    const url = new URL(req.url ?? '/', 'http://lambda');
    const match = INVOKE_PATH.exec(url.pathname);
    if (req.method !== 'POST' || !match) {
      req.resume();
      sendServiceError(res, requestId, {
        status: 404,
        type: 'UnknownOperationException',
        body: { Type: 'User', message: `faasport's Lambda emulator only serves Invoke, not ${req.method} ${url.pathname}` },
      });
      return;
    }
    const rawName = decodeURIComponent(match[1]!);
    const ref = parseFunctionRef(rawName);
    if (!ref) {
      req.resume();
      sendServiceError(res, requestId, invalidParameter(`1 validation error detected: Value '${rawName}' at 'functionName' failed to satisfy constraint`));
      return;
    }
    const qualifier = url.searchParams.get('Qualifier') ?? ref.qualifier;
    const pool = this.pools.get(ref.name);
    if (!pool || (qualifier !== undefined && qualifier !== '$LATEST')) {
      req.resume();
      sendServiceError(res, requestId, resourceNotFound(qualifier && pool ? `${ref.name}:${qualifier}` : ref.name));
      return;
    }
    const invocationType = (req.headers['x-amz-invocation-type'] ?? 'RequestResponse') as InvocationType;
    if (!INVOCATION_TYPES.includes(invocationType)) {
      req.resume();
      sendServiceError(res, requestId, invalidParameter(`Unsupported InvocationType: ${String(invocationType)}`));
      return;
    }

    const maxAttemptsHeader = req.headers[MAX_ATTEMPTS_HEADER];
    const maxAttempts = typeof maxAttemptsHeader === 'string' ? Number(maxAttemptsHeader) : undefined;
    if (maxAttempts !== undefined && !(Number.isInteger(maxAttempts) && maxAttempts >= 1)) {
      req.resume();
      sendServiceError(res, requestId, invalidParameter(`${MAX_ATTEMPTS_HEADER} must be a whole number of at least 1`));
      return;
    }

    const body = await readBody(req, MAX_SYNC_REQUEST_BYTES);
    if (!body) {
      sendServiceError(res, requestId, requestTooLarge());
      return;
    }
    // An empty payload reaches the function as `{}`; anything else must be JSON.
    const payload = body.byteLength === 0 ? Buffer.from('{}') : body;
    try {
      JSON.parse(payload.toString('utf8'));
    } catch (err) {
      sendServiceError(res, requestId, invalidRequestContent(`Could not parse request body into json: ${(err as Error).message}`));
      return;
    }
    if (invocationType === 'DryRun') {
      res.writeHead(204, { 'x-amzn-RequestId': requestId });
      res.end();
      return;
    }

    const clientContextHeader = req.headers['x-amz-client-context'];
    const clientContext = typeof clientContextHeader === 'string' ? Buffer.from(clientContextHeader, 'base64').toString('utf8') : undefined;
    const traceHeader = req.headers['x-amzn-trace-id'];
    const invokeRequest = {
      requestId,
      payload,
      traceId: typeof traceHeader === 'string' && traceHeader.startsWith('Root=') ? traceHeader : newTraceId(),
      clientContext,
    };

    if (invocationType === 'Event') {
      // Lambda queues the event and answers at once; the outcome shows in the function's log and, when every
      // attempt failed, at the on-failure destination. `deliver` sets the limit and collects the outcome.
      void this.async.enqueue(ref.name, invokeRequest, { maxAttempts, track: maxAttempts !== undefined });
      res.writeHead(202, { 'x-amzn-RequestId': requestId, 'Content-Length': 0 });
      res.end();
      return;
    }
    const invocation = pool.invoke(invokeRequest);

    let outcome;
    try {
      outcome = await invocation;
    } catch (err) {
      sendServiceError(res, requestId, serviceException(String(err)));
      return;
    }
    const headers: Record<string, string | number> = {
      'Content-Type': 'application/json',
      'Content-Length': outcome.payload.byteLength,
      'x-amzn-RequestId': requestId,
      'X-Amz-Executed-Version': '$LATEST',
    };
    if (outcome.functionError) headers['X-Amz-Function-Error'] = outcome.functionError;
    if (req.headers['x-amz-log-type'] === 'Tail') headers['X-Amz-Log-Result'] = logTail(outcome.logs);
    res.writeHead(200, headers);
    res.end(outcome.payload);
  }
}
