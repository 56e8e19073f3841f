/**
 * LightResponse: a Fetch Response that keeps its body as the string or bytes it was given, so
 * `new Response(text)`, `Response.json(obj)` and `Response.redirect(url)` cost a few property writes
 * instead of undici's streams. Same validation and errors as undici. Bodies other than a string, bytes or
 * null (Blob, FormData, URLSearchParams, streams) are handed to a real Response at once; any member not
 * on the fast path (`body` stream, `blob()`, `formData()`, ...) builds a real Response on first use, which
 * from then on carries the body while status and headers stay the light object's own.
 */
import type { ResponseParts } from '../http.js';
import { utf8Encode } from '../body.js';
import { copyBytes, StoredBody, takeArrayBuffer, takeText } from './body.js';
import { addDefaultHeader, headerParts, headerStore, headersFromInitRecord, LightHeaders, type HeadersSource } from './headers.js';
import { ensureHooks, linkLight, nativeFetch, REAL } from './natives.js';

const NULL_BODY_STATUS = new Set([101, 103, 204, 205, 304]);
const REDIRECT_STATUS = new Set([301, 302, 303, 307, 308]);
const TEXT_TYPE = 'text/plain;charset=UTF-8';
const JSON_TYPE = 'application/json';
/** RFC 9112 reason-phrase: HTAB, SP, VCHAR, obs-text. */
const REASON_PHRASE = /^[\t\x20-\x7e\x80-\xff]*$/;

interface LightResponseInit {
  status?: number;
  statusText?: string;
  headers?: HeadersSource;
}

/**
 * init.status as undici converts it (Node 20's webidl ConvertToInt for `unsigned short`): truncated, then JS's
 * remainder by 65536, which keeps a negative status negative (so -65336 is refused, where WebIDL's modulo reads 200).
 */
function toStatus(value: unknown): number {
  // Fast path; its surviving mutants are equivalent (not disabled: the line's other mutants are killed).
  if (typeof value === 'number' && (value | 0) === value && value >= 0 && value < 65536) return value;
  const n = Number(value);
  if (!Number.isFinite(n)) return 0;
  return Math.trunc(n) % 65536;
}

/** An object literal that WebIDL reads as a record (no iterator of its own): the light record path takes it. */
// Stryker disable next-line BlockStatement: every init may take the LightHeaders constructor, which reads a record as headersFromInitRecord does
function isPlainRecord(value: unknown): value is Record<string, unknown> {
  // Stryker disable next-line ConditionalExpression,EqualityOperator,StringLiteral: answering false for more values only sends them to the LightHeaders constructor (same headers, same errors; null is refused by a test)
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  // Stryker disable next-line ConditionalExpression,LogicalOperator,EqualityOperator: either answer gives the same headers: the LightHeaders constructor reads a record as headersFromInitRecord does
  return (proto === Object.prototype || proto === null) && (value as { [Symbol.iterator]?: unknown })[Symbol.iterator] === undefined;
}

/** Internal: the parts readResponse needs, read without streams; undefined when not a LightResponse. */
export let lightResponseParts: (response: Response, method: string) => ResponseParts | Promise<ResponseParts> | undefined;

export class LightResponse {
  #status = 200;
  #statusText = '';
  /** Built on first read of `headers` when the init had none. */
  #headers: LightHeaders | undefined;
  /** Content-Type the body implies, kept here while #headers is not built. */
  #type: string | undefined;
  #body: StoredBody | undefined;
  #real: Response | undefined;

  static {
    lightResponseParts = (response, method) => {
      if (!(#status in response)) return undefined;
      const light = response as unknown as LightResponse;
      let headers: Record<string, string>;
      let cookies: string[];
      if (light.#headers) {
        ({ headers, cookies } = headerParts(light.#headers));
      } else {
        headers = light.#type === undefined ? {} : { 'content-type': light.#type };
        cookies = [];
      }
      const status = light.#status;
      const real = light.#real;
      if (real) return realBody(real, method).then((body) => ({ status, headers, cookies, body }));
      const stored = light.#body;
      if (!stored || method === 'HEAD') return { status, headers, cookies, body: undefined };
      stored.take();
      const text = stored.exactText();
      if (text === undefined) return { status, headers, cookies, body: stored.peekBytes() };
      return new TextParts(status, headers, cookies, text);
    };
  }

  constructor(body?: unknown, init?: LightResponseInit | null) {
    ensureHooks();
    if (init !== undefined && init !== null) {
      if (typeof init !== 'object' && typeof init !== 'function') {
        throw new TypeError(`Response constructor: Expected init to be one of: Null, Undefined, Object.`);
      }
      if (init.status !== undefined) {
        const status = toStatus(init.status);
        if (status < 200 || status > 599) throw new RangeError('init["status"] must be in the range of 200 to 599, inclusive.');
        this.#status = status;
      }
      if (init.statusText !== undefined) {
        const text = String(init.statusText);
        if (!REASON_PHRASE.test(text)) throw new TypeError('Invalid statusText');
        this.#statusText = text;
      }
      const headers = init.headers;
      // Stryker disable next-line ConditionalExpression: undefined headers read as empty ones, and any record may take the LightHeaders constructor
      if (headers !== undefined) this.#headers = isPlainRecord(headers) ? headersFromInitRecord(headers) : new LightHeaders(headers);
    }
    if (body === undefined || body === null) return;
    if (typeof body === 'string') {
      this.#attach(new StoredBody(body, undefined), TEXT_TYPE);
    } else if (body instanceof Uint8Array || body instanceof ArrayBuffer || ArrayBuffer.isView(body)) {
      this.#attach(new StoredBody(undefined, copyBytes(body)), undefined);
    } else {
      // Blob, FormData, URLSearchParams, streams, other objects: undici knows their content types and rules.
      const real = new (nativeFetch().Response)(body as BodyInit, init as ResponseInit | undefined);
      this.#real = real;
      this.#headers = new LightHeaders(real.headers);
    }
  }

  #attach(body: StoredBody, type: string | undefined): void {
    if (NULL_BODY_STATUS.has(this.#status)) throw new TypeError(`Response constructor: Invalid response status code ${this.#status}`);
    this.#body = body;
    if (type === undefined) return;
    if (!this.#headers) this.#type = type;
    else addDefaultHeader(this.#headers, 'content-type', type);
  }

  static json(data: unknown, init?: LightResponseInit | null): LightResponse {
    const text = JSON.stringify(data);
    if (text === undefined) throw new TypeError('Value is not JSON serializable');
    const response = new LightResponse(null, init);
    // JSON.stringify escapes lone surrogates and starts with a JSON token: the text is exact UTF-8.
    // Stryker disable next-line BooleanLiteral: shared only copies bytes (a text body has none), and exact text passes the check exactText would make
    response.#attach(new StoredBody(text, undefined, false, true), JSON_TYPE);
    return response;
  }

  static redirect(url: string | URL, status = 302): LightResponse {
    let location: string;
    try {
      location = new URL(String(url)).href;
    } catch (cause) {
      throw new TypeError(`Failed to parse URL from ${String(url)}`, { cause });
    }
    if (!REDIRECT_STATUS.has(status)) throw new RangeError(`Invalid status code ${status}`);
    const response = new LightResponse(null, { status });
    response.#headers = LightHeaders.freeze(new LightHeaders({ location }));
    return response;
  }

  /** A network error: rare, so the real one. */
  static error(): Response {
    return nativeFetch().Response.error();
  }

  /** True for light responses and for real ones (built by undici, fetch() or another framework). */
  static [Symbol.hasInstance](value: unknown): boolean {
    if (this !== LightResponse) return Function.prototype[Symbol.hasInstance].call(this, value);
    if (typeof value !== 'object' || value === null) return false;
    // Stryker disable next-line ConditionalExpression: a light response's prototype is linked under undici's, so the instanceof below also answers true
    if (#status in value) return true;
    return value instanceof nativeFetch().Response;
  }

  get status(): number {
    return this.#status;
  }

  get statusText(): string {
    return this.#statusText;
  }

  get ok(): boolean {
    // Stryker disable next-line ConditionalExpression: a light response's status is never below 200 (the constructor refuses it)
    return this.#status >= 200 && this.#status <= 299;
  }

  get headers(): LightHeaders {
    if (this.#headers) return this.#headers;
    const headers = new LightHeaders();
    if (this.#type !== undefined) headerStore(headers).map.set('content-type', this.#type);
    return (this.#headers = headers);
  }

  get type(): ResponseType {
    return this.#real ? this.#real.type : 'default';
  }

  get url(): string {
    return '';
  }

  get redirected(): boolean {
    return false;
  }

  get body(): ReadableStream<Uint8Array> | null {
    // Stryker disable next-line ConditionalExpression,BooleanLiteral: a real response built without a body has a null body too
    if (!this.#real && !this.#body) return null;
    return this[REAL]().body;
  }

  get bodyUsed(): boolean {
    return this.#real ? this.#real.bodyUsed : this.#body?.used === true;
  }

  async text(): Promise<string> {
    return this.#real ? this.#real.text() : takeText(this.#body);
  }

  async json(): Promise<unknown> {
    return this.#real ? this.#real.json() : JSON.parse(takeText(this.#body));
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

  clone(): LightResponse {
    if (this.bodyUsed || this.#real?.body?.locked) throw new TypeError('Response.clone: Body has already been consumed.');
    const copy = new LightResponse(null, null);
    copy.#status = this.#status;
    copy.#statusText = this.#statusText;
    copy.#type = this.#type;
    if (this.#headers) copy.#headers = new LightHeaders(this.#headers);
    if (this.#real) copy.#real = this.#real.clone();
    else copy.#body = this.#body?.share();
    return copy;
  }

  /** The real undici Response, built once; from then on it carries the body. */
  [REAL](): Response {
    if (this.#real) return this.#real;
    const body = this.#body;
    const real = new (nativeFetch().Response)(body ? body.init() : null, {
      status: this.#status,
      statusText: this.#statusText,
      headers: this.headers as unknown as HeadersInit,
    });
    if (body?.used) real.arrayBuffer().catch(() => {});
    this.#real = real;
    return real;
  }

  get [Symbol.toStringTag](): string {
    return 'Response';
  }

  [Symbol.for('nodejs.util.inspect.custom')](): object {
    return { status: this.#status, statusText: this.#statusText, headers: this.headers, bodyUsed: this.bodyUsed };
  }
}

/** Parts of a response whose body is text: `body` is encoded only if an adapter asks for bytes. */
class TextParts implements ResponseParts {
  #bytes: Uint8Array | undefined;
  constructor(
    readonly status: number,
    readonly headers: Record<string, string>,
    readonly cookies: string[],
    readonly text: string,
  ) {}

  get body(): Uint8Array {
    return (this.#bytes ??= utf8Encode(this.text));
  }
}

/** The body of a real Response as readResponse has always read it. */
async function realBody(real: Response, method: string): Promise<Uint8Array | undefined> {
  if (method === 'HEAD' || real.body === null) {
    if (real.body) await real.body.cancel();
    return undefined;
  }
  return new Uint8Array(await real.arrayBuffer());
}

linkLight('Response', LightResponse);
