/** Declarative registration with the functions-framework, which the `--target` flag then looks up. */
import * as functions from '@google-cloud/functions-framework';
import { isFaasFunction } from '../../core/define.js';
import type { AnyFunction, HttpFunction } from '../../core/types.js';
import { adapt } from './adapt.js';
import { adaptBufferedHttp, checkTimeoutMs } from './http.js';
import { SIGNATURE_TYPES, type GcpCloudEventHandler, type GcpHttpHandler, type RegisterOptions } from './types.js';

/**
 * Registers `fn` under `name` (the deployed function's entry point): `functions.http` for http and
 * queue, `functions.cloudEvent` for the Eventarc kinds. The framework keeps registrations in its own
 * module state, so the app must import the same framework copy its CLI runs. `timeoutMs` (the deployed
 * `--timeout`, which codegen passes) gives each invocation its deadline.
 */
export function register(name: string, fn: AnyFunction, options: RegisterOptions = {}): void {
  // Stryker disable next-line ConditionalExpression: { timeoutMs: undefined } and {} are the same options (no deadline)
  const handler = adapt(fn, { name, ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }) });
  if (SIGNATURE_TYPES[fn.kind] === 'http') functions.http(name, handler as GcpHttpHandler);
  else functions.cloudEvent(name, handler as GcpCloudEventHandler);
}

/**
 * register() for an HTTP function that does not stream, as `faasport build` writes it for one: the bundle then
 * links neither the other kinds nor the streaming code. Another kind, or a streaming function, is refused.
 */
export function registerBufferedHttp(name: string, fn: HttpFunction, options: RegisterOptions = {}): void {
  if (!isFaasFunction(fn) || fn.kind !== 'http' || fn.options.stream === true) {
    throw new TypeError(
      `faasport/gcp: registerBufferedHttp("${name}") takes only an http() function that does not stream; use register() for any other`,
    );
  }
  checkTimeoutMs(options.timeoutMs);
  // Stryker disable next-line ConditionalExpression: { timeoutMs: undefined } and {} are the same options (no deadline)
  functions.http(name, adaptBufferedHttp(fn, { name, ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }) }));
}
