import { isFaasFunction } from '../../core/define.js';
import type { AnyFunction, HttpFunction } from '../../core/types.js';
import { httpHandler } from './http/handler.js';
import type { AdaptOptions, AwsHttpHandler, LambdaContext } from './types.js';

/**
 * Turns a faasport function into a native Lambda handler: `export const handler = adapt(fn, { name })`.
 * One branch per kind; each kind's handler lives in its own module.
 */
export function adapt(fn: HttpFunction, options?: AdaptOptions): AwsHttpHandler;
export function adapt(fn: AnyFunction, options?: AdaptOptions): (event: never, context: LambdaContext) => Promise<unknown>;
export function adapt(fn: AnyFunction, options: AdaptOptions = {}): (event: never, context: LambdaContext) => Promise<unknown> {
  if (!isFaasFunction(fn)) {
    throw new TypeError(
      `faasport/aws: adapt() needs a function made by http(), queue(), topic(), storage(), schedule() or event(); got ${fn === null ? 'null' : typeof fn}`,
    );
  }
  switch (fn.kind) {
    case 'http':
      return httpHandler(fn, options);
    case 'queue':
    case 'topic':
    case 'storage':
    case 'schedule':
    case 'event':
      throw new TypeError(`faasport/aws: adapt() does not support ${fn.kind} functions yet (only http for now)`);
    default:
      throw new TypeError(`faasport/aws: adapt() got a function of unknown kind "${String((fn as { kind: unknown }).kind)}"`);
  }
}
