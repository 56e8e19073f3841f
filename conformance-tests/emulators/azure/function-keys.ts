/**
 * The Functions host's key check for HTTP triggers whose `authLevel` is not anonymous (pure).
 *
 * - The key travels in the `x-functions-key` header or the `code` query parameter
 *   (learn.microsoft.com/azure/azure-functions/functions-bindings-http-webhook-trigger#api-key-authorization).
 * - `function`: a function key or a host key (the master key included) opens it; `admin`: only the master key
 *   (learn.microsoft.com/azure/azure-functions/function-keys-how-to, "Understand keys").
 * - No key or a wrong one: the host answers 401 with an empty body before the worker is involved
 *   (Azure/azure-functions-host src/WebJobs.Script.WebHost/Middleware/FunctionInvocationMiddleware.cs:
 *   an unauthorized request gets `UnauthorizedResult`).
 * Keys are random per emulator start, as Azure generates them; Core Tools (`func start`) skips the check
 * locally, this emulator does not.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { AuthLevel } from '../../../core/types.js';

export interface FunctionKeys {
  /** The host's `_master` key: opens every function and the admin level. */
  readonly master: string;
  /** The `default` function key, valid for every function of the app (a host key). */
  readonly function: string;
}

/** Keys in Azure's shape: 56 base64url-ish characters ending in `==`. */
export function generateKeys(): FunctionKeys {
  const key = () => `${randomBytes(40).toString('base64url')}==`;
  return { master: key(), function: key() };
}

const same = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.byteLength === y.byteLength && timingSafeEqual(x, y);
};

/** The key a request presents: the header first, then `code`. */
export function presentedKey(headerValue: string | undefined, query: URLSearchParams): string | undefined {
  return headerValue ?? query.get('code') ?? undefined;
}

export function isAuthorized(level: AuthLevel, key: string | undefined, keys: FunctionKeys): boolean {
  if (level === 'anonymous') return true;
  if (key === undefined || key === '') return false;
  if (same(key, keys.master)) return true;
  return level === 'function' && same(key, keys.function);
}

/** Reads a binding's `authLevel` as the host does (case-insensitive; missing means function). */
export function bindingAuthLevel(value: unknown): AuthLevel {
  const level = typeof value === 'string' ? value.toLowerCase() : 'function';
  return level === 'anonymous' || level === 'admin' ? level : 'function';
}
