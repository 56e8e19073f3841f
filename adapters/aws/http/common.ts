/** Pieces every AWS HTTP payload shape shares: the converter contract and byte/path/query helpers. */
import { base64ToBytes, bytesToBase64, isTextContentType, utf8Decode, utf8Encode } from '../../../core/body.js';
import { BadEventError, describeValue } from '../../../core/errors.js';
import { fastFetchEnabled } from '../../../core/fetch/install.js';
import { headersFromRecord, LightHeaders } from '../../../core/fetch/headers.js';
import { LightRequest } from '../../../core/fetch/request.js';
import type { ResponseParts } from '../../../core/http.js';
import type { AwsHttpResult, HttpEventReader, HttpEventShape } from '../types.js';

/** What routing needs, read cheaply from the event before anything else is built. */
export interface RequestHead {
  /** Upper-case. */
  readonly method: string;
  /** Percent-encoded, as on the wire, without query. */
  readonly path: string;
  /** A base64 body, already decoded by checkBody (decoding is how it is checked). */
  readonly decoded?: Uint8Array | undefined;
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

/** A shape with its event and result types erased, as the handler holds it. */
export type AnyHttpShape = HttpShape<never, AwsHttpResult>;

/**
 * An HttpEventReader as faasport makes it (one per shape module): it also picks the shape of its events.
 * Keep readers and shapes object literals of plain values (no template literals over imported names): esbuild
 * can then drop an unused one when it bundles faasport's dist/aws.js, which is what keeps the shape out.
 */
export interface ShapeReader extends HttpEventReader {
  /** The shape of an event that httpEventSource() (source.ts) found to be of this reader's kind. */
  shapeOf(event: Record<string, unknown>): AnyHttpShape;
}

export const TEXT_PLAIN = 'text/plain; charset=utf-8';

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

/**
 * Rejects a body that claims base64 but is not, before routing, so the caller gets a 400 instead of a 500.
 * A base64 body is checked by decoding it (Node skips characters outside the alphabet, so a wrong decoded
 * length gives it away): one native pass instead of a regular expression over the whole text (slow on
 * large bodies), and the bytes are then reused by requestBody.
 */
export function checkBody(body: unknown, isBase64Encoded: unknown, label: string): Uint8Array | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body !== 'string') {
    throw malformed(label, `body is ${describe(body)}`, 'a string (base64 when isBase64Encoded is true) or null');
  }
  if (isBase64Encoded !== true) return undefined;
  const bytes = strictBase64(body);
  if (bytes === undefined) {
    throw malformed(label, 'isBase64Encoded is true but body is not valid base64', 'standard padded base64 (A-Z a-z 0-9 + / =)');
  }
  return bytes;
}

/**
 * Padded base64 decoded, or undefined when the text is anything else. Node's decoder also takes the
 * url-safe "-" and "_" (the gateways never send them); such a body decodes to the bytes its sender meant,
 * so it is accepted rather than paying two more scans of every body to refuse it.
 */
export function strictBase64(text: string): Uint8Array | undefined {
  const length = text.length;
  // Stryker disable next-line ConditionalExpression: a length not a multiple of 4 never decodes to (length / 4) * 3 - padding bytes, so the final check refuses it anyway
  if (length % 4 !== 0) return undefined;
  // Stryker disable next-line ConditionalExpression: the empty string reads charCodeAt(-1) (NaN), which gives padding 0 just the same
  const padding = length === 0 ? 0 : text.charCodeAt(length - 1) !== 61 ? 0 : text.charCodeAt(length - 2) === 61 ? 2 : 1;
  const bytes = base64ToBytes(text);
  return bytes.byteLength === (length / 4) * 3 - padding ? bytes : undefined;
}

/**
 * Exact request body: base64 is decoded straight to bytes, never through a UTF-8 string (the `atob` trap);
 * a text body stays the event's string (its UTF-8 bytes are what the client sent), encoded only if needed.
 */
export function requestBody(
  method: string,
  body: string | null | undefined,
  isBase64Encoded: boolean | undefined,
  decoded?: Uint8Array,
): Uint8Array | string | undefined {
  if (method === 'GET' || method === 'HEAD' || body === undefined || body === null) return undefined;
  if (isBase64Encoded === true) return decoded ?? base64ToBytes(body);
  return body;
}

/**
 * The handler's Request: a LightRequest (core/fetch) that answers method, url, headers and body reads
 * from the event's own data, or Node's Request when FAASPORT_NATIVE_FETCH=1. Both validate headers and
 * method alike, so a bad event is refused the same way. `cookie`, when given, replaces the cookie header
 * (a list is the pairs of payload 2.0 `cookies[]`, joined with "; ").
 */
export function newRequest(
  method: string,
  host: string,
  path: string,
  query: string,
  headers: HeadersInit,
  body: Uint8Array | string | undefined,
  cookieOrList?: string | readonly string[],
): Request {
  const url = query === '' ? `https://${host}${path}` : `https://${host}${path}?${query}`;
  // Stryker disable next-line ConditionalExpression,BlockStatement: the Node Request built below answers method, url, headers and body the same
  if (fastFetchEnabled()) {
    let light: LightHeaders;
    // Stryker disable next-line ConditionalExpression: LightHeaders also takes a record, and a replaced cookie comes out the same either way
    if (Array.isArray(headers)) {
      light = new LightHeaders(headers as [string, string][]);
      if (cookieOrList !== undefined) light.set('cookie', typeof cookieOrList === 'string' ? cookieOrList : cookieOrList.join('; '));
    } else {
      light = headersFromRecord(headers as Record<string, string>, cookieOrList);
    }
    return new LightRequest(method, url, light, body, AS_SENT) as unknown as Request;
  }
  const cookie = cookieOrList === undefined || typeof cookieOrList === 'string' ? cookieOrList : cookieOrList.join('; ');
  const init = cookie === undefined ? headers : { ...(headers as Record<string, string>), cookie };
  // Stryker disable next-line ConditionalExpression: the general path passes the same undefined body
  if (body === undefined) return new Request(url, { method, headers: init });
  // Bytes rather than a string: a string body would make Request invent `content-type: text/plain`.
  const bytes = typeof body === 'string' ? utf8Encode(body) : body;
  return new Request(url, { method, headers: init, body: bytes as Uint8Array<ArrayBuffer> });
}

/** A text body is the event's own string: kept as such, without the text/plain a string body implies. One object for every call. */
const AS_SENT = Object.freeze({ text: 'as-sent' as const });

/**
 * The first usable host of header, gateway domain name, then 'localhost'. A Host made of characters no host
 * name has (AWS's sample events carry `<url-id>` placeholders) is passed over; one that looks like a host
 * but that the URL parser refuses (`x:99999`, `[`) is a malformed event (400), not a 500 at `req.url`.
 */
export function pickHost(header: string | undefined, domainName: unknown): string {
  // A warm function sees the same host on every call: compare before scanning.
  // Stryker disable next-line ConditionalExpression: only the false variant survives (a cache: checking again gives the same host); true is killed by the fresh-module test
  if (header !== undefined && header === lastHost) return header;
  if (typeof header === 'string' && isHostName(header)) {
    if (!URL.canParse(`https://${header}/`)) {
      throw new BadEventError(
        `faasport/aws: malformed event: the Host header ${JSON.stringify(header.slice(0, 100))} is not a host name with an optional port (1-65535); expected a Host such as "api.example.com" or "[::1]:8443"`,
      );
    }
    return (lastHost = header);
  }
  if (typeof domainName === 'string' && isHostName(domainName) && URL.canParse(`https://${domainName}/`)) return domainName;
  return 'localhost';
}

let lastHost: string | undefined;

/** Case-insensitive lookup for the rare event whose header names are not lower-case (REST APIs keep the client's case). */
export function findHeader(headers: HeaderRecord | null | undefined, lowerName: string): string | undefined {
  if (!headers) return undefined;
  const direct = Object.hasOwn(headers, lowerName) ? headers[lowerName] : undefined;
  if (direct !== undefined) return direct;
  for (const name in headers) {
    // Stryker disable next-line ConditionalExpression: the length test only skips a toLowerCase; the name comparison decides
    if (name.length === lowerName.length && name.toLowerCase() === lowerName) return headers[name];
  }
  return undefined;
}

/** findHeader over a multi-value map: the first value. */
export function findMultiHeader(headers: MultiValueRecord | undefined, lowerName: string): string | undefined {
  // Stryker disable next-line ConditionalExpression: for-in over undefined runs no iteration, so the loop answers undefined too
  if (!headers) return undefined;
  for (const name in headers) {
    // (readMultiMap lets an undefined entry through, as an absent key: skip it here too.)
    const values = headers[name];
    // Stryker disable next-line ConditionalExpression: only the length-test variant survives; the name comparison decides
    if (values !== undefined && values.length > 0 && name.length === lowerName.length && name.toLowerCase() === lowerName) return values[0];
  }
  return undefined;
}

// ---- shapes of the maps an event carries -----------------------------------------------------------------
// Checked before use: a string is not split into characters, an object with `length: 3e6` is not walked.

/** A single-value map (`headers`, `queryStringParameters`): an object of strings, or absent. */
export function readStringMap(value: unknown, label: string, field: string): HeaderRecord | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw malformed(label, `${field} is ${describe(value)}`, 'an object of string values');
  for (const key in value) {
    const item = (value as HeaderRecord)[key];
    if (typeof item !== 'string' && item !== undefined) {
      throw malformed(label, `${field}[${JSON.stringify(key)}] is ${describe(item)}`, 'a string');
    }
  }
  return value as HeaderRecord;
}

/** A multi-value map (`multiValueHeaders`, `multiValueQueryStringParameters`): an object of string arrays, or absent. */
export function readMultiMap(value: unknown, label: string, field: string): MultiValueRecord | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw malformed(label, `${field} is ${describe(value)}`, 'an object of string arrays');
  for (const key in value) {
    const items = (value as MultiValueRecord)[key];
    if (items === undefined) continue;
    if (!Array.isArray(items)) throw malformed(label, `${field}[${JSON.stringify(key)}] is ${describe(items)}`, 'an array of strings');
    for (let i = 0; i < items.length; i++) {
      if (typeof items[i] !== 'string') throw malformed(label, `${field}[${JSON.stringify(key)}][${i}] is ${describe(items[i])}`, 'a string');
    }
  }
  return value as MultiValueRecord;
}

/** Payload 2.0 `cookies`: an array of strings, joined with "; " (RFC 6265), never ", " as other repeated headers. */
export function readCookies(value: unknown, label: string): string | undefined {
  const list = checkCookies(value, label);
  return list === undefined ? undefined : list.join('; ');
}

/**
 * Payload 2.0 `cookies`, checked (an array of strings) but not joined: the light headers join them only when
 * the handler reads the cookie header (most never do). undefined when absent or empty.
 */
export function checkCookies(value: unknown, label: string): readonly string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw malformed(label, `cookies is ${describe(value)}`, 'an array of strings');
  for (let i = 0; i < value.length; i++) {
    if (typeof value[i] !== 'string') throw malformed(label, `cookies[${i}] is ${describe(value[i])}`, 'a string');
  }
  return value.length > 0 ? (value as string[]) : undefined;
}

/**
 * Header pairs of a multi-value map, plus every key found only in the single-value map: REST and ALB events
 * carry both, and hand-made ones (console tests, unit tests) often fill only `headers` next to an empty
 * `multiValueHeaders`.
 */
export function headerPairs(multi: MultiValueRecord, single: HeaderRecord | undefined): [string, string][] {
  const pairs: [string, string][] = [];
  for (const name in multi) {
    const values = multi[name];
    if (!values) continue;
    for (let i = 0; i < values.length; i++) pairs.push([name, values[i]!]);
  }
  for (const name in single) {
    const value = single[name];
    if (value !== undefined && !Object.hasOwn(multi, name)) pairs.push([name, value]);
  }
  return pairs;
}

/** encodeURIComponent, with a lone surrogate read as U+FFFD (as the URL parser does) instead of throwing. */
const encodePart = (text: string): string => {
  try {
    return encodeURIComponent(text);
  } catch {
    return encodeURIComponent((text as string & { toWellFormed(): string }).toWellFormed());
  }
};

/**
 * `k=v&k=v2` from decoded parameters (API Gateway REST decodes them), percent-encoding each part again: every
 * value of the multi-value map, then the keys found only in the single-value map.
 */
export function encodeQuery(multi: MultiValueRecord | null | undefined, single: HeaderRecord | null | undefined): string {
  let query = '';
  // Stryker disable next-line ConditionalExpression: for-in over null or undefined runs no iteration
  if (multi) {
    for (const key in multi) {
      const values = multi[key];
      if (!values) continue;
      const k = encodePart(key);
      for (let i = 0; i < values.length; i++) query += `${query === '' ? '' : '&'}${k}=${encodePart(values[i]!)}`;
    }
  }
  // Stryker disable next-line ConditionalExpression: for-in over null or undefined runs no iteration
  if (single) {
    for (const key in single) {
      const value = single[key];
      if (value !== undefined && !(multi && Object.hasOwn(multi, key))) query += `${query === '' ? '' : '&'}${encodePart(key)}=${encodePart(value)}`;
    }
  }
  return query;
}

/** `k=v&k=v2` from parameters that are still percent-encoded as sent (ALB does not decode them); the same union. */
export function joinRawQuery(multi: MultiValueRecord | null | undefined, single: HeaderRecord | null | undefined): string {
  let query = '';
  // Stryker disable next-line ConditionalExpression: for-in over null or undefined runs no iteration
  if (multi) {
    for (const key in multi) {
      const values = multi[key];
      if (!values) continue;
      for (let i = 0; i < values.length; i++) query += `${query === '' ? '' : '&'}${key}=${values[i]}`;
    }
  }
  // Stryker disable next-line ConditionalExpression: for-in over null or undefined runs no iteration
  if (single) {
    for (const key in single) {
      const value = single[key];
      if (value !== undefined && !(multi && Object.hasOwn(multi, key))) query += `${query === '' ? '' : '&'}${key}=${value}`;
    }
  }
  return query;
}

/** Native response body: UTF-8 text for text types, base64 for everything else so bytes survive. */
export function responseBody(parts: ResponseParts): { body: string; isBase64Encoded: boolean } {
  const text = parts.text;
  if (text !== undefined) {
    // The handler gave a string (light Response): no UTF-8 round trip for text types.
    // Stryker disable next-line ConditionalExpression,StringLiteral: an empty text comes with no body bytes, which the byte path also answers as ""
    if (text === '') return { body: '', isBase64Encoded: false };
    if (isText(parts.headers['content-type'])) return { body: text, isBase64Encoded: false };
  }
  const bytes = parts.body;
  if (bytes === undefined || bytes.byteLength === 0) return { body: '', isBase64Encoded: false };
  if (isText(parts.headers['content-type'])) return { body: utf8Decode(bytes), isBase64Encoded: false };
  return { body: bytesToBase64(bytes), isBase64Encoded: true };
}

/** isTextContentType, with the two types light responses set by default answered without parsing. */
const isText = (type: string | undefined): boolean =>
  // Stryker disable next-line ConditionalExpression,LogicalOperator,StringLiteral: a fast path only, isTextContentType answers true for both types
  type === 'application/json' || type === 'text/plain;charset=UTF-8' || isTextContentType(type);

/** How error messages name a value (core's describeValue). */
export const describe = describeValue;

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
  // Stryker disable next-line EqualityOperator: i === length reads NaN and hands escapeFrom an empty tail, which returns the same string
  for (let i = 0; i < path.length; i++) {
    const c = path.charCodeAt(i);
    // Stryker disable next-line ConditionalExpression,EqualityOperator: the scan only decides where escapeFrom starts, and escapeFrom from any earlier index gives the same string
    if (c < 128 && PATH_CHAR[c] === 1) continue;
    // Stryker disable next-line ConditionalExpression,BlockStatement: c === 37 false sends the escape to escapeFrom, which keeps it; without the skip the two hex digits are scanned as allowed characters, same result
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
    // Stryker disable next-line ConditionalExpression,EqualityOperator: PATH_CHAR has no entry at or above 128, so the c < 128 guard never changes the answer
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
