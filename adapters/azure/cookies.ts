import type { Cookie } from '@azure/functions';

/**
 * Set-Cookie strings -> the `cookies` field of an Azure HttpResponseInit.
 *
 * Why: `@azure/functions` turns response headers into a plain record, so several Set-Cookie headers collapse
 * into one. Each cookie must travel as a `Cookie` object; the Functions host then writes it with ASP.NET
 * Core's `Response.Cookies.Append(name, Uri.EscapeDataString(value), options)`, which prints
 * `name=value; expires=<RFC 1123>; max-age=N; domain=D; path=P; secure; samesite=lax|strict|none; httponly`.
 *
 * What survives (same meaning, attribute names lower-cased by the host):
 * - name, Domain, Path, Expires (whole seconds), Max-Age (whole seconds), Secure, HttpOnly, SameSite.
 * - the value, exactly, when it is made of `A-Z a-z 0-9 - . _ ~` and `%XX` escapes in upper case (JWTs,
 *   UUIDs, URL-encoded values): the host's escaping is undone ahead of time (see `hostSafeValue`).
 *
 * What does not:
 * - any other character in a value (`=`, `/`, `+`, `"`, space, lower-case `%2f`, ...) arrives percent-encoded;
 * - a cookie without Path gets `path=/` (ASP.NET's CookieOptions default);
 * - Partitioned, Priority and any other attribute are dropped: the worker protocol has no field for them;
 * - an Expires at or before 1970-01-01T00:00:00Z would be dropped by `@azure/functions`, so it is sent as
 *   1970-01-01T00:00:01Z (still in the past: the cookie is deleted just the same);
 * - a negative Max-Age makes the host fail the response, so it is sent as 0 (same meaning: expire now).
 */
export function parseSetCookie(header: string): Cookie | undefined {
  // Stryker disable next-line StringLiteral: split always yields a first element, so the default is never used
  const [pair = '', ...attributes] = header.split(';');
  const eq = pair.indexOf('=');
  // Stryker disable next-line EqualityOperator: at eq 0 the name is empty, refused on the next lines all the same
  if (eq <= 0) return undefined; // nameless cookies cannot be written by the host
  const name = pair.slice(0, eq).trim();
  if (name === '') return undefined;
  const cookie: Cookie = { name, value: hostSafeValue(pair.slice(eq + 1).trim()) };
  for (const attribute of attributes) {
    const at = attribute.indexOf('=');
    const key = (at === -1 ? attribute : attribute.slice(0, at)).trim().toLowerCase();
    const value = at === -1 ? '' : attribute.slice(at + 1).trim();
    switch (key) {
      case 'domain':
        if (value) cookie.domain = value;
        break;
      case 'path':
        if (value) cookie.path = value;
        break;
      case 'expires': {
        const time = Date.parse(value);
        if (!Number.isNaN(time)) cookie.expires = new Date(Math.max(time, 1000));
        break;
      }
      case 'max-age':
        if (/^-?\d+$/.test(value)) cookie.maxAge = Math.max(0, Number(value));
        break;
      case 'secure':
        cookie.secure = true;
        break;
      case 'httponly':
        cookie.httpOnly = true;
        break;
      case 'samesite': {
        const mode = SAME_SITE[value.toLowerCase()];
        if (mode) cookie.sameSite = mode;
        break;
      }
      // Stryker disable next-line ConditionalExpression: the last clause only breaks, so emptying it changes nothing
      default:
        break; // Partitioned, Priority, extensions: no field for them in the worker protocol
    }
  }
  return cookie;
}

const SAME_SITE: Record<string, Cookie['sameSite']> = { strict: 'Strict', lax: 'Lax', none: 'None' };

/** .NET's `Uri.EscapeDataString`: everything but RFC 3986 unreserved characters, upper-case hex. */
export function escapeDataString(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * The value to hand to the host so that the host's `Uri.EscapeDataString` gives back the original text.
 * Possible exactly when the original is already in escaped form; otherwise the original goes as it is.
 */
export function hostSafeValue(value: string): string {
  // Stryker disable next-line ConditionalExpression,StringLiteral: a fast path: text without '%' decodes to itself, and either branch below then returns it
  if (!value.includes('%')) return value;
  let decoded: string;
  // Stryker disable BlockStatement: without the catch's return, decoded stays undefined, whose escape "undefined" never equals a value holding '%': value is returned all the same
  try {
    decoded = decodeURIComponent(value);
  } catch {
    return value;
  }
  // Stryker restore BlockStatement
  return escapeDataString(decoded) === value ? decoded : value;
}
