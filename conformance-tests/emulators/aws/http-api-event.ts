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
}

/** The caller of an `AWS_IAM` route, as `requestContext.authorizer.iam` names it. */
export interface IamCaller {
  readonly accessKey: string;
  readonly accountId: string;
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
  /** Region of the invoke URL `<apiId>.execute-api.<region>.amazonaws.com`. */
  readonly region: string;
  /** Set when the route has `AWS_IAM` authorization and the request was signed. */
  readonly iam?: IamCaller | undefined;
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

/**
 * The default invoke URL's host. Clients reach an HTTP API over HTTPS on 443 at this name (or a custom
 * domain), and the integration sees exactly that, not the emulator's loopback address: a live capture
 * (shared/fixtures/aws/apigw-http/no-auth.json) has `host` = `domainName` = `<apiId>.execute-api.<region>.amazonaws.com`,
 * `x-forwarded-port: 443`, `x-forwarded-proto: https`.
 */
export const invokeDomain = (apiId: string, region: string): string => `${apiId}.execute-api.${region}.amazonaws.com`;

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

/**
 * API Gateway decodes the path before it splits off the query, so a `%3F` ends the path there: `/a%3Fb`
 * reaches the integration as `/a` (the issue this emulator was checked against, #14; not in AWS's docs).
 */
export function cutAtDecodedQuery(path: string): string {
  const at = path.indexOf('?');
  return at === -1 ? path : path.slice(0, at);
}

/**
 * `requestContext.authorizer.iam` for a signed caller, the fields AWS documents for payload 2.0
 * (docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html). The
 * emulator knows only the access key, so the user is a made-up one of the emulator's account.
 */
function iamAuthorizer(caller: IamCaller): Record<string, unknown> {
  return {
    accessKey: caller.accessKey,
    accountId: caller.accountId,
    callerId: 'AIDAFAASPORTLOCALUSER',
    cognitoIdentity: null,
    principalOrgId: null,
    userArn: `arn:aws:iam::${caller.accountId}:user/faasport-local`,
    userId: 'AIDAFAASPORTLOCALUSER',
  };
}

export function toHttpApiEvent(req: ReceivedRequest, route: RouteSelection, gw: GatewayInfo): APIGatewayProxyEventV2 {
  const target = req.target.split('#', 1)[0]!;
  const q = target.indexOf('?');
  // HTTP APIs hand the integration the path percent-DECODED, in rawPath and http.path alike (seen in live
  // captures; REST APIs, Function URLs and ALB keep it encoded). Malformed escapes stay as sent. The
  // decoded path is cut again at a `?` that came from `%3F`: what follows is lost (cutAtDecodedQuery).
  const rawPath = cutAtDecodedQuery(decodePath(q === -1 ? target : target.slice(0, q)));
  const rawQueryString = q === -1 ? '' : target.slice(q + 1);
  const { headers, cookies } = collectHeaders(req.rawHeaders);

  // Headers API Gateway adds on its way to the integration.
  headers['x-amzn-trace-id'] = gw.traceId;
  headers['x-forwarded-for'] = headers['x-forwarded-for'] ? `${headers['x-forwarded-for']}, ${req.sourceIp}` : req.sourceIp;
  const domainName = invokeDomain(gw.apiId, gw.region);
  headers.host = domainName;
  headers['x-forwarded-port'] = '443';
  headers['x-forwarded-proto'] = 'https';

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
      ...(gw.iam ? { authorizer: { iam: iamAuthorizer(gw.iam) } } : {}),
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
