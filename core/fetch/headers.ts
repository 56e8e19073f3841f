/**
 * LightHeaders: a Fetch `Headers` kept in a Map, with the same validation, normalisation, combination and
 * iteration order as undici's, but without loading undici (Node 20 loads it, ~20-30 ms, on first use of the
 * built-in `Headers`/`Request`/`Response`). `instanceof Headers` holds once the built-in class is looked at
 * (see natives.ts).
 */
import { ensureHooks, linkLight, nativeFetch } from './natives.js';

/** RFC 9110 token characters, the only ones a header name may hold. 1 = allowed. */
const TOKEN = new Uint8Array(128);
for (const c of "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz") TOKEN[c.charCodeAt(0)] = 1;

export function isToken(name: string): boolean {
  if (name.length === 0) return false;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    // Stryker disable next-line ConditionalExpression,EqualityOperator: TOKEN[c] is undefined for c >= 128, so the table test alone refuses it
    if (c >= 128 || TOKEN[c] !== 1) return false;
  }
  return true;
}

const isHttpWhitespace = (c: number): boolean => c === 32 || c === 9 || c === 10 || c === 13;

/**
 * The value as a Headers object stores it: a ByteString (no character above U+00FF), leading and trailing
 * HTTP whitespace removed, no NUL, CR or LF left inside. Throws TypeError like undici otherwise.
 */
export function normalizeValue(value: unknown, where: string): string {
  // Stryker disable next-line ConditionalExpression,StringLiteral: String() of a string is that string
  const text = typeof value === 'string' ? value : String(value);
  // Stryker disable next-line ConditionalExpression: a fast path: the slow path below returns a stored-form text unchanged
  if (isStoredValue(text)) return text; // the common case, in one native scan
  const length = text.length;
  // Stryker disable next-line ConditionalExpression,LogicalOperator,EqualityOperator: trimming more often only does more work: a text without whitespace at its ends and without NUL/CR/LF comes back unchanged
  let trim = length > 0 && (isHttpWhitespace(text.charCodeAt(0)) || isHttpWhitespace(text.charCodeAt(length - 1)));
  // Stryker disable next-line EqualityOperator: one step past the end reads NaN, which is neither above 255 nor NUL/CR/LF
  for (let i = 0; i < length; i++) {
    const c = text.charCodeAt(i);
    if (c > 255) {
      throw new TypeError(
        `Cannot convert argument to a ByteString because the character at index ${i} has a value of ${c} which is greater than 255.`,
      );
    }
    // Stryker disable next-line ConditionalExpression,EqualityOperator: trimming more often only does more work (see above)
    if (c === 0 || c === 10 || c === 13) trim = true; // decided after trimming, below
  }
  // Stryker disable next-line ConditionalExpression: the trim below leaves such a text unchanged
  if (!trim) return text;
  let start = 0;
  let end = length;
  // Stryker disable next-line ConditionalExpression,EqualityOperator: past the end charCodeAt is NaN, not whitespace, so the scan stops at the end anyway
  while (start < end && isHttpWhitespace(text.charCodeAt(start))) start++;
  // Stryker disable next-line ConditionalExpression,EqualityOperator: an all-whitespace text gives start === length, and slice(start, end) is empty for any end below it
  while (end > start && isHttpWhitespace(text.charCodeAt(end - 1))) end--;
  // Stryker disable next-line ConditionalExpression: slice(0, length) is the same text
  const value2 = start === 0 && end === length ? text : text.slice(start, end);
  // Stryker disable next-line EqualityOperator: one step past the end reads NaN, which is not NUL/CR/LF
  for (let i = 0; i < value2.length; i++) {
    const c = value2.charCodeAt(i);
    if (c === 0 || c === 10 || c === 13) throw new TypeError(`${where}: "${value2}" is an invalid header value.`);
  }
  return value2;
}

/** The lower-case form of a token, scanning once; TypeError when it is not a token. */
function lowerToken(name: string): string {
  // Stryker disable next-line BooleanLiteral: lower-casing a name without upper-case letters changes nothing
  let upper = false;
  const length = name.length;
  for (let i = 0; i < length; i++) {
    const c = name.charCodeAt(i);
    // Stryker disable next-line ConditionalExpression,EqualityOperator: TOKEN[c] is undefined for c >= 128, so the table test alone refuses it
    if (c >= 128 || TOKEN[c] !== 1) throw new TypeError(`Headers.append: "${name}" is an invalid header name.`);
    // Stryker disable next-line ConditionalExpression,LogicalOperator: lower-casing more often changes nothing
    if (c <= 90 && c >= 65) upper = true;
  }
  if (length === 0) throw new TypeError('Headers.append: "" is an invalid header name.');
  return upper ? name.toLowerCase() : name;
}

/** Lower-case name, or TypeError like undici's when the name is not a token. */
export function normalizeName(name: unknown, where: string): string {
  // Stryker disable next-line ConditionalExpression,StringLiteral: String() of a string is that string
  const text = typeof name === 'string' ? name : String(name);
  if (!isToken(text)) throw new TypeError(`${where}: "${text}" is an invalid header name.`);
  return text.toLowerCase();
}

/** Anything a Fetch API accepts as HeadersInit: a record, a sequence of pairs, or a Headers object. */
export type HeadersSource = Headers | LightHeaders | Iterable<readonly [string, string]> | Record<string, string | undefined>;

const enum Guard {
  None = 0,
  /** Response.redirect / Response.error: every change is refused. */
  Immutable = 1,
}

/** Internal access for readResponse and the light classes: the map and the Set-Cookie list, no copies. */
export let headerStore: (headers: LightHeaders) => { map: Map<string, string>; cookies: string[] | undefined };
/**
 * Internal, for readResponse: every header but Set-Cookie as a fresh record (lower-case names, combined
 * values) and a copy of the Set-Cookie list. A loop over the Map: Object.fromEntries costs ten times more.
 */
export let headerParts: (headers: LightHeaders) => { headers: Record<string, string>; cookies: string[] };
/**
 * Builds from a native event's header record: same checks and result as `new Headers(record)` (with
 * `cookie`, when given, replacing the record's cookie header), but undefined values are skipped (absent
 * headers in typed event records). When every name is a lower-case token and every value is already in
 * stored form (API Gateway v2, ALB), the record itself backs the headers until something changes or
 * iterates them: two regular-expression scans instead of a per-header normalisation and a Map. `cookie` may
 * also be the list of cookie pairs (API Gateway's `cookies[]`): the header is then their "; " join, checked
 * here but joined only when something reads the cookie header or iterates the headers.
 */
export let headersFromRecord: (record: Record<string, string | undefined>, cookie?: string | readonly string[]) => LightHeaders;
/**
 * Headers backed by a record that is already in stored form: lower-case token names other than set-cookie,
 * string values without surrounding whitespace, NUL, CR or LF, undefined for an absent header (what
 * node:http's parser hands over, once the caller has checked what the parser does not promise). Nothing is
 * checked here.
 */
export let headersFromStoredRecord: (record: Record<string, string | undefined>) => LightHeaders;
/**
 * Light headers from a plain-object HeadersInit (`new Response(body, { headers: { ... } })`): the same
 * checks, errors, lower-casing and joining as `new Headers(record)`, kept in a record of their own instead
 * of a Map until something changes or iterates them.
 */
export let headersFromInitRecord: (init: Record<string, unknown>) => LightHeaders;
/**
 * Internal, for the Response constructor: sets `name` (lower-case) to `value` unless present (the content
 * type a body implies), writing into the record of headersFromInitRecord while the response is being built.
 */
export let addDefaultHeader: (headers: LightHeaders, name: string, value: string) => void;
/**
 * Light headers over another Headers object (the built-in one an Azure HttpRequest carries): reads go to it
 * until something changes or iterates them, then its entries are copied. The source is never written.
 */
export let headersOver: (source: HeadersReader) => LightHeaders;

/** What headersOver reads: the built-in Headers (or anything with its semantics). */
export type HeadersReader = Pick<Headers, 'get' | 'has' | 'forEach' | 'getSetCookie'>;

/** record[name] = value, also for the name "__proto__" (an own entry, as Object.fromEntries makes it). */
export function putHeader(record: Record<string, string>, name: string, value: string): void {
  // Stryker disable next-line ConditionalExpression: on a fresh record, defineProperty makes the same own data property as an assignment
  if (name === '__proto__') Object.defineProperty(record, name, { value, writable: true, enumerable: true, configurable: true });
  else record[name] = value;
}

/**
 * Internal: whether a value is a LightHeaders of this copy of faasport. A brand check: once installFastFetch
 * made LightHeaders the global Headers, `instanceof LightHeaders` also asks undici (see Symbol.hasInstance).
 */
export let isLightHeaders: (value: unknown) => value is LightHeaders;

/** append(name, value) on a headers object under construction (a Map of its own, no guard). */
let appendRecordEntry: (headers: LightHeaders, name: string, value: unknown) => void;

/** A character no stored header value may hold: NUL, CR, LF, or above U+00FF. */
const NOT_VALUE = /[\0\n\r\u0100-\uffff]/;

/** Set by the factories for one construction: the object starts without a Map (a record or source backs it). */
let bare = false;

export class LightHeaders {
  /** Lower-case name -> combined value, every header but Set-Cookie; undefined while #record backs them. */
  #m: Map<string, string> | undefined;
  /** A validated event record (lower-case names, stored-form values) standing in for #m; never written. */
  #record: Record<string, string | undefined> | undefined = undefined;
  /** The cookie header replacing the record's, in record mode; a list of pairs until first read (see #cookieText). */
  #cookie: string | readonly string[] | undefined = undefined;
  /** Another Headers object standing in for #m and #cookies (see headersOver); never written. */
  #source: HeadersReader | undefined = undefined;
  /** Each Set-Cookie apart: they may not be combined with ", ". */
  #cookies: string[] | undefined = undefined;
  #guard: Guard = Guard.None;
  /** #record was made by headersFromInitRecord for this object alone: addDefaultHeader may write to it. */
  #owned = false;

  get #map(): Map<string, string> {
    if (this.#m) return this.#m;
    const map = new Map<string, string>();
    const source = this.#source;
    if (source !== undefined) {
      source.forEach((value, name) => {
        if (name !== 'set-cookie') map.set(name, value);
      });
      const cookies = source.getSetCookie();
      // Stryker disable next-line ConditionalExpression,EqualityOperator: an empty Set-Cookie list reads as none everywhere (#cookies is only read behind a length test or as a copy)
      if (cookies.length > 0) this.#cookies = cookies;
      this.#source = undefined;
      return (this.#m = map);
    }
    const record = this.#record!;
    for (const name in record) {
      const value = record[name];
      if (value !== undefined) map.set(name, value);
    }
    if (this.#cookie !== undefined) map.set('cookie', this.#cookieText());
    this.#record = undefined;
    // Stryker disable next-line BooleanLiteral: #owned is only read together with #record, cleared on the line above
    this.#owned = false;
    return (this.#m = map);
  }

  /** The stored value of a normalised name, without building the Map. */
  #find(key: string): string | undefined {
    const record = this.#record;
    if (record === undefined) return this.#m!.get(key); // (never called in source mode)
    if (key === 'cookie' && this.#cookie !== undefined) return this.#cookieText();
    const value = record[key];
    // typeof, not hasOwn: inherited members ("constructor", ...) are never strings.
    return typeof value === 'string' ? value : undefined;
  }

  /** The replacing cookie header as text: a list given to headersFromRecord is joined once, on first need. */
  #cookieText(): string {
    const cookie = this.#cookie!;
    return typeof cookie === 'string' ? cookie : (this.#cookie = cookie.join('; '));
  }

  static {
    isLightHeaders = (value): value is LightHeaders => typeof value === 'object' && value !== null && #m in value;
    headerStore = (h) => ({ map: h.#map, cookies: h.#cookies });
    headerParts = (h) => {
      const headers: Record<string, string> = {};
      // Stryker disable next-line ConditionalExpression: #record is undefined while a source backs the headers
      const record = h.#source === undefined ? h.#record : undefined;
      if (record !== undefined) {
        for (const name in record) {
          const value = record[name];
          if (value !== undefined) putHeader(headers, name, value);
        }
        if (h.#cookie !== undefined) headers.cookie = h.#cookieText();
      } else {
        for (const [name, value] of h.#map) putHeader(headers, name, value);
      }
      const cookies = h.#cookies;
      return { headers, cookies: cookies === undefined ? [] : cookies.slice() };
    };
    headersOver = (source) => {
      bare = true;
      const h = new LightHeaders();
      h.#source = source;
      return h;
    };
    headersFromInitRecord = (init) => {
      const record: Record<string, string | undefined> = {};
      let cookies: string[] | undefined;
      for (const name of Object.keys(init)) {
        const raw = init[name];
        // Names and values in a handler's init are mostly constants of its code, the same strings every call:
        // one already found in stored form needs no other check (see LAST_GOOD).
        // Stryker disable next-line ConditionalExpression,EqualityOperator,StringLiteral: INIT_GOOD holds strings only, so no other raw matches; without the cache the checks run and agree
        const known = typeof raw === 'string' && INIT_GOOD.get(name) === raw;
        const key = known ? name : lowerToken(name);
        const value = known ? raw : normalizeValue(raw, 'Headers.append');
        // Stryker disable next-line ConditionalExpression,BooleanLiteral,EqualityOperator: a cache of values already in stored form: filling it more, less or not at all gives the same headers
        if (!known && key === name && value === raw && INIT_GOOD.size < 1024) INIT_GOOD.set(name, value);
        if (key === 'set-cookie') {
          (cookies ??= []).push(value);
          continue;
        }
        // "__proto__" would not be an own entry of a plain record: the Map path takes it (and redoes the checks).
        if (key === '__proto__') return new LightHeaders(init as Record<string, string>);
        const existing = record[key];
        // typeof: an inherited member ("constructor", ...) is not a header.
        record[key] = typeof existing === 'string' ? `${existing}${key === 'cookie' ? '; ' : ', '}${value}` : value;
      }
      bare = true;
      const h = new LightHeaders();
      h.#record = record;
      h.#cookies = cookies;
      // Stryker disable next-line BooleanLiteral: without it addDefaultHeader takes the Map path, which gives the same headers
      h.#owned = true;
      return h;
    };
    addDefaultHeader = (h, name, value) => {
      const record = h.#record;
      // Stryker disable next-line ConditionalExpression,EqualityOperator: #owned implies #record; the Map path gives the same headers
      if (h.#owned && record !== undefined) {
        if (typeof record[name] !== 'string') record[name] = value;
      } else if (!h.has(name)) {
        h.#map.set(name, value);
      }
    };
    headersFromStoredRecord = (record) => {
      bare = true;
      const h = new LightHeaders();
      h.#record = record;
      return h;
    };
    headersFromRecord = (record, cookie) => {
      // Stryker disable next-line ConditionalExpression,StringLiteral: isStoredList on a string's characters answers as isStoredValue does on the string
      let plain = cookie === undefined || (typeof cookie === 'string' ? isStoredValue(cookie) : isStoredList(cookie));
      // Stryker disable next-line ConditionalExpression: checking the record anyway leaves plain false when the cookie was not in stored form
      if (plain) {
        for (const name in record) {
          const value = record[name];
          // Most values repeat from one invocation to the next (accept, host, user-agent, ...): the same as
          // the last good value of the name, they need no other check (only lower-case token names other than
          // set-cookie, with stored-form string values, are ever remembered).
          const last = LAST_GOOD.get(name);
          // Stryker disable next-line ConditionalExpression: without the repeat shortcut the checks below run and pass (the value was found good before)
          if (last === value || value === undefined) continue;
          // Equivalent mutant, not disabled (the line's other ConditionalExpression mutants are killed): checking the name when `last` is set re-checks a name found good.
          if (typeof value !== 'string' || (last === undefined && (name === 'set-cookie' || !isLowerToken(name))) || !isStoredValue(value)) {
            plain = false;
            break;
          }
          // Stryker disable next-line ConditionalExpression,LogicalOperator,EqualityOperator: a cache of values already checked: filling it more, less or not at all gives the same headers
          if (LAST_GOOD.size < 1024 || last !== undefined) LAST_GOOD.set(name, value);
        }
      }
      if (plain) {
        const h = headersFromStoredRecord(record);
        h.#cookie = cookie;
        return h;
      }
      const h = new LightHeaders();
      const map = h.#m!;
      for (const name in record) {
        const raw = record[name];
        if (raw === undefined) continue;
        const key = lowerToken(name);
        const value = normalizeValue(raw, 'Headers.append');
        if (key === 'set-cookie') {
          (h.#cookies ??= []).push(value);
          continue;
        }
        const existing = map.get(key);
        map.set(key, existing === undefined ? value : `${existing}${key === 'cookie' ? '; ' : ', '}${value}`);
      }
      if (cookie !== undefined) map.set('cookie', normalizeValue(typeof cookie === 'string' ? cookie : cookie.join('; '), 'Headers.set'));
      return h;
    };
  }

  constructor(init?: HeadersSource | null) {
    ensureHooks();
    if (bare) {
      bare = false;
      return;
    }
    this.#m = new Map<string, string>();
    if (init === undefined) return;
    fill(this, init);
  }

  static {
    appendRecordEntry = (h, name, value) => {
      const key = lowerToken(name);
      const v = normalizeValue(value, 'Headers.append');
      if (key === 'set-cookie') {
        (h.#cookies ??= []).push(v);
        return;
      }
      const map = h.#m!;
      const existing = map.get(key);
      map.set(key, existing === undefined ? v : `${existing}${key === 'cookie' ? '; ' : ', '}${v}`);
    };
  }

  /**
   * True for light headers and for undici's (a fetch() response's, another library's): once installFastFetch
   * made this class the global `Headers`, `x instanceof Headers` must still hold for both.
   */
  static [Symbol.hasInstance](value: unknown): boolean {
    if (this !== LightHeaders) return Function.prototype[Symbol.hasInstance].call(this, value);
    // Stryker disable next-line ConditionalExpression: the light prototype is linked under undici's, so the instanceof below also answers true
    if (isLightHeaders(value)) return true;
    // Stryker disable next-line ConditionalExpression,LogicalOperator: instanceof answers false for primitives and null without throwing
    return typeof value === 'object' && value !== null && value instanceof nativeFetch().Headers;
  }

  /** Makes every later change throw, as undici does for Response.redirect and Response.error. */
  static freeze(headers: LightHeaders): LightHeaders {
    headers.#guard = Guard.Immutable;
    return headers;
  }

  append(name: string, value: string): void {
    const key = normalizeName(name, 'Headers.append');
    const v = normalizeValue(value, 'Headers.append');
    if (this.#guard === Guard.Immutable) throw new TypeError('immutable');
    const map = this.#map; // first: in source mode, this also takes the source's Set-Cookie list
    if (key === 'set-cookie') {
      (this.#cookies ??= []).push(v);
      return;
    }
    const existing = map.get(key);
    // Cookie request headers join with "; " (RFC 6265), all others with ", " (as undici does).
    map.set(key, existing === undefined ? v : `${existing}${key === 'cookie' ? '; ' : ', '}${v}`);
  }

  set(name: string, value: string): void {
    const key = normalizeName(name, 'Headers.set');
    const v = normalizeValue(value, 'Headers.set');
    if (this.#guard === Guard.Immutable) throw new TypeError('immutable');
    const map = this.#map;
    if (key === 'set-cookie') this.#cookies = [v];
    else map.set(key, v);
  }

  delete(name: string): void {
    const key = normalizeName(name, 'Headers.delete');
    if (this.#guard === Guard.Immutable) throw new TypeError('immutable');
    const map = this.#map;
    if (key === 'set-cookie') this.#cookies = undefined;
    else map.delete(key);
  }

  get(name: string): string | null {
    if (this.#source !== undefined) return this.#source.get(name);
    // Fast path: a name already in its stored form needs neither validation nor lower-casing.
    const direct = this.#find(name);
    // Stryker disable next-line ConditionalExpression: a fast path: the normalised name finds the same stored value
    if (direct !== undefined) return direct;
    const key = normalizeName(name, 'Headers.get');
    // Stryker disable next-line ConditionalExpression,EqualityOperator: #cookies is never an empty list (undefined instead)
    if (key === 'set-cookie') return this.#cookies && this.#cookies.length > 0 ? this.#cookies.join(', ') : null;
    return this.#find(key) ?? null;
  }

  has(name: string): boolean {
    if (this.#source !== undefined) return this.#source.has(name);
    // Stryker disable next-line ConditionalExpression: a fast path: the normalised name finds the same stored value
    if (this.#find(name) !== undefined) return true;
    const key = normalizeName(name, 'Headers.has');
    // Stryker disable next-line ConditionalExpression,EqualityOperator: #cookies is never an empty list (undefined instead)
    return key === 'set-cookie' ? this.#cookies !== undefined && this.#cookies.length > 0 : this.#find(key) !== undefined;
  }

  getSetCookie(): string[] {
    if (this.#source !== undefined) return this.#source.getSetCookie();
    return this.#cookies ? this.#cookies.slice() : [];
  }

  forEach(callback: (value: string, name: string, headers: this) => void, thisArg?: unknown): void {
    if (typeof callback !== 'function') {
      throw new TypeError("Headers.forEach: Expected callback to be a function.");
    }
    for (const [name, value] of this.#sorted()) callback.call(thisArg, value, name, this);
  }

  *entries(): IterableIterator<[string, string]> {
    yield* this.#sorted();
  }

  *keys(): IterableIterator<string> {
    for (const pair of this.#sorted()) yield pair[0];
  }

  *values(): IterableIterator<string> {
    for (const pair of this.#sorted()) yield pair[1];
  }

  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.entries();
  }

  get [Symbol.toStringTag](): string {
    return 'Headers';
  }

  /** Spec order ("sort and combine"): names sorted, Set-Cookie values one pair each. */
  #sorted(): [string, string][] {
    // While an event's record backs the headers, read it in place: iterating (forEach, entries) does not
    // need the Map that a change would build.
    // Stryker disable next-line ConditionalExpression: #record is undefined while a source backs the headers
    const record = this.#source === undefined ? this.#record : undefined;
    // Stryker disable next-line ConditionalExpression: cookie is only read on the record path
    const cookie = record === undefined ? undefined : this.#cookie;
    let names: string[];
    if (record !== undefined) {
      names = [];
      for (const name in record) {
        if (record[name] !== undefined && (cookie === undefined || name !== 'cookie')) names.push(name);
      }
      if (cookie !== undefined) names.push('cookie');
    } else {
      names = [...this.#map.keys()];
    }
    // Stryker disable next-line ConditionalExpression,EqualityOperator: #cookies is never an empty list (undefined instead)
    if (this.#cookies && this.#cookies.length > 0) names.push('set-cookie');
    names.sort();
    const out: [string, string][] = [];
    for (const name of names) {
      if (name === 'set-cookie') for (const value of this.#cookies!) out.push([name, value]);
      else if (record === undefined) out.push([name, this.#m!.get(name)!]);
      else out.push([name, cookie !== undefined && name === 'cookie' ? this.#cookieText() : record[name]!]);
    }
    return out;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): object {
    return Object.fromEntries(this.#sorted().map(([n, v]) => [n, v]));
  }
}

/**
 * Already in stored form: no HTTP whitespace (or other control character: the slow path decides) at
 * either end, nothing a header value may not hold. A regular expression scans faster than a JS loop.
 */
function isStoredValue(value: string): boolean {
  const n = value.length;
  return n === 0 || (value.charCodeAt(0) > 32 && value.charCodeAt(n - 1) > 32 && !NOT_VALUE.test(value));
}

/**
 * Whether `list.join('; ')` would be in stored form, without joining: no item holds a character a value may
 * not, and the joined text neither starts nor ends with whitespace (an empty first or last item puts "; "
 * there). Anything unusual answers false, and the caller joins and normalises as before.
 */
function isStoredList(list: readonly string[]): boolean {
  const n = list.length;
  if (n === 0) return true; // joins to ""
  for (let i = 0; i < n; i++) {
    const item = list[i];
    // Stryker disable next-line ConditionalExpression: a non-string item in the middle joins as String(item), which NOT_VALUE.test checks too; at either end the length test sends it to the slow path
    if (typeof item !== 'string' || NOT_VALUE.test(item)) return false;
  }
  const first = list[0]!;
  const last = list[n - 1]!;
  // Equivalent mutants, not disabled (the line's other mutants are killed): the length tests are redundant, charCodeAt of an empty item being NaN.
  return first.length > 0 && first.charCodeAt(0) > 32 && last.length > 0 && last.charCodeAt(last.length - 1) > 32;
}

/**
 * Names already found to be lower-case tokens. Event header names repeat from one invocation to the next
 * and JSON.parse interns them, so a lookup is a pointer compare; bounded so hostile names cannot grow it.
 */
const LOWER_TOKENS = new Set<string>();

/** Per header name, the last value found in stored form (bounded like LOWER_TOKENS). */
const LAST_GOOD = new Map<string, string>();

/** The same for the record inits of Response headers: lower-case token name -> a value in stored form. */
const INIT_GOOD = new Map<string, string>();

/** A token without upper-case letters: a name as Headers stores it. */
function isLowerToken(name: string): boolean {
  // Stryker disable next-line ConditionalExpression: a cache: the scan below answers the same for a name it holds
  if (LOWER_TOKENS.has(name)) return true;
  const n = name.length;
  if (n === 0) return false;
  for (let i = 0; i < n; i++) {
    const c = name.charCodeAt(i);
    // Equivalent mutants, not disabled (the line's other mutants are killed): `c >= 128` only spares the table lookup, undefined for c >= 128.
    if (c >= 128 || TOKEN[c] !== 1 || (c <= 90 && c >= 65)) return false;
  }
  // Stryker disable next-line ConditionalExpression,EqualityOperator: a cache of names already checked: filling it more, less or not at all gives the same answers
  if (LOWER_TOKENS.size < 1024) LOWER_TOKENS.add(name);
  return true;
}

/** Fills `headers` from any HeadersInit, with the same errors as the Headers constructor. */
function fill(headers: LightHeaders, init: unknown): void {
  if (init === null || (typeof init !== 'object' && typeof init !== 'function')) {
    throw new TypeError(
      'Headers constructor: Argument 1 could not be converted to one of: sequence<sequence<ByteString>>, record<ByteString, ByteString>.',
    );
  }
  // Stryker disable next-line ConditionalExpression,BlockStatement: light headers are iterable: the pair path below copies the same entries, Set-Cookie ones apart
  if (isLightHeaders(init)) {
    const source = headerStore(init);
    const target = headerStore(headers);
    for (const [name, value] of source.map) target.map.set(name, value);
    for (const cookie of source.cookies ?? []) headers.append('set-cookie', cookie);
    return;
  }
  if (typeof (init as Iterable<unknown>)[Symbol.iterator] === 'function') {
    for (const pair of init as Iterable<unknown>) {
      // Equivalent mutants, not disabled (the line's other mutants are killed): `typeof pair === 'string'` is implied by `typeof pair !== 'object'`.
      const items = typeof pair === 'string' || pair === null || typeof pair !== 'object' ? undefined : [...(pair as Iterable<unknown>)];
      if (!items || items.length !== 2) {
        throw new TypeError(`Headers constructor: expected name/value pair to be length 2, found ${items ? items.length : 0}.`);
      }
      headers.append(items[0] as string, items[1] as string);
    }
    return;
  }
  const record = init as Record<string, unknown>;
  // As undici: every own key, an undefined value becoming the text "undefined". appendRecordEntry is
  // append() for a headers object that is new and not frozen, with the name checked in one scan.
  for (const name of Object.keys(record)) appendRecordEntry(headers, name, record[name]);
}

linkLight('Headers', LightHeaders);
