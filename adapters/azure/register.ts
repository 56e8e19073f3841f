// Default import: @azure/functions is a webpack CommonJS bundle whose named exports Node's ESM loader cannot see.
import azureFunctions from '@azure/functions';
import type { HttpFunctionOptions, HttpMethod as AzureHttpMethod } from '@azure/functions';
import { isFaasFunction } from '../../core/define.js';
import { HTTP_METHODS, type AnyFunction, type HttpFunction } from '../../core/types.js';
import { httpHandler } from './http/handler.js';
import { toAzureRoute } from './route.js';
import type { RegisterOptions } from './types.js';

/** Azure function names: a letter, then letters, digits, `_` or `-`, at most 128 characters. */
const FUNCTION_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,127}$/;

/** The methods the host routes to the function; HEAD comes with GET, as faasport's dispatch allows it. */
export function azureMethods(methods: RegisterOptions['methods'] = 'any'): AzureHttpMethod[] {
  if (methods === 'any' || methods.length === 0) return [...HTTP_METHODS];
  const list: AzureHttpMethod[] = [...methods];
  if (list.includes('GET') && !list.includes('HEAD')) list.push('HEAD');
  return list;
}

/** What `register` hands to `app.http` (pure, so codegen and tests can look at it). */
export function httpFunctionOptions(name: string, fn: HttpFunction, options: RegisterOptions = {}): HttpFunctionOptions {
  return {
    route: toAzureRoute(fn.options.route),
    methods: azureMethods(options.methods),
    authLevel: fn.options.authLevel ?? 'anonymous',
    handler: httpHandler(fn, { name }),
  };
}

/**
 * Registers a faasport function with the Azure Functions v4 programming model (`app.http`, ...). Must run
 * while the app loads, as every `app.*` call.
 */
export function register(name: string, fn: AnyFunction, options: RegisterOptions = {}): void {
  if (typeof name !== 'string' || !FUNCTION_NAME.test(name)) {
    throw new TypeError(
      `faasport/azure: function name ${JSON.stringify(name)} is not valid on Azure (a letter, then letters, digits, "_" or "-", at most 128 characters)`,
    );
  }
  if (!isFaasFunction(fn)) {
    throw new TypeError(`faasport/azure: register("${name}") needs a function made by http(), queue(), ...; got ${fn === null ? 'null' : typeof fn}`);
  }
  switch (fn.kind) {
    case 'http':
      azureFunctions.app.http(name, httpFunctionOptions(name, fn, options));
      return;
    case 'queue':
    case 'topic':
    case 'storage':
    case 'schedule':
    case 'event':
      throw new TypeError(`faasport/azure: ${fn.kind} functions are not supported yet (only http for now)`);
    default:
      throw new TypeError(`faasport/azure: register() got a function of unknown kind "${String((fn as { kind: unknown }).kind)}"`);
  }
}
