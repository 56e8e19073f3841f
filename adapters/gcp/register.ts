/** Declarative registration with the functions-framework, which the `--target` flag then looks up. */
import * as functions from '@google-cloud/functions-framework';
import type { AnyFunction } from '../../core/types.js';
import { adapt } from './adapt.js';

/**
 * Registers `fn` under `name` (the deployed function's entry point). The framework keeps
 * registrations in its own module state, so the app must import the same framework copy its CLI runs.
 */
export function register(name: string, fn: AnyFunction): void {
  functions.http(name, adapt(fn, { name }));
}
