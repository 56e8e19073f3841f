/**
 * functions-framework HTTP request (Express over node:http) -> Fetch Request.
 *
 * What the framework (5.0.5, build/src/server.js) does before our handler runs:
 * - body-parser json (application/json and application/cloudevents+json), text, urlencoded, then raw
 *   for any other Content-Type, each with `limit: '1024mb'` (Cloud Run itself caps HTTP/1 requests at
 *   32 MiB) and a `verify` hook that keeps the bytes read in `req.rawBody`. The stream is then consumed.
 * - A JSON body that does not parse, or is a bare primitive (strict mode), is answered 400 by Express
 *   before the handler runs; so are an unknown charset (415) and Content-Encoding (415).
 * - gzip/deflate/br bodies are inflated; rawBody holds the inflated bytes.
 * - /favicon.ico and /robots.txt answer 404 unless IGNORED_ROUTES is set (empty string: no filter).
 * - ETag generation and X-Powered-By are off; `Function-Execution-Id` (or a generated id) becomes
 *   `req.executionId`; a thrown/rejected handler gets 500 + `X-Google-Status: crash` with the error
 *   message as body unless NODE_ENV=production (faasport never lets it get that far).
 */
import type { IncomingHttpHeaders } from 'node:http';
import { Readable } from 'node:stream';
import { BadEventError } from '../../core/errors.js';
import { headersFromStoredRecord, LightHeaders } from '../../core/fetch/headers.js';
import { fastFetchEnabled } from '../../core/fetch/install.js';
import { LightRequest } from '../../core/fetch/request.js';
import type { GcpRequest } from './types.js';

/** The parts of a request that routing needs, read without building a Request. */
export interface RequestTarget {
  /** Upper-case method as sent. */
  readonly method: string;
  /** Path as on the wire (percent-encoded), without query. */
  readonly path: string;
  /** Absolute URL: scheme from X-Forwarded-Proto, authority from Host; not necessarily in serialised form. */
  readonly url: string;
}

// A Host header is a host name, IPv4 or bracketed IPv6 address, with an optional port; anything else
// (a "/", "@", "?" or space) would let new URL() read a different authority or path than the one sent.
const HOST = /^(?:[A-Za-z0-9\-._~!$&'()*+,;=%]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

// The last Host and scheme that were checked: a warm function sees the same ones on every call.
let lastHost: string | undefined;
let lastScheme: string | undefined;

export type TargetSource = Pick<GcpRequest, 'method' | 'headers'> & { originalUrl?: string; url?: string };

/** Reads method, wire path and URL. Throws BadEventError when they cannot form a URL. */
export function requestTarget(req: TargetSource): RequestTarget {
  const method = (req.method ?? 'GET').toUpperCase();
  const raw = req.originalUrl || req.url || '/';
  if (raw.startsWith('/')) {
    const host = firstHeader(req.headers.host) ?? 'localhost'; // HTTP/1.0 may omit Host
    const proto = scheme(req.headers);
    // Stryker disable next-line ConditionalExpression,EqualityOperator: the check below gives the same answer for http and https (both special schemes parse hosts alike), so re-checking on a scheme change is only a cache key
    if (host !== lastHost || proto !== lastScheme) {
      if (!HOST.test(host) || !URL.canParse(`${proto}://${host}`)) {
        throw new BadEventError(`faasport: the Host header "${host}" is not a valid host[:port]`);
      }
      lastHost = host;
      lastScheme = proto;
    }
    // A valid origin followed by a path always parses (past the authority the URL parser escapes, it never
    // fails): the text is the URL, serialised only when the handler reads request.url.
    return { method, path: pathOf(raw), url: `${proto}://${host}${raw}` };
  }
  // Absolute form ("GET http://host/path HTTP/1.1"), which proxies send and servers must accept.
  if (/^https?:\/\//i.test(raw)) {
    const url = parseUrl(raw, raw);
    const afterAuthority = raw.slice(raw.indexOf('//') + 2);
    const slash = afterAuthority.search(/[/?]/);
    // Stryker disable next-line ConditionalExpression,UnaryOperator,StringLiteral: with no "/" or "?" after the authority any rest fails startsWith('/') below, so the path is "/" either way
    const rest = slash === -1 ? '/' : afterAuthority.slice(slash);
    return { method, path: rest.startsWith('/') ? pathOf(rest) : '/', url };
  }
  throw new BadEventError(`faasport: the request target "${raw}" is not a path (expected "/..." or "http://host/...")`);
}

function parseUrl(text: string, raw: string): string {
  try {
    return new URL(text).href;
  } catch {
    throw new BadEventError(`faasport: the request target "${raw}" does not form a valid URL`);
  }
}

function pathOf(raw: string): string {
  // Stryker disable next-line EqualityOperator: charCodeAt(raw.length) is NaN, which matches neither character
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c === 63 /* ? */ || c === 35 /* # */) return raw.slice(0, i);
  }
  return raw;
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** https only when the front end says so (Cloud Run's front end sets X-Forwarded-Proto: https). */
function scheme(headers: IncomingHttpHeaders): 'http' | 'https' {
  const proto = firstHeader(headers['x-forwarded-proto']);
  // Stryker disable next-line ConditionalExpression,StringLiteral: fast path; the general case below also answers http for "http"
  if (proto === undefined || proto === 'http') return 'http';
  // Stryker disable next-line ConditionalExpression,StringLiteral: fast path; the general case below also answers https for "https"
  if (proto === 'https') return 'https';
  return proto.split(',', 1)[0]!.trim().toLowerCase() === 'https' ? 'https' : 'http';
}

/** Whether node:http saw a body on the wire (same test as type-is' hasBody, which body-parser uses). */
function hasBody(headers: IncomingHttpHeaders): boolean {
  if (headers['transfer-encoding'] !== undefined) return true;
  const length = headers['content-length'];
  // Stryker disable next-line ConditionalExpression: without Content-Length, Number(undefined) is NaN, so the last test answers false anyway
  return length !== undefined && length !== '0' && !Number.isNaN(Number(length));
}

/** True when body-parser inflated a gzip/deflate/br/zstd body before handing it over in rawBody. */
function wasInflated(req: GcpRequest): boolean {
  const encoding = req.headers['content-encoding'];
  return req.rawBody !== undefined && encoding !== undefined && encoding.trim().toLowerCase() !== 'identity';
}

/**
 * The request body:
 * - `req.rawBody` (a Buffer) whenever one of the framework's parsers matched the Content-Type: the
 *   exact bytes (after Content-Encoding was undone, see `toFetchRequest`);
 * - no rawBody and no body on the wire: null;
 * - no rawBody but a body on the wire: the parsers only run when there is a Content-Type header they
 *   can read (type-is answers false without one, and for a malformed one), so the stream is still
 *   unread and is passed through as it arrives.
 */
export function requestBody(req: GcpRequest): Uint8Array | ReadableStream<Uint8Array> | null {
  if (req.method === 'GET' || req.method === 'HEAD') return null;
  if (req.rawBody instanceof Uint8Array) return req.rawBody;
  if (!hasBody(req.headers) || req.readableEnded) return null;
  return Readable.toWeb(req) as unknown as ReadableStream<Uint8Array>;
}

/**
 * Headers as sent, repeated ones kept in order; several Cookie lines are joined with "; " (RFC 6265).
 * With the light classes (core/fetch), node's `req.headers` backs the headers as it is when it holds exactly
 * what Fetch would make of the raw list (see storedForm).
 */
export function requestHeaders(rawHeaders: readonly string[], parsed?: IncomingHttpHeaders): Headers {
  if (fastFetchEnabled()) {
    // Stryker disable next-line ConditionalExpression: storedForm(undefined, n) only holds for n = 0, and an empty record gives the same empty headers
    if (parsed !== undefined && storedForm(parsed, rawHeaders.length)) {
      return headersFromStoredRecord(parsed as Record<string, string | undefined>) as unknown as Headers;
    }
    // LightHeaders.append joins Cookie lines with "; " itself.
    const light = new LightHeaders();
    for (let i = 0; i + 1 < rawHeaders.length; i += 2) light.append(rawHeaders[i]!, rawHeaders[i + 1]!);
    return light as unknown as Headers;
  }
  const headers = new Headers();
  let cookie: string | undefined;
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!;
    const value = rawHeaders[i + 1]!;
    // Stryker disable next-line ConditionalExpression,EqualityOperator,MethodExpression,StringLiteral: Node 20's own Headers.append joins Cookie lines with "; " too, so a Cookie line that misses this branch ends the same
    if (name.length === 6 && name.toLowerCase() === 'cookie') cookie = cookie === undefined ? value : `${cookie}; ${value}`;
    else headers.append(name, value);
  }
  if (cookie !== undefined) headers.set('cookie', cookie);
  return headers;
}

/** A JSON media type the framework's JSON parsers read, with no charset or UTF-8 (what Fetch's json() assumes). */
const JSON_UTF8 = /^\s*application\/(?:cloudevents\+)?json\s*(?:;\s*charset\s*=\s*"?utf-8"?\s*)?$/i;

/**
 * What the framework's JSON body parser made of rawBody, when `json()` on those bytes would give the same
 * value: a JSON media type in UTF-8 (the parser decoded it as such; it strips a BOM as Fetch does, and a
 * body it cannot parse is answered 400 before the handler runs). The handler's json() then returns this
 * very object (shared with ctx.native.req.body) instead of parsing the bytes a second time.
 */
function parsedJson(req: GcpRequest): unknown {
  const parsed: unknown = req.body;
  if (typeof parsed !== 'object' || parsed === null || parsed instanceof Uint8Array) return undefined;
  const type = req.headers['content-type'];
  // Stryker disable next-line ConditionalExpression: without a Content-Type, JSON_UTF8.test(undefined) tests "undefined", which is no JSON type
  return type !== undefined && JSON_UTF8.test(type) ? parsed : undefined;
}

/**
 * Whether node's header record is already what Fetch would store for the raw list: one entry per raw line
 * (node drops or joins repeats its own way, so the count must match) and every value a string (a request's
 * Set-Cookie lines come as an array) with no whitespace around it. node's parser has already lower-cased
 * the names and refused names that are not tokens and values holding NUL, CR or LF.
 */
function storedForm(record: IncomingHttpHeaders, rawLength: number): boolean {
  let n = 0;
  for (const name in record) {
    const value = record[name];
    if (typeof value !== 'string') return false;
    const last = value.length - 1;
    // Stryker disable next-line ConditionalExpression: for "" (last -1) both charCodeAt calls give NaN, so the guard only spares them
    if (last >= 0 && (value.charCodeAt(0) <= 32 || value.charCodeAt(last) <= 32)) return false;
    n += 2;
  }
  return n === rawLength;
}

/**
 * Builds the Fetch Request the handler sees. Called lazily, only once routing and the method check pass.
 * A LightRequest (core/fetch) over the framework's headers and rawBody, or Node's Request when
 * FAASPORT_NATIVE_FETCH=1 or the body is an unread stream.
 */
export function toFetchRequest(req: GcpRequest, target: RequestTarget): Request {
  const headers = requestHeaders(req.rawHeaders, req.headers);
  const body = requestBody(req);
  if (wasInflated(req)) {
    // The bytes are the decoded ones; a Content-Encoding or Content-Length kept from the wire would lie.
    headers.delete('content-encoding');
    if (headers.has('content-length')) headers.set('content-length', String(req.rawBody!.byteLength));
  }
  if (fastFetchEnabled() && (body === null || body instanceof Uint8Array)) {
    // rawBody is not copied: arrayBuffer() may hand out its memory, which only ctx.native.req.rawBody also sees.
    return new LightRequest(target.method, target.url, headers as unknown as LightHeaders, body, {
      signal: req.abortController?.signal,
      // (An empty body, or one holding only a BOM, parses to {} there but fails JSON.parse: not reused.)
      parsed: body === null || body.byteLength === 0 || body[0] === 0xef ? undefined : parsedJson(req),
    }) as unknown as Request;
  }
  // (Buffer-backed bytes are a valid BodyInit; TS 5.9's ArrayBufferLike typing needs the cast.)
  const init: RequestInit & { duplex: 'half' } = { method: target.method, headers, body: body as BodyInit | null, duplex: 'half' };
  // Fires when the framework's timeout (CLOUD_RUN_TIMEOUT_SECONDS) passes or the client goes away.
  if (req.abortController) init.signal = req.abortController.signal;
  return new Request(target.url, init);
}

/**
 * The invocation id: the platform's `Function-Execution-Id` (1st gen), else the trace and span of
 * `X-Cloud-Trace-Context` (every request through Google's front end has one), else the id the framework
 * gave the request (`req.executionId`, which its logs carry too), else a fresh UUID.
 */
export function invocationIdFrom(req: Pick<GcpRequest, 'headers' | 'executionId'>): string {
  const headers = req.headers;
  const executionId = firstHeader(headers['function-execution-id'])?.trim();
  if (executionId) return executionId;
  const trace = firstHeader(headers['x-cloud-trace-context']);
  const match = trace ? /^([0-9a-fA-F]+)\/(\d+)/.exec(trace.trim()) : null;
  if (match) return `${match[1]}/${match[2]}`;
  return req.executionId || crypto.randomUUID();
}
