/**
 * LightRequest: the Fetch Request an adapter hands to a handler. It keeps what the native event gave
 * (method, URL text, headers, body bytes) and answers the common reads from them: `method`, `url`,
 * `headers`, `text()`, `json()`, `arrayBuffer()`, `bytes()`. Everything else (`signal`, `body` stream,
 * `formData()`, `blob()`, `cache`, ...) goes to a real undici Request built on first use; from then on that
 * real object carries the body, while method, URL and headers stay the light object's own.
 */
import { BODY_UNUSABLE, StoredBody, takeArrayBuffer, takeText } from './body.js';
import { headersFromRecord, isLightHeaders, isToken, LightHeaders, type HeadersSource } from './headers.js';
import { ensureHooks, linkLight, nativeFetch, REAL } from './natives.js';

/** Methods Fetch upper-cases; any other token is kept as sent. */
const NORMALIZED = new Set(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT']);
// Stryker disable next-line StringLiteral,ArrayDeclaration: a fast path's set: a method left out of it takes the checks below, which give the same answer
const COMMON = new Set(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT', 'PATCH']);
const FORBIDDEN = new Set(['CONNECT', 'TRACE', 'TRACK']);

/** The method as `new Request` would store it, or TypeError with undici's wording. */
export function normalizeMethod(method: string): string {
  // Stryker disable next-line ConditionalExpression: a fast path: the checks below return each COMMON method unchanged too
  if (COMMON.has(method)) return method;
  if (!isToken(method)) throw new TypeError(`'${method}' is not a valid HTTP method.`);
  const upper = method.toUpperCase();
  if (FORBIDDEN.has(upper)) throw new TypeError(`'${method}' HTTP method is unsupported.`);
  return NORMALIZED.has(upper) ? upper : method;
}

/** Internal: whether a value is a LightRequest of this copy of faasport. */
export let isLightRequest: (value: unknown) => value is LightRequest;

export class LightRequest {
  readonly #method: string;
  readonly #url: string;
  #href: string | undefined;
  #headers: LightHeaders;
  #body: StoredBody | undefined;
  #signal: AbortSignal | undefined;
  /** The body already parsed as JSON by the platform; json() hands it out once instead of parsing again. */
  #parsed: unknown;
  #real: Request | undefined;

  static {
    isLightRequest = (value): value is LightRequest => typeof value === 'object' && value !== null && #method in value;
  }

  /**
   * @param method an HTTP method (validated and normalised like `new Request`)
   * @param url an absolute URL; `url` answers its WHATWG serialisation
   * @param headers a HeadersInit; a plain record is read with the fast path of `headersFromRecord`
   *   (undefined values skipped)
   * @param body the body bytes, now owned by the request (not copied: the caller must not reuse them), or
   *   text (its UTF-8 encoding is the body)
   * @param options `text: 'as-sent'`: a text body is the exact text that arrived (an adapter's event body),
   *   so no `content-type: text/plain;charset=UTF-8` is implied as `new Request(url, { body: text })` would;
   *   `signal`: what the request's `signal` follows (the platform's abort on timeout or disconnect);
   *   `parsed`: the value JSON.parse gives for the UTF-8 text of `body`, when the platform already parsed it
   *   (json() then returns it instead of parsing again; text() and the other reads still read the bytes)
   */
  constructor(
    method: string,
    url: string,
    headers?: HeadersSource | null,
    body?: Uint8Array | string | null,
    options?: { text?: 'as-sent' | 'init'; signal?: AbortSignal | undefined; parsed?: unknown },
  ) {
    ensureHooks();
    this.#method = normalizeMethod(method);
    this.#url = url;
    this.#headers =
      isLightHeaders(headers)
        ? headers
        : headers === undefined || headers === null
          ? new LightHeaders()
          : Object.getPrototypeOf(headers) === Object.prototype
            ? headersFromRecord(headers as Record<string, string | undefined>)
            : new LightHeaders(headers);
    if (options !== undefined) {
      // Stryker disable next-line ConditionalExpression: assigning an absent signal leaves #signal undefined, as it was
      if (options.signal) this.#signal = options.signal;
      this.#parsed = options.parsed;
    }
    if (body !== undefined && body !== null) {
      if (this.#method === 'GET' || this.#method === 'HEAD') throw new TypeError('Request with GET/HEAD method cannot have body.');
      if (typeof body === 'string') {
        this.#body = new StoredBody(body, undefined);
        if (options?.text !== 'as-sent' && !this.#headers.has('content-type')) this.#headers.set('content-type', 'text/plain;charset=UTF-8');
      } else {
        this.#body = new StoredBody(undefined, body);
      }
    }
  }

  get method(): string {
    return this.#method;
  }

  /** The URL as `new Request` serialises it; parsed only when it is not already in that form. */
  get url(): string {
    return (this.#href ??= serializeUrl(this.#url));
  }

  get headers(): LightHeaders {
    return this.#headers;
  }

  get body(): ReadableStream<Uint8Array> | null {
    // Stryker disable next-line ConditionalExpression,BooleanLiteral: a real request built without a body has a null body too
    if (!this.#real && !this.#body) return null;
    return this[REAL]().body;
  }

  get bodyUsed(): boolean {
    return this.#real ? this.#real.bodyUsed : this.#body?.used === true;
  }

  get signal(): AbortSignal {
    return this[REAL]().signal;
  }

  async text(): Promise<string> {
    return this.#real ? this.#real.text() : takeText(this.#body);
  }

  async json(): Promise<unknown> {
    if (this.#real) return this.#real.json();
    const parsed = this.#parsed;
    if (parsed !== undefined && this.#body) {
      // The platform already parsed this body (GCP); hand that object over once.
      this.#body.take();
      this.#parsed = undefined;
      return parsed;
    }
    return JSON.parse(takeText(this.#body));
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    return this.#real ? this.#real.arrayBuffer() : takeArrayBuffer(this.#body);
  }

  async bytes(): Promise<Uint8Array> {
    return new Uint8Array(await this.arrayBuffer());
  }

  blob(): Promise<Blob> {
    return this[REAL]().blob();
  }

  formData(): Promise<FormData> {
    return this[REAL]().formData();
  }

  clone(): LightRequest {
    if (this.bodyUsed) throw new TypeError('unusable');
    const copy = new LightRequest(this.#method, this.#url, new LightHeaders(this.#headers));
    copy.#href = this.#href;
    copy.#signal = this.#signal;
    if (this.#real) copy.#real = this.#real.clone();
    else copy.#body = this.#body?.share();
    return copy;
  }

  /** The real undici Request, built once; from then on it carries the body. */
  [REAL](): Request {
    if (this.#real) return this.#real;
    const body = this.#body;
    const real = new (nativeFetch().Request)(this.url, {
      method: this.#method,
      headers: this.#headers as unknown as HeadersInit,
      body: body ? body.init() : null,
      signal: this.#signal ?? null,
    });
    // Already read through the light object: the real one must say so too.
    if (body?.used) real.arrayBuffer().catch(() => {});
    this.#real = real;
    return real;
  }

  get [Symbol.toStringTag](): string {
    return 'Request';
  }

  [Symbol.for('nodejs.util.inspect.custom')](): object {
    return { method: this.#method, url: this.url, headers: this.#headers, bodyUsed: this.bodyUsed };
  }
}

// Characters the WHATWG URL serialiser keeps as they are, per component (1 = kept).
const HOST_CHAR = new Uint8Array(128);
for (const c of 'abcdefghijklmnopqrstuvwxyz0123456789-.') HOST_CHAR[c.charCodeAt(0)] = 1;
const PATH_CHAR = new Uint8Array(128);
for (const c of "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,;=:@/%") PATH_CHAR[c.charCodeAt(0)] = 1;
const QUERY_CHAR = new Uint8Array(128);
for (let c = 0x21; c < 0x7f; c++) QUERY_CHAR[c] = 1;
for (const c of `"#<>'`) QUERY_CHAR[c.charCodeAt(0)] = 0;

/**
 * `new URL(url).href`, skipping the parse when the text is already in serialised form: http(s), a
 * lower-case DNS host whose last label is not numeric (IPv4 forms get rewritten), an optional port that is
 * not the scheme's default, a path of plain characters without dot segments, a query of characters the
 * serialiser keeps.
 */
export function serializeUrl(url: string): string {
  return isSerializedUrl(url) ? url : new URL(url).href;
}

/** Whether `url` is an http(s) URL exactly as the WHATWG serialiser writes it (see serializeUrl). */
export function isSerializedUrl(url: string): boolean {
  // Stryker disable next-line EqualityOperator: pathStart is -1 or at least 8, never 0
  return pathStart(url) >= 0;
}

/**
 * Where the path starts in a URL that is in serialised form (see serializeUrl), or -1 when it is not (then
 * only a parser can tell its parts). The path then runs to the first "?".
 */
export function pathStart(url: string): number {
  // The same URL as the last call's (a warm function polled, or `req.url` read again): one native compare.
  // Stryker disable next-line ConditionalExpression: a cache: without it the scan below gives the same answer
  if (url === lastUrl) return lastPathStart;
  const start = findPathStart(url);
  // Stryker disable next-line ConditionalExpression,EqualityOperator,BlockStatement: a one-entry cache of pathStart's own answers: caching more, fewer or none answers the same
  if (start >= 0) {
    lastUrl = url;
    lastPathStart = start;
  }
  return start;
}

/** The last URL pathStart accepted, and where its path starts (one entry: bounded). */
let lastUrl: string | undefined;
// Equivalent mutant (-1 as +1): lastUrl starts undefined, so this first value is never read.
let lastPathStart = -1;

function findPathStart(url: string): number {
  // A warm function sees the same scheme and host on every call: past the last one that passed, only the
  // path and query need a look. (lastIndexOf at 0: V8 compares a long prefix faster than startsWith does.)
  const known = knownOrigin;
  // Stryker disable next-line ConditionalExpression: a shortcut: the full scan below accepts the same URLs at the same index
  if (known !== undefined && url.charCodeAt(known.length) === 47 && url.lastIndexOf(known, 0) === 0) return pathAndQueryStart(url, known.length);
  const https = url.startsWith('https://');
  let i = https ? 8 : url.startsWith('http://') ? 7 : -1;
  // Stryker disable next-line ConditionalExpression,EqualityOperator: scanning from -1 meets NaN (no host character) and returns -1 all the same
  if (i < 0) return -1;
  const hostStart = i;
  let labelStart = i;
  // Stryker disable next-line EqualityOperator: one step past the end reads NaN, which is no host character: -1 as at the end
  for (; i < url.length; i++) {
    const c = url.charCodeAt(i);
    if (c === 47 /* / */ || c === 58 /* : */) break;
    // Stryker disable next-line ConditionalExpression,EqualityOperator: HOST_CHAR[c] is undefined for c >= 128, so the table test alone refuses it
    if (c >= 128 || HOST_CHAR[c] !== 1) return -1;
    // Stryker disable ArithmeticOperator: a pair of dashes is found from either of its two ends (i - 1 below)
    if (c === 46 /* . */) labelStart = i + 1;
    else if (c === 45 && url.charCodeAt(i - 1) === 45) return -1; // "xn--": punycode, checked by the parser
  }
  // Stryker restore ArithmeticOperator
  const lastLabel = url.charCodeAt(labelStart);
  // Stryker disable next-line ConditionalExpression: an empty host also has labelStart === i; a host ending in "." may be taken or left to the parser (same href)
  if (i === hostStart || i === url.length || (lastLabel >= 48 && lastLabel <= 57) || labelStart === i) return -1;
  if (url.charCodeAt(i) === 58) {
    // A port as serialised: 1-5 digits, no leading zero, at most 65535, not the scheme's default.
    const portStart = ++i;
    let port = 0;
    for (; i < url.length; i++) {
      const c = url.charCodeAt(i);
      if (c === 47) break;
      if (c < 48 || c > 57) return -1;
      port = port * 10 + (c - 48);
    }
    const digits = i - portStart;
    // Stryker disable next-line ConditionalExpression: six or more digits without a leading zero are above 65535, refused by the port test
    if (i === url.length || digits === 0 || digits > 5 || url.charCodeAt(portStart) === 48 || port > 65535) return -1;
    if (port === (https ? 443 : 80)) return -1;
  }
  const path = pathAndQueryStart(url, i);
  // Stryker disable next-line ConditionalExpression,EqualityOperator: path is never 0, and remembering no origin only costs the full scan
  if (path >= 0) knownOrigin = url.slice(0, path);
  return path;
}

/** The origin (scheme, host, port) of the last URL pathStart accepted. */
let knownOrigin: string | undefined;

/** `start` when the path and query from there on are in serialised form, else -1. */
function pathAndQueryStart(url: string, start: number): number {
  let i = start;
  for (; i < url.length; i++) {
    const c = url.charCodeAt(i);
    if (c === 63 /* ? */) break;
    // Stryker disable next-line ConditionalExpression,EqualityOperator: PATH_CHAR[c] is undefined for c >= 128, so the table test alone refuses it
    if (c >= 128 || PATH_CHAR[c] !== 1) return -1;
    // "/." starts a possible dot segment, "%2e" is one spelled escaped: let the parser decide.
    if (c === 46 && url.charCodeAt(i - 1) === 47) return -1;
    if (c === 37 && url.charCodeAt(i + 1) === 50 && (url.charCodeAt(i + 2) | 0x20) === 101) return -1;
  }
  for (i++; i < url.length; i++) {
    const c = url.charCodeAt(i);
    // Stryker disable next-line ConditionalExpression,EqualityOperator: QUERY_CHAR[c] is undefined for c >= 128, so the table test alone refuses it
    if (c >= 128 || QUERY_CHAR[c] !== 1) return -1;
  }
  return start;
}

linkLight('Request', LightRequest);
