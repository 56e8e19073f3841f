/** Fetch Response parts -> the framework's Express response, written with node:http primitives only. */
import type { ResponseParts } from '../../core/http.js';
import type { GcpResponse } from './types.js';

/**
 * Connection-level headers describe the hop to the handler's own body stream; node:http frames the
 * buffered body itself, so passing them on could contradict what it writes.
 */
export const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection']);

export type ResponseSink = Pick<GcpResponse, 'setHeader' | 'end' | 'statusCode' | 'statusMessage' | 'headersSent'>;

/**
 * Writes status, every header (each Set-Cookie as its own line) and the exact body bytes.
 * `res.end(Buffer)` rather than Express's `res.send`, which would add an ETag or a Content-Type
 * and turn strings into UTF-8 of its choosing.
 */
export function writeResponse(res: ResponseSink, parts: ResponseParts, statusText = ''): void {
  res.statusCode = parts.status;
  if (statusText) res.statusMessage = statusText;
  for (const name in parts.headers) {
    if (!HOP_BY_HOP.has(name)) res.setHeader(name, parts.headers[name]!);
  }
  if (parts.cookies.length > 0) res.setHeader('set-cookie', parts.cookies);
  // A text body (light Response) is written as the string: node encodes it to the same UTF-8 bytes.
  if (parts.text !== undefined) res.end(parts.text, 'utf8');
  else if (parts.body === undefined) res.end();
  else res.end(Buffer.from(parts.body.buffer, parts.body.byteOffset, parts.body.byteLength));
}

/** A plain-text answer the adapter gives itself (400 for a malformed request, 500 when writing failed). */
export function writeText(res: ResponseSink, status: number, text: string): void {
  writeResponse(res, {
    status,
    headers: { 'content-type': 'text/plain; charset=utf-8' },
    cookies: [],
    // Stryker disable next-line StringLiteral: Buffer.from takes an empty encoding as its default, UTF-8
    body: Buffer.from(text, 'utf8'),
  });
}
