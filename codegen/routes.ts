/**
 * The method routing rule shared by every provider: a route pattern used by one function is deployed for
 * every method (faasport's dispatch answers 405 with Allow); a pattern shared by several functions is
 * deployed per function for its declared methods, plus HEAD where GET is declared.
 */
import { parseRoute } from '../core/route.js';
import { HTTP_METHODS, type HttpMethod } from '../core/types.js';
import type { DiscoveredFunction, DiscoveredFunctionOf } from './discover.js';

export type HttpDiscovered = DiscoveredFunctionOf<'http'>;

export const isHttp = (fn: DiscoveredFunction): fn is HttpDiscovered => fn.kind === 'http';

/** Gateways see `/items/:id` and `/items/:key` as one path: parameters compare by position only. */
export function routeKey(route: string): string {
  const segments = parseRoute(route).map((s) => (s.type === 'literal' ? s.value : s.type === 'param' ? '{}' : '*'));
  return `/${segments.join('/')}`;
}

/** The methods a function answers: declared ones, HEAD implied by GET; undefined declared = all. */
export function effectiveMethods(methods: readonly HttpMethod[] | undefined): HttpMethod[] {
  if (!methods || methods.length === 0) return [...HTTP_METHODS];
  const list = [...methods];
  if (list.includes('GET') && !list.includes('HEAD')) list.push('HEAD');
  return HTTP_METHODS.filter((m) => list.includes(m));
}

/** Route keys used by more than one HTTP function. */
export function sharedRouteKeys(functions: readonly DiscoveredFunction[]): Set<string> {
  const counts = new Map<string, number>();
  for (const fn of functions) if (isHttp(fn)) counts.set(routeKey(fn.options.route), (counts.get(routeKey(fn.options.route)) ?? 0) + 1);
  return new Set([...counts].filter(([, n]) => n > 1).map(([key]) => key));
}

/** What the platform routes to `fn`: 'any', or its methods when its route is shared. */
export function deployedMethods(fn: HttpDiscovered, shared: ReadonlySet<string>): 'any' | HttpMethod[] {
  return shared.has(routeKey(fn.options.route)) ? effectiveMethods(fn.options.methods) : 'any';
}

/**
 * API Gateway HTTP API paths for a route: `/items/:id` -> `/items/{id}`; a trailing `*` becomes a greedy
 * `{proxy+}`, which needs at least one segment, so the bare prefix is a second path (`/files/*` ->
 * `/files/{proxy+}` and `/files`; `/*` -> `/{proxy+}` and `/`).
 */
export function awsHttpApiPaths(route: string): string[] {
  const segments = parseRoute(route);
  const used = new Set(segments.flatMap((s) => (s.type === 'param' ? [s.name] : [])));
  let greedy = 'proxy';
  while (used.has(greedy)) greedy = `${greedy}_`;
  const parts = segments.map((s) => (s.type === 'literal' ? s.value : s.type === 'param' ? `{${s.name}}` : `{${greedy}+}`));
  const path = `/${parts.join('/')}`;
  if (segments[segments.length - 1]?.type !== 'wildcard') return [path];
  const prefix = `/${parts.slice(0, -1).join('/')}`;
  return [path, prefix];
}
