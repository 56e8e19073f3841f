import type { InvocationContext } from '@azure/functions';
import { isFaasFunction } from '../../core/define.js';
import type { AnyFunction, HttpFunction } from '../../core/types.js';
import { httpHandler } from './http/handler.js';
import type { AdaptOptions, AzureHttpHandler } from './types.js';

/**
 * Turns a faasport function into a native Azure Functions v4 handler `(trigger, context)`.
 * One branch per kind; each kind's handler lives in its own module.
 */
export function adapt(fn: HttpFunction, options?: AdaptOptions): AzureHttpHandler;
export function adapt(fn: AnyFunction, options?: AdaptOptions): (trigger: never, context: InvocationContext) => Promise<unknown>;
export function adapt(fn: AnyFunction, options: AdaptOptions = {}): (trigger: never, context: InvocationContext) => Promise<unknown> {
  if (!isFaasFunction(fn)) {
    throw new TypeError(
      `faasport/azure: adapt() needs a function made by http(), queue(), topic(), storage(), schedule() or event(); got ${fn === null ? 'null' : typeof fn}`,
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
      throw new TypeError(`faasport/azure: ${fn.kind} functions are not supported yet (only http for now)`);
    default:
      throw new TypeError(`faasport/azure: adapt() got a function of unknown kind "${String((fn as { kind: unknown }).kind)}"`);
  }
}
