import { utf8Encode } from './body.js';

/** Strings are UTF-8, objects are JSON, bytes stay as they are. */
export function bytesFrom(body: string | Uint8Array | object): Uint8Array {
  if (body instanceof Uint8Array) return body;
  if (typeof body === 'string') return utf8Encode(body);
  return utf8Encode(JSON.stringify(body));
}
