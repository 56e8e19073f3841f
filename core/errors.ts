/** A native event that is not what the platform sends: the caller's fault, answered with 400. */
export class BadEventError extends Error {
  override name = 'BadEventError';
}

/** Raised by `Message.json()` and friends when the payload is not what the handler asked for. */
export class PayloadError extends Error {
  override name = 'PayloadError';
}

/** A value as an error message names it: its kind, or a short quote of a string. Never throws. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (typeof value === 'string') return value === '' ? 'an empty string' : `the string ${JSON.stringify(value.slice(0, 60))}`;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return `the ${typeof value} ${String(value)}`;
  return `${Array.isArray(value) ? 'an array' : typeof value === 'object' ? 'an object' : `a ${typeof value}`}`;
}
