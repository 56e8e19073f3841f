/**
 * The front door: plays an API Gateway HTTP API (payload format 2.0) in front of the http functions.
 * It routes, builds the 2.0 event, invokes the function through the Invoke API with the real
 * `@aws-sdk/client-lambda` (as API Gateway's Lambda integration calls Lambda), and maps the result back.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { utf8Encode } from '../../../core/body.js';
import { sendStreamed } from './function-url-stream.js';
import { readBody } from './http-body.js';
import { forbidden, gatewayError, internalServerError, notFound, serviceUnavailable, toGatewayResponse, type GatewayResponse } from './http-api-result.js';
import { newTraceId } from './invoke-api.js';
import { ACCOUNT_ID, REGION } from './lambda-protocol.js';
import { cutAtDecodedQuery, toHttpApiEvent, type IamCaller } from './http-api-event.js';
import type { HttpManifestFunction } from './manifest.js';
import type { InvokeOutcome, InvokeRequest } from './sandbox.js';
import { buildRouteTable, selectRoute, type HttpRoute } from './routes.js';
import { checkSignatureShape, EXECUTE_API, FUNCTION_URL_SERVICE } from './sigv4.js';

/** HTTP API's request payload quota. */
const MAX_REQUEST_BYTES = 10 * 1024 * 1024;
/** HTTP API's integration timeout, the most a route can be given (see serviceUnavailable). */
export const HTTP_API_INTEGRATION_TIMEOUT_MS = 30_000;

/** API Gateway request ids look like `ZhNHJhhLjoEEPiw=`. */
const newRequestId = (): string => randomBytes(11).toString('base64');

export interface FrontDoorOptions {
  readonly functions: readonly HttpManifestFunction[];
  readonly lambdaEndpoint: string;
  readonly port?: number | undefined;
  /**
   * Runs a streaming function (`stream: true`, deployed behind a Function URL in RESPONSE_STREAM mode) and hands
   * back its response stream as the runtime writes it.
   */
  readonly invokeStreaming: (functionName: string, request: InvokeRequest) => Promise<InvokeOutcome>;
  /** How long the integration may take before the caller gets 503 (default 30 s, the HTTP API's). */
  readonly integrationTimeoutMs?: number | undefined;
  /** Called with integration failures (network, SDK) that become 500s, for diagnostics. */
  readonly onIntegrationError?: ((err: unknown) => void) | undefined;
}

export class FrontDoor {
  private constructor(
    private readonly server: http.Server,
    private readonly lambda: LambdaClient,
  ) {}

  static async start(options: FrontDoorOptions): Promise<FrontDoor> {
    const table = buildRouteTable(options.functions);
    const lambda = new LambdaClient({
      endpoint: options.lambdaEndpoint,
      region: REGION,
      credentials: { accessKeyId: 'AKIAFAASPORTLOCAL000', secretAccessKey: 'faasport-local-secret' },
      maxAttempts: 1,
    });
    // Ten random lowercase letters and digits, like a real API id.
    const apiId = randomBytes(10).toString('hex').replace(/[^a-z0-9]/g, '').slice(0, 10);
    const server = http.createServer();
    const door = new FrontDoor(server, lambda);
    server.on('request', (req, res) => {
      door
        .handle(table, apiId, options, req, res)
        .catch((err: unknown) => {
          options.onIntegrationError?.(err);
          return internalServerError();
        })
        .then((response) => response === STREAMED || send(req, res, response));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
    });
    return door;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.lambda.destroy();
  }

  private async handle(
    table: readonly HttpRoute[],
    apiId: string,
    options: FrontDoorOptions,
    req: http.IncomingMessage,
    res: http.ServerResponse,
  ): Promise<GatewayResponse | typeof STREAMED> {
    const timeEpoch = Date.now();
    const body = await readBody(req, MAX_REQUEST_BYTES);
    if (!body) return gatewayError(413, 'Request Entity Too Large');
    const method = (req.method ?? 'GET').toUpperCase();
    const target = req.url ?? '/';
    // Routed as the integration will see the path: cut at the query, and again at a decoded `?`.
    const route = selectRoute(table, method, cutAtDecodedQuery(target.split(/[?#]/, 1)[0]!.replace(/%3F/gi, '?')));
    if (!route) return notFound();
    let iam: IamCaller | undefined;
    if (route.fn.authLevel !== 'anonymous') {
      // The template deploys such a route with AWS_IAM authorization (codegen/emit/aws.ts).
      const query = new URL(target, 'http://gateway').searchParams;
      // A streaming function is reached through its Function URL (AuthType AWS_IAM), signed for `lambda`.
      const service = route.fn.options.stream === true ? FUNCTION_URL_SERVICE : EXECUTE_API;
      const caller = checkSignatureShape(lowerCaseHeaders(req.rawHeaders), query, service);
      if (typeof caller === 'string') {
        options.onIntegrationError?.(new Error(`${route.fn.name}: 403 because ${caller}`));
        return forbidden();
      }
      iam = { accessKey: caller.accessKeyId, accountId: ACCOUNT_ID };
    }

    const event = toHttpApiEvent(
      {
        method,
        target,
        rawHeaders: req.rawHeaders,
        body,
        sourceIp: (req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, ''),
        protocol: `HTTP/${req.httpVersion}`,
      },
      route,
      { accountId: ACCOUNT_ID, apiId, requestId: newRequestId(), traceId: newTraceId().split(';', 1)[0]!, timeEpoch, region: REGION, iam },
    );
    if (route.fn.options.stream === true) {
      // A Function URL in RESPONSE_STREAM mode: Lambda invokes with response streaming, the event is payload 2.0.
      const outcome = await options.invokeStreaming(route.fn.name, {
        requestId: crypto.randomUUID(),
        payload: utf8Encode(JSON.stringify(event)),
        traceId: newTraceId(),
        responseStream: true,
      });
      if (!outcome.stream) return toGatewayResponse(outcome.payload, outcome.functionError);
      await sendStreamed(outcome.stream, req, res, { 'x-amzn-requestid': newRequestId() });
      return STREAMED;
    }
    // The HTTP API's buffered integration; a streaming function's Function URL has no such 30 s limit.
    const invocation = this.lambda
      .send(new InvokeCommand({ FunctionName: route.fn.name, Payload: utf8Encode(JSON.stringify(event)) }))
      .then((result) => toGatewayResponse(result.Payload ?? new Uint8Array(0), result.FunctionError));
    let timer: NodeJS.Timeout | undefined;
    let gaveUp = false;
    const timedOut = new Promise<GatewayResponse>((resolve) => {
      timer = setTimeout(() => {
        gaveUp = true;
        resolve(serviceUnavailable());
      }, options.integrationTimeoutMs ?? HTTP_API_INTEGRATION_TIMEOUT_MS);
    });
    // After a 503 the gateway stops waiting; the invocation runs on in Lambda, as it does on AWS.
    invocation.catch((err: unknown) => {
      if (gaveUp) options.onIntegrationError?.(err);
    });
    try {
      return await Promise.race([invocation, timedOut]);
    } finally {
      clearTimeout(timer);
    }
  }
}

/** handle() answered the client itself (a streamed response). */
const STREAMED = Symbol('streamed');

function lowerCaseHeaders(rawHeaders: readonly string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) headers[rawHeaders[i]!.toLowerCase()] = rawHeaders[i + 1]!;
  return headers;
}

function send(req: http.IncomingMessage, res: http.ServerResponse, response: GatewayResponse): void {
  try {
    const headers: Record<string, string | string[]> = {};
    for (const [name, value] of response.headers) {
      const previous = headers[name];
      if (name === 'set-cookie') headers[name] = [...((previous as string[] | undefined) ?? []), value];
      else headers[name] = previous === undefined ? value : `${previous as string},${value}`;
    }
    headers['apigw-requestid'] = newRequestId();
    const bodyless = response.status === 204 || response.status === 304 || response.status < 200;
    if (!bodyless) headers['content-length'] = String(response.body.byteLength);
    res.writeHead(response.status, headers);
    res.end(req.method === 'HEAD' || bodyless ? undefined : response.body);
  } catch {
    // A header Node refuses to write: API Gateway would refuse the response too.
    if (!res.headersSent) {
      const error = internalServerError();
      res.writeHead(error.status, { 'content-type': 'application/json', 'content-length': error.body.byteLength });
      res.end(error.body);
    } else res.destroy();
  }
}
