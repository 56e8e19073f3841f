/** Pieces every AWS HTTP payload shape shares: the converter contract and byte/path/query helpers. */
import { base64ToBytes, bytesToBase64, isBase64, isTextContentType, utf8Decode, utf8Encode } from '../../../core/body.js';
import { BadEventError } from '../../../core/errors.js';
import type { ResponseParts } from '../../../core/http.js';
import type { HttpEventShape } from '../types.js';

/** What routing needs, read cheaply from the event before anything else is built. */
export interface RequestHead {
  /** Upper-case. */
  readonly method: string;
  /** Percent-encoded, as on the wire, without query. */
  readonly path: string;
}

/** Reports a lossy conversion the operator must fix (e.g. an ALB target group without multi-value headers). */
export type Warn = (message: string, fields?: Record<string, unknown>) => void;

/**
 * One native payload shape: pure converters from the event to the neutral request and from the neutral
 * response parts to the native result. `parse` throws BadEventError when the event is malformed.
 */
export interface HttpShape<E, R> {
  readonly id: HttpEventShape;
  /** Human name used in error messages. */
  readonly label: string;
  parse(event: E): RequestHead;
  /** Builds the Fetch Request; only called once routing matched. */
  request(event: E, head: RequestHead): Request;
  result(parts: ResponseParts, warn: Warn): R;
}

export type HeaderRecord = Record<string, string | undefined>;
export type MultiValueRecord = Record<string, string[] | undefined>;

export function malformed(label: string, problem: string, expected: string): BadEventError {
  return new BadEventError(`faasport/aws: malformed ${label} event: ${problem}; expected ${expected}`);
}

export function readMethod(value: unknown, label: string, field: string): string {
  if (typeof value !== 'string' || value === '') {
    throw malformed(label, `${field} is ${describe(value)}`, `an HTTP method such as "GET"`);
  }
  return value.toUpperCase();
}

export function readPath(value: unknown, label: string, field: string): string {
  if (typeof value !== 'string' || value.charCodeAt(0) !== 47 /* / */) {
    throw malformed(label, `${field} is ${describe(value)}`, `a path starting with "/" such as "/items/42"`);
  }
  return toWirePath(value);
}

/** Rejects a body that claims base64 but is not, before routing, so the caller gets a 400 instead of a 500. */
export function checkBody(body: unknown, isBase64Encoded: unknown, label: string): void {
  if (body === undefined || body === null) return;
  if (typeof body !== 'string') {
    throw malformed(label, `body is ${describe(body)}`, 'a string (base64 when isBase64Encoded is true) or null');
  }
  if (isBase64Encoded === true && !isBase64(body)) {
    throw malformed(label, 'isBase64Encoded is true but body is not valid base64', 'standard padded base64 (A-Z a-z 0-9 + / =)');
  }
}

/** Exact request bytes: base64 is decoded straight to bytes, never through a UTF-8 string (the `atob` trap). */
export function requestBody(method: string, body: string | null | undefined, isBase64Encoded: boolean | undefined): Uint8Array | undefined {
  if (method === 'GET' || method === 'HEAD' || body === undefined || body === null) return undefined;
  // Bytes rather than a string: a string body would make Request invent `content-type: text/plain`.
  return isBase64Encoded === true ? base64ToBytes(body) : utf8Encode(body);
}

export function newRequest(
  method: string,
  host: string,
  path: string,
  query: string,
  headers: HeadersInit,
  body: Uint8Array | undefined,
): Request {
  const url = query === '' ? `https://${host}${path}` : `https://${host}${path}?${query}`;
  return new Request(url, body === undefined ? { method, headers } : { method, headers, body: body as Uint8Array<ArrayBuffer> });
}

/** The first usable host of header, gateway domain name, then 'localhost' (a bad Host must not break the URL). */
export function pickHost(header: string | undefined, domainName: unknown): string {
  if (header !== undefined && isHostName(header)) return header;
  if (typeof domainName === 'string' && isHostName(domainName)) return domainName;
  return 'localhost';
}

/** Case-insensitive lookup for the rare event whose header names are not lower-case (REST APIs keep the client's case). */
export function findHeader(headers: HeaderRecord | null | undefined, lowerName: string): string | undefined {
  if (!headers) return undefined;
  const direct = headers[lowerName];
  if (direct !== undefined) return direct;
  for (const name in headers) {
    if (name.length === lowerName.length && name.toLowerCase() === lowerName) return headers[name];
  }
  return undefined;
}

/** `k=v&k=v2` from decoded parameters (API Gateway REST decodes them), percent-encoding each part again. */
export function encodeQuery(multi: MultiValueRecord | null | undefined, single: HeaderRecord | null | undefined): string {
  let query = '';
  if (multi) {
    for (const key in multi) {
      const values = multi[key];
      if (!values) continue;
      const k = encodeURIComponent(key);
      for (let i = 0; i < values.length; i++) query += `${query === '' ? '' : '&'}${k}=${encodeURIComponent(values[i]!)}`;
    }
  } else if (single) {
    for (const key in single) {
      const value = single[key];
      if (value !== undefined) query += `${query === '' ? '' : '&'}${encodeURIComponent(key)}=${encodeURIComponent(value)}`;
    }
  }
  return query;
}

/** `k=v&k=v2` from parameters that are still percent-encoded as sent (ALB does not decode them). */
export function joinRawQuery(multi: MultiValueRecord | null | undefined, single: HeaderRecord | null | undefined): string {
  let query = '';
  if (multi) {
    for (const key in multi) {
      const values = multi[key];
      if (!values) continue;
      for (let i = 0; i < values.length; i++) query += `${query === '' ? '' : '&'}${key}=${values[i]}`;
    }
  } else if (single) {
    for (const key in single) {
      const value = single[key];
      if (value !== undefined) query += `${query === '' ? '' : '&'}${key}=${value}`;
    }
  }
  return query;
}

/** Native response body: UTF-8 text for text types, base64 for everything else so bytes survive. */
export function responseBody(parts: ResponseParts): { body: string; isBase64Encoded: boolean } {
  const bytes = parts.body;
  if (bytes === undefined || bytes.byteLength === 0) return { body: '', isBase64Encoded: false };
  if (isTextContentType(parts.headers['content-type'])) return { body: utf8Decode(bytes), isBase64Encoded: false };
  return { body: bytesToBase64(bytes), isBase64Encoded: true };
}

export function describe(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (typeof value === 'string') return value === '' ? 'an empty string' : `the string ${JSON.stringify(value.slice(0, 60))}`;
  return `a ${Array.isArray(value) ? 'array' : typeof value}`;
}

// ---- paths ---------------------------------------------------------------------------------------------

/**
 * Characters that may stand literally in an encoded path (RFC 3986 pchar and "/"). Anything else is escaped
 * by toWirePath. 1 = allowed.
 */
const PATH_CHAR = new Uint8Array(128);
for (const c of "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,;=:@/") PATH_CHAR[c.charCodeAt(0)] = 1;

const isHex = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);

/**
 * The path as it would appear on the wire. REST APIs, Function URLs and ALB pass the path still
 * percent-encoded, so it comes back unchanged (one scan, no allocation). HTTP APIs pass it decoded
 * (`/a b/café`), so characters that cannot stand in an encoded path (space, non-ASCII, `?`, `#`, a `%`
 * not starting an escape, ...) are escaped again; route params then decode to the original text.
 */
export function toWirePath(path: string): string {
  for (let i = 0; i < path.length; i++) {
    const c = path.charCodeAt(i);
    if (c < 128 && PATH_CHAR[c] === 1) continue;
    if (c === 37 && isHex(path.charCodeAt(i + 1)) && isHex(path.charCodeAt(i + 2))) {
      i += 2;
      continue;
    }
    return escapeFrom(path, i);
  }
  return path;
}

function escapeFrom(path: string, start: number): string {
  let out = path.slice(0, start);
  for (let i = start; i < path.length; i++) {
    const c = path.charCodeAt(i);
    if (c < 128 && PATH_CHAR[c] === 1) {
      out += path[i];
    } else if (c === 37 && isHex(path.charCodeAt(i + 1)) && isHex(path.charCodeAt(i + 2))) {
      out += path.slice(i, i + 3);
      i += 2;
    } else if (c >= 0xd800 && c <= 0xdbff && (path.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      out += encodeURIComponent(path.slice(i, i + 2)); // a surrogate pair: one code point
      i++;
    } else {
      out += safeEncode(path[i]!);
    }
  }
  return out;
}

function safeEncode(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    return '%EF%BF%BD'; // a lone surrogate: U+FFFD, as the WHATWG URL parser would
  }
}

/** Host names the URL parser accepts as they are: letters, digits, `.-_`, a port, an IPv6 literal. */
function isHostName(host: string): boolean {
  if (host === '') return false;
  for (let i = 0; i < host.length; i++) {
    const c = host.charCodeAt(i);
    const ok =
      (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 46 || c === 45 || c === 95 || c === 58 || c === 91 || c === 93;
    if (!ok) return false;
  }
  return true;
}
