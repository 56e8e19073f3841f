/**
 * The front door's routing (pure), per the method routing rule every emulator shares: path first,
 * most specific route (more literal segments, then params, wildcard last); among those the function
 * deployed for the method. A pattern only one function has takes every method (its dispatch answers 405);
 * on a pattern several functions share, a method none declares gets 404, as API Gateway's per-method routes
 * and the Functions host's method-constrained routes answer.
 */
import { compileRoute } from '../../../core/route.js';
import type { HttpMethod } from '../../../core/types.js';

export interface RouteEntry {
  readonly name: string;
  readonly route: string;
  /** Declared methods; undefined means every method. */
  readonly methods: readonly HttpMethod[] | undefined;
}

interface CompiledEntry<T extends RouteEntry> {
  readonly entry: T;
  readonly match: (path: string) => Record<string, string> | undefined;
  /** Methods the gateway sends to it; undefined = ANY (its route pattern is not shared). */
  readonly deployed: readonly string[] | undefined;
  readonly literals: number;
  readonly params: number;
  readonly wildcard: boolean;
}

export interface Router<T extends RouteEntry> {
  /** The function that gets this request, or undefined when no route matches the path and method (404). */
  pick(method: string, path: string): T | undefined;
}

/** Methods a function is deployed for when its route is shared: the declared ones, HEAD with GET. */
export function deployedMethods(methods: readonly HttpMethod[] | undefined): readonly string[] | undefined {
  if (!methods) return undefined;
  return methods.includes('GET') && !methods.includes('HEAD') ? [...methods, 'HEAD'] : methods;
}

export function createRouter<T extends RouteEntry>(entries: readonly T[]): Router<T> {
  const patternCount = new Map<string, number>();
  for (const e of entries) patternCount.set(e.route, (patternCount.get(e.route) ?? 0) + 1);
  const compiled: CompiledEntry<T>[] = entries.map((entry) => {
    const route = compileRoute(entry.route);
    const shared = (patternCount.get(entry.route) ?? 0) > 1;
    return {
      entry,
      match: route.match,
      deployed: shared ? deployedMethods(entry.methods) : undefined,
      literals: route.segments.filter((s) => s.type === 'literal').length,
      params: route.segments.filter((s) => s.type === 'param').length,
      wildcard: route.segments.some((s) => s.type === 'wildcard'),
    };
  });
  return {
    pick(method, path) {
      let best: CompiledEntry<T>[] = [];
      for (const c of compiled) {
        if (!c.match(path)) continue;
        const order = best[0] === undefined ? -1 : compareSpecificity(c, best[0]);
        if (order < 0) best = [c];
        else if (order === 0) best.push(c);
      }
      if (best.length === 0) return undefined;
      const upper = method.toUpperCase();
      return best.find((c) => c.deployed === undefined || c.deployed.includes(upper))?.entry;
    },
  };
}

/** Negative when `a` is more specific than `b`. */
function compareSpecificity(a: CompiledEntry<RouteEntry>, b: CompiledEntry<RouteEntry>): number {
  if (a.literals !== b.literals) return b.literals - a.literals;
  if (a.params !== b.params) return b.params - a.params;
  return Number(a.wildcard) - Number(b.wildcard);
}
