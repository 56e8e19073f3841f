import type { AnyFunction, HttpFunction } from '../../core/types.js';
import { adaptHttp } from './http.js';
import { SUPPORTED_KINDS, type AdaptOptions, type GcpHttpHandler } from './types.js';

/**
 * Turns a faasport function into the native functions-framework handler: `(req, res)` for HTTP.
 * CloudEvent kinds (topic, storage, schedule, event, queue via Pub/Sub push) are not adapted yet.
 */
export function adapt(fn: HttpFunction, options?: AdaptOptions): GcpHttpHandler;
export function adapt(fn: AnyFunction, options?: AdaptOptions): GcpHttpHandler;
export function adapt(fn: AnyFunction, options: AdaptOptions = {}): GcpHttpHandler {
  if (typeof fn !== 'object' || fn === null || typeof fn.handler !== 'function') {
    throw new TypeError('faasport/gcp: adapt() needs a function defined with http(), queue(), topic(), ...');
  }
  switch (fn.kind) {
    case 'http':
      return adaptHttp(fn, options);
    default:
      throw new TypeError(
        `faasport/gcp: ${String(fn.kind)} functions are not supported yet on GCP` +
          `${options.name ? ` (function "${options.name}")` : ''}; supported kinds: ${SUPPORTED_KINDS.join(', ')}`,
      );
  }
}
