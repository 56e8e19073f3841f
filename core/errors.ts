/** A native event that is not what the platform sends: the caller's fault, answered with 400. */
export class BadEventError extends Error {
  override name = 'BadEventError';
}

/** Raised by `Message.json()` and friends when the payload is not what the handler asked for. */
export class PayloadError extends Error {
  override name = 'PayloadError';
}
