/** An HTTP request as received -> the API Gateway HTTP API payload format 2.0 event (pure). */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { bytesToBase64 } from '../../../core/body.js';
import type { RouteSelection } from './routes.js';

export interface ReceivedRequest {
  /** Upper-case method. */
  readonly method: string;
  /** The request target as received: path plus optional query, still percent-encoded. */
  readonly target: string;
  /** Node's `rawHeaders`: names and values alternating, in wire order. */
  readonly rawHeaders: readonly string[];
  readonly body: Uint8Array;
  readonly sourceIp: string;
  /** `HTTP/1.1`. */
  readonly protocol: string;
  /** The port the front door listens on (API Gateway's `x-forwarded-port`). */
  readonly port: number;
}

/** What API Gateway itself contributes to an event. */
export interface GatewayInfo {
  readonly accountId: string;
  readonly apiId: string;
  readonly requestId: string;
  /** `Root=1-…` X-Ray trace header value. */
  readonly traceId: string;
  /** Epoch ms at which the request arrived. */
  readonly timeEpoch: number;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;
const pad = (n: number): string => String(n).padStart(2, '0');

/** API Gateway's `requestContext.time`: `17/Jun/2024:15:52:39 +0000`. */
export function formatRequestTime(epochMs: number): string {
  const d = new Date(epochMs);
  return `${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(
    d.getUTCMinutes(),
  )}:${pad(d.getUTCSeconds())} +0000`;
}

/** Bodies of these types arrive as text; API Gateway base64-encodes everything else (forms included). */
function isTextBody(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const type = contentType.split(';', 1)[0]!.trim().toLowerCase();
  return (
    type.startsWith('text/') ||
    type === 'application/json' ||
    type.endsWith('+json') ||
    type === 'application/xml' ||
    type.endsWith('+xml') ||
    type === 'application/javascript'
  );
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return undefined;
  }
}

function decodeComponent(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text; // a malformed escape stays as sent
  }
}

/** Header names lower-cased, repeated headers joined with `,`; the Cookie header moves to `cookies`. */
function collectHeaders(rawHeaders: readonly string[]): { headers: Record<string, string>; cookies: string[] } {
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!.toLowerCase();
    const value = rawHeaders[i + 1]!;
    if (name === 'cookie') {
      for (const part of value.split(';')) {
        const cookie = part.trim();
        if (cookie !== '') cookies.push(cookie);
      }
      continue;
    }
    headers[name] = name in headers ? `${headers[name]},${value}` : value;
  }
  return { headers, cookies };
}

/** Decoded query parameters, repeated keys joined with `,` (the raw form stays in `rawQueryString`). */
function parseQuery(rawQuery: string): Record<string, string> | undefined {
  if (rawQuery === '') return undefined;
  const params: Record<string, string> = {};
  for (const pair of rawQuery.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const key = decodeComponent(eq === -1 ? pair : pair.slice(0, eq));
    const value = eq === -1 ? '' : decodeComponent(pair.slice(eq + 1));
    params[key] = key in params ? `${params[key]},${value}` : value;
  }
  return Object.keys(params).length > 0 ? params : undefined;
}

function decodePath(path: string): string {
  if (!path.includes('%')) return path;
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

export function toHttpApiEvent(req: ReceivedRequest, route: RouteSelection, gw: GatewayInfo): APIGatewayProxyEventV2 {
  const target = req.target.split('#', 1)[0]!;
  const q = target.indexOf('?');
  // HTTP APIs hand the integration the path percent-DECODED, in rawPath and http.path alike (seen in live
  // captures; REST APIs, Function URLs and ALB keep it encoded). Malformed escapes stay as sent.
  const rawPath = decodePath(q === -1 ? target : target.slice(0, q));
  const rawQueryString = q === -1 ? '' : target.slice(q + 1);
  const { headers, cookies } = collectHeaders(req.rawHeaders);

  // Headers API Gateway adds on its way to the integration.
  headers['x-amzn-trace-id'] = gw.traceId;
  headers['x-forwarded-for'] = headers['x-forwarded-for'] ? `${headers['x-forwarded-for']}, ${req.sourceIp}` : req.sourceIp;
  headers['x-forwarded-port'] = String(req.port);
  headers['x-forwarded-proto'] = 'http';

  const domainName = (headers.host ?? 'localhost').replace(/:\d+$/, '');
  const queryStringParameters = parseQuery(rawQueryString);

  let body: string | undefined;
  let isBase64Encoded = false;
  if (req.body.byteLength > 0) {
    const text = isTextBody(headers['content-type']) ? decodeUtf8(req.body) : undefined;
    if (text === undefined) {
      body = bytesToBase64(req.body);
      isBase64Encoded = true;
    } else {
      body = text;
    }
  }

  // Key order follows the events API Gateway sends.
  const event: APIGatewayProxyEventV2 = {
    version: '2.0',
    routeKey: route.routeKey,
    rawPath,
    rawQueryString,
    ...(cookies.length > 0 ? { cookies } : {}),
    headers,
    ...(queryStringParameters ? { queryStringParameters } : {}),
    requestContext: {
      accountId: gw.accountId,
      apiId: gw.apiId,
      domainName,
      domainPrefix: domainName.split('.', 1)[0]!,
      http: {
        method: req.method,
        path: rawPath,
        protocol: req.protocol,
        sourceIp: req.sourceIp,
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: gw.requestId,
      routeKey: route.routeKey,
      stage: '$default',
      time: formatRequestTime(gw.timeEpoch),
      timeEpoch: gw.timeEpoch,
    },
    ...(body !== undefined ? { body } : {}),
    ...(route.pathParameters ? { pathParameters: route.pathParameters } : {}),
    isBase64Encoded,
  };
  return event;
}
