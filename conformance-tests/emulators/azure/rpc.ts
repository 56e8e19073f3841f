/**
 * The host's side of the worker protocol for HTTP (pure), as the Functions host (v4) does it for the Node
 * worker, whose capabilities are RpcHttpBodyOnly, RawHttpBodyBytes, UseNullableValueDictionaryForHttp and
 * RpcHttpTriggerMetadataRemoved:
 * - request: `{ url, method, nullableHeaders, nullableQuery, nullableParams, body: { bytes } }`. The URL is
 *   `scheme://host/path?query`; header names lower-case, repeated values joined with ","; query values
 *   decoded and joined with "," (`a=1&a=2` -> "1,2"); route values decoded; body bytes only when non-empty.
 * - response (the `$return` binding of type http): `{ http: { statusCode, headers, cookies, body: { bytes } } }`;
 *   each cookie is written by ASP.NET Core (`Response.Cookies.Append(name, Uri.EscapeDataString(value), options)`).
 */
import type {
  RegisteredFunction,
  RpcHttpCookie,
  RpcHttpData,
  RpcInvocationRequest,
  RpcInvocationResponse,
  RpcNullableString,
  RpcTypedData,
} from './protocol.js';

export interface HostHttpRequest {
  readonly method: string;
  /** Absolute, as the host builds it: `http://host:port/path?query`. */
  readonly url: string;
  /** Lower-case names, every value as received. */
  readonly headers: Readonly<Record<string, readonly string[]>>;
  readonly body: Uint8Array;
}

export interface HostHttpResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** Each becomes its own Set-Cookie header. */
  readonly setCookies: readonly string[];
  readonly body: Uint8Array;
}

const nullable = (record: Record<string, string>): Record<string, RpcNullableString> =>
  Object.fromEntries(Object.entries(record).map(([k, v]) => [k, { value: v }]));

/** ASP.NET Core's Query collection: decoded keys and values, repeated keys joined with ",". */
export function queryValues(search: string): Record<string, string> {
  const out: Record<string, string[]> = {};
  for (const [key, value] of new URLSearchParams(search)) (out[key] ??= []).push(value);
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, v.join(',')]));
}

export function toRpcHttp(request: HostHttpRequest, params: Record<string, string>): RpcHttpData {
  const url = new URL(request.url);
  const headers: Record<string, string> = {};
  for (const [name, values] of Object.entries(request.headers)) headers[name.toLowerCase()] = values.join(',');
  const http: RpcHttpData = {
    method: request.method.toUpperCase(),
    url: request.url,
    nullableHeaders: nullable(headers),
    nullableQuery: nullable(queryValues(url.search)),
    nullableParams: nullable(params),
  };
  if (request.body.byteLength > 0) http.body = { bytes: request.body };
  return http;
}

export interface InvocationInit {
  readonly invocationId: string;
  readonly fn: RegisteredFunction;
  readonly http: RpcHttpData;
  /** W3C traceparent of the request, or one the host starts. */
  readonly traceParent: string;
  readonly traceState?: string | undefined;
}

/** The trigger binding's name as the app registered it (`httpTrigger1a2b3c`). */
export function triggerBindingName(fn: RegisteredFunction): string {
  for (const [name, binding] of Object.entries(fn.bindings)) {
    if (typeof binding.type === 'string' && /trigger$/i.test(binding.type)) return name;
  }
  throw new TypeError(`function "${fn.name}" has no trigger binding`);
}

export function toInvocationRequest(init: InvocationInit): RpcInvocationRequest {
  return {
    invocationId: init.invocationId,
    functionId: init.fn.functionId,
    inputData: [{ name: triggerBindingName(init.fn), data: { http: init.http } }],
    triggerMetadata: {},
    traceContext: { traceParent: init.traceParent, traceState: init.traceState ?? '', attributes: {} },
    retryContext: null,
  };
}

/** .NET's `Uri.EscapeDataString` (RFC 3986): everything but `A-Z a-z 0-9 - . _ ~`, upper-case hex. */
export function escapeDataString(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * One RpcHttpCookie as the host writes it: CookieOptions (Path defaults to "/") through ASP.NET Core's
 * SetCookieHeaderValue: `name=value; expires=R; max-age=N; domain=D; path=P; secure; samesite=S; httponly`.
 * SameSite "none" in the protocol means unspecified; "explicitNone" prints `samesite=none`.
 */
export function formatSetCookie(cookie: RpcHttpCookie): string {
  const name = cookie.name ?? '';
  if (name === '') throw new TypeError('a cookie without a name cannot be written (ASP.NET rejects it)');
  let text = `${name}=${escapeDataString(cookie.value ?? '')}`;
  const seconds = cookie.expires?.value?.seconds;
  if (seconds !== undefined && seconds !== null) text += `; expires=${new Date(Number(seconds) * 1000).toUTCString()}`;
  const maxAge = cookie.maxAge?.value;
  if (maxAge !== undefined && maxAge !== null) {
    const whole = Math.trunc(maxAge);
    // HeaderUtilities.FormatNonNegativeInt64 throws: the response fails.
    if (whole < 0) throw new RangeError(`cookie "${name}": max-age ${maxAge} is negative`);
    text += `; max-age=${whole}`;
  }
  const domain = cookie.domain?.value;
  if (domain !== undefined && domain !== null) text += `; domain=${domain}`;
  text += `; path=${cookie.path?.value ?? '/'}`;
  if (cookie.secure?.value) text += '; secure';
  const sameSite = cookie.sameSite === 'explicitNone' ? 'none' : cookie.sameSite === 'lax' || cookie.sameSite === 'strict' ? cookie.sameSite : undefined;
  if (sameSite) text += `; samesite=${sameSite}`;
  if (cookie.httpOnly?.value) text += '; httponly';
  return text;
}

/** Bytes of a typed-data body the way the host writes it. */
export function typedDataBytes(data: RpcTypedData | null | undefined): Uint8Array {
  if (!data) return new Uint8Array(0);
  if (data.bytes) return data.bytes;
  if (data.stream) return data.stream;
  const text = data.string ?? data.json ?? (data.int ?? data.double)?.toString();
  return text === undefined || text === null ? new Uint8Array(0) : new TextEncoder().encode(text);
}

/** The HTTP output binding's name: `$return` for `app.http`, or a named extra output. */
export function httpOutputName(fn: RegisteredFunction): string | undefined {
  for (const [name, binding] of Object.entries(fn.bindings)) {
    if (binding.direction === 'out' && typeof binding.type === 'string' && binding.type.toLowerCase() === 'http') return name;
  }
  return undefined;
}

export class FunctionFailedError extends Error {
  override name = 'FunctionFailedError';
}

/** Hop-by-hop and framing headers the host computes itself. */
const HOST_OWNED = new Set(['content-length', 'transfer-encoding', 'connection', 'keep-alive']);

/**
 * The HTTP answer to an invocation response. A failed invocation throws FunctionFailedError (the host
 * answers 500 with an empty body). No HTTP output at all gives 204 (unverified against the real host).
 */
export function fromInvocationResponse(fn: RegisteredFunction, response: RpcInvocationResponse): HostHttpResponse {
  if (response.result?.status === 'failure') {
    const exception = response.result.exception;
    throw new FunctionFailedError(exception?.message ?? 'the function failed', {
      cause: exception?.stackTrace ? Object.assign(new Error(exception.message ?? ''), { stack: exception.stackTrace }) : undefined,
    });
  }
  const outputName = httpOutputName(fn);
  const data =
    outputName === '$return' ? response.returnValue : response.outputData?.find((binding) => binding.name === outputName)?.data;
  const http = data?.http;
  if (!http) return { status: 204, headers: {}, setCookies: [], body: new Uint8Array(0) };
  const status = http.statusCode ? Number.parseInt(http.statusCode, 10) : 200;
  if (!Number.isInteger(status) || status < 100 || status > 999) {
    throw new FunctionFailedError(`the function answered an invalid status code ${JSON.stringify(http.statusCode)}`);
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(http.headers ?? {})) {
    if (!HOST_OWNED.has(name.toLowerCase())) headers[name] = value;
  }
  return {
    status,
    headers,
    setCookies: (http.cookies ?? []).map(formatSetCookie),
    body: typedDataBytes(http.body),
  };
}
