import type { Cookie, HttpResponseInit } from '@azure/functions';
import type { ResponseParts } from '../../../core/http.js';
import { parseSetCookie } from '../cookies.js';

/**
 * Response parts -> HttpResponseInit. The body stays bytes (binary survives) or the exact text; Set-Cookie goes through
 * `cookies`, one object per header, because the headers record keeps only one of them.
 */
export function toHttpResponseInit(parts: ResponseParts, onBadCookie?: (header: string) => void): HttpResponseInit {
  const init: HttpResponseInit = { status: parts.status, headers: parts.headers };
  if (parts.cookies.length > 0) {
    const cookies: Cookie[] = [];
    for (const header of parts.cookies) {
      const cookie = parseSetCookie(header);
      if (cookie) cookies.push(cookie);
      else onBadCookie?.(header);
    }
    init.cookies = cookies;
  }
  // A text body (light Response) goes as the string when its type is set, so the host cannot imply another:
  // the library encodes it to the same UTF-8 bytes, and no copy is made here.
  if (parts.text !== undefined && parts.headers['content-type'] !== undefined) init.body = parts.text;
  else if (parts.body !== undefined) init.body = parts.body;
  return init;
}
