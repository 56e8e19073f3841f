/** Byte and text helpers shared by adapters; no provider knowledge here. */

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export const EMPTY_BYTES = new Uint8Array(0);

export const utf8Encode = (text: string): Uint8Array => encoder.encode(text);
export const utf8Decode = (bytes: Uint8Array): string => decoder.decode(bytes);

/** Decodes base64 to exact bytes (never through a UTF-8 string: the `atob` trap). */
export function base64ToBytes(base64: string): Uint8Array {
  const buf = Buffer.from(base64, 'base64');
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}

export function bytesToBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
export function isBase64(text: string): boolean {
  return text.length % 4 === 0 && BASE64.test(text);
}

/**
 * Whether a response body of this content type can travel as a UTF-8 string.
 * Everything else goes base64 so that bytes survive.
 */
export function isTextContentType(contentType: string | null | undefined): boolean {
  if (!contentType) return false;
  const type = contentType.split(';', 1)[0]!.trim().toLowerCase();
  if (type.startsWith('text/')) return true;
  if (type.endsWith('+json') || type.endsWith('+xml')) return true;
  return TEXT_TYPES.has(type);
}

// (Types ending in +json or +xml, such as application/ld+json and image/svg+xml, are text by the suffix rule above.)
const TEXT_TYPES = new Set([
  'application/json',
  'application/xml',
  'application/javascript',
  'application/ecmascript',
  'application/x-www-form-urlencoded',
  'application/graphql',
  'application/x-ndjson',
  'application/yaml',
  'application/x-yaml',
]);

/** Whether any character of the text is beyond Latin-1 (cannot stand in a Fetch header value as is). */
export function hasNonLatin1(text: string): boolean {
  // Equivalent mutant (`<` as `<=`): charCodeAt past the end is NaN, which is not > 0xff.
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0xff) return true;
  return false;
}

/**
 * The text's UTF-8 bytes, one Latin-1 character per byte: how Node's HTTP server (and so Cloud Run) presents
 * a header sent as UTF-8. `Buffer.from(value, 'latin1').toString('utf8')` gives the text back.
 */
export const utf8AsLatin1 = (text: string): string => Buffer.from(text).toString('latin1');
