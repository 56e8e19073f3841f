// Default import: @azure/functions is a webpack CommonJS bundle whose named exports Node's ESM loader cannot see.
import azureFunctions from '@azure/functions';
import type { InvocationContext } from '@azure/functions';
import { isFaasFunction } from '../../core/define.js';
import type { AnyFunction, HttpFunction } from '../../core/types.js';
import { withDeadline } from './context.js';
import { bufferedHttpHandler } from './http/handler.js';
import { azureRegistrations, httpOptionsWith, type AzureRegistration } from './registration.js';
import type { RegisterOptions } from './types.js';

export { azureMethods, httpFunctionOptions } from './registration.js';

/** Azure function names: a letter, then letters, digits, `_` or `-`, at most 128 characters. */
const FUNCTION_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,127}$/;

function checkName(name: string, faasportName: string): void {
  if (typeof name !== 'string' || !FUNCTION_NAME.test(name)) {
    const derived = name === faasportName ? '' : ` (derived from "${faasportName}")`;
    throw new TypeError(
      `faasport/azure: function name ${JSON.stringify(name)}${derived} is not valid on Azure (a letter, then letters, digits, "_" or "-", at most 128 characters)`,
    );
  }
}

function call(registration: AzureRegistration): void {
  const { app } = azureFunctions;
  switch (registration.trigger) {
    case 'http':
      return app.http(registration.name, registration.options);
    case 'storageQueue':
      return app.storageQueue(registration.name, registration.options);
    case 'serviceBusTopic':
      return app.serviceBusTopic(registration.name, registration.options);
    case 'storageBlob':
      return app.storageBlob(registration.name, registration.options);
    case 'timer':
      return app.timer(registration.name, registration.options);
    case 'eventGrid':
      return app.eventGrid(registration.name, registration.options);
  }
}

/**
 * What `register` hands to `app.*`: azureRegistrations, each handler giving every invocation its deadline
 * (`options.timeoutMs`) when there is one.
 */
export function timedRegistrations(name: string, fn: AnyFunction, options: RegisterOptions = {}): AzureRegistration[] {
  const { timeoutMs } = options;
  const registrations = azureRegistrations(name, fn, options);
  // Stryker disable next-line ConditionalExpression: withDeadline without a timeout returns the handler itself, so the mapped registrations are equal
  if (timeoutMs === undefined) return registrations;
  return registrations.map((registration) => {
    const handler = withDeadline(registration.options.handler as (trigger: unknown, context: InvocationContext) => unknown, timeoutMs);
    return { ...registration, options: { ...registration.options, handler } } as AzureRegistration;
  });
}

/**
 * Registers a faasport function with the Azure Functions v4 programming model (`app.http`, `app.storageQueue`,
 * ...). Must run while the app loads, as every `app.*` call. A storage function listening to deletes becomes
 * two Azure functions (`<name>` and `<name>-deleted`, see registration.ts).
 */
export function register(name: string, fn: AnyFunction, options: RegisterOptions = {}): void {
  checkName(name, name);
  if (!isFaasFunction(fn)) {
    throw new TypeError(`faasport/azure: register("${name}") needs a function made by http(), queue(), ...; got ${fn === null ? 'null' : typeof fn}`);
  }
  const registrations = timedRegistrations(name, fn, options);
  for (const registration of registrations) checkName(registration.name, name);
  for (const registration of registrations) call(registration);
}

/**
 * register() for an HTTP function that does not stream, as `faasport build` writes it for one: the bundle then
 * links neither the other kinds nor the stream-mode code. Another kind, or a streaming function, is refused.
 */
export function registerBufferedHttp(name: string, fn: HttpFunction, options: RegisterOptions = {}): void {
  checkName(name, name);
  if (!isFaasFunction(fn) || fn.kind !== 'http' || fn.options.stream === true) {
    throw new TypeError(
      `faasport/azure: registerBufferedHttp("${name}") takes only an http() function that does not stream; use register() for any other`,
    );
  }
  const http = httpOptionsWith(bufferedHttpHandler, name, fn, options);
  const { timeoutMs } = options;
  // Stryker disable next-line ConditionalExpression: withDeadline without a timeout returns the handler itself, so both options are equal
  azureFunctions.app.http(name, timeoutMs === undefined ? http : { ...http, handler: withDeadline(http.handler, timeoutMs) });
}
