/**
 * A Lambda invoke result -> the HTTP response API Gateway (HTTP API, payload format 2.0) sends (pure).
 * Rules from the payload 2.0 response format: a JSON object with `statusCode` is a structured response
 * (`headers`, `cookies`, `body`, `isBase64Encoded`; v1's `multiValueHeaders` is ignored); any other valid
 * JSON is the body of a 200 `application/json` response (a JSON string is the body text itself); a function
 * error or an unusable response is a 500 `{"message":"Internal Server Error"}`.
 */
import { base64ToBytes, utf8Decode, utf8Encode } from '../../../core/body.js';

export interface GatewayResponse {
  readonly status: number;
  /** Lower-case names; `set-cookie` may repeat. */
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly body: Uint8Array;
}

const JSON_TYPE = 'application/json';

export function gatewayError(status: number, message: string): GatewayResponse {
  return { status, headers: [['content-type', JSON_TYPE]], body: utf8Encode(JSON.stringify({ message })) };
}

export const internalServerError = (): GatewayResponse => gatewayError(500, 'Internal Server Error');
export const notFound = (): GatewayResponse => gatewayError(404, 'Not Found');
/**
 * An `AWS_IAM` route called without a usable signature: 403 `{"message":"Forbidden"}` before the integration
 * runs (repost.aws/knowledge-center/api-gateway-troubleshoot-403-forbidden lists API Gateway's 403 bodies;
 * the HTTP API answer to an unsigned request as pinned by KensioSoftware/yulin#303 and floci-io/floci#2810).
 */
export const forbidden = (): GatewayResponse => gatewayError(403, 'Forbidden');
/**
 * The integration did not answer within the HTTP API's 30 s integration timeout (AWS::ApiGatewayV2::Integration
 * TimeoutInMillis: 50-30000, default 30000): 503, while the Lambda invocation runs on (serverless/serverless#11222).
 */
export const serviceUnavailable = (): GatewayResponse => gatewayError(503, 'Service Unavailable');

// Hop-by-hop or framing headers are the gateway's own business, not the function's.
const DROPPED = new Set(['content-length', 'transfer-encoding', 'connection', 'keep-alive', 'upgrade']);
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const FIELD_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export function toGatewayResponse(payload: Uint8Array, functionError: string | undefined): GatewayResponse {
  if (functionError !== undefined) return internalServerError();
  let result: unknown;
  try {
    result = JSON.parse(utf8Decode(payload));
  } catch {
    return internalServerError();
  }
  if (!isRecord(result) || !('statusCode' in result)) {
    const body = typeof result === 'string' ? utf8Encode(result) : payload;
    return { status: 200, headers: [['content-type', JSON_TYPE]], body };
  }
  return structured(result) ?? internalServerError();
}

function structured(result: Record<string, unknown>): GatewayResponse | undefined {
  const status = Number(result.statusCode);
  if (!Number.isInteger(status) || status < 100 || status > 599) return undefined;

  const headers: Array<readonly [string, string]> = [];
  if (result.headers !== undefined && result.headers !== null) {
    if (!isRecord(result.headers)) return undefined;
    for (const [rawName, rawValue] of Object.entries(result.headers)) {
      if (typeof rawValue !== 'string' && typeof rawValue !== 'number' && typeof rawValue !== 'boolean') return undefined;
      const name = rawName.toLowerCase();
      const value = String(rawValue);
      if (!TOKEN.test(name) || !FIELD_VALUE.test(value)) return undefined;
      if (!DROPPED.has(name)) headers.push([name, value]);
    }
  }
  if (result.cookies !== undefined && result.cookies !== null) {
    if (!Array.isArray(result.cookies)) return undefined;
    for (const cookie of result.cookies) {
      if (typeof cookie !== 'string' || !FIELD_VALUE.test(cookie)) return undefined;
      headers.push(['set-cookie', cookie]);
    }
  }

  let body: Uint8Array = new Uint8Array(0);
  if (result.body !== undefined && result.body !== null) {
    if (typeof result.body !== 'string') return undefined;
    body = result.isBase64Encoded === true ? base64ToBytes(result.body) : utf8Encode(result.body);
  }
  return { status, headers, body };
}
