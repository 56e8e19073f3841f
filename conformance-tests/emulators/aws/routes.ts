/**
 * API Gateway (HTTP API) routing over faasport routes (pure).
 *
 * Routes are matched with faasport's own matcher so that the front door accepts exactly the paths the
 * function's dispatch accepts; the API Gateway spelling is used for `routeKey`. A faasport wildcard
 * matches zero or more segments while `{proxy+}` needs at least one, so a deployment has to declare both
 * `/files` and `/files/{proxy+}` (or `/` for `/*`): the routeKey names whichever of the two matched.
 */
import { compileRoute, type CompiledRoute } from '../../../core/route.js';
import type { HttpManifestFunction } from './manifest.js';

export interface HttpRoute {
  readonly fn: HttpManifestFunction;
  readonly compiled: CompiledRoute;
  /** `/items/{id}`, `/files/{proxy+}`. */
  readonly gatewayPath: string;
  /** Another function declares the same route pattern, so each is deployed for its declared methods only. */
  readonly shared: boolean;
  readonly literals: number;
  readonly params: number;
  readonly wildcard: boolean;
}

export interface RouteSelection {
  readonly fn: HttpManifestFunction;
  /** `ANY /items/{id}`, or `GET /items/{id}` when the route is shared by method. */
  readonly routeKey: string;
  /** Percent-decoded, as API Gateway passes them; undefined when the route has none. */
  readonly pathParameters: Record<string, string> | undefined;
}

/** Translates a faasport route (`/items/:id`, `/files/*`) to API Gateway syntax (`/items/{id}`, `/files/{proxy+}`). */
export function toGatewayPath(route: string): string {
  return compileRoute(route)
    .segments.map((seg) => '/' + (seg.type === 'literal' ? seg.value : seg.type === 'param' ? `{${seg.name}}` : '{proxy+}'))
    .join('') || '/';
}

/** The route a wildcard pattern also needs for its zero-segment case: `/files/*` -> `/files`, `/*` -> `/`. */
function wildcardBasePath(gatewayPath: string): string {
  const base = gatewayPath.slice(0, -'/{proxy+}'.length);
  return base === '' ? '/' : base;
}

export function buildRouteTable(functions: readonly HttpManifestFunction[]): HttpRoute[] {
  const count = new Map<string, number>();
  for (const fn of functions) count.set(fn.route, (count.get(fn.route) ?? 0) + 1);
  const routes = functions.map((fn): HttpRoute => {
    const compiled = compileRoute(fn.route);
    return {
      fn,
      compiled,
      gatewayPath: toGatewayPath(fn.route),
      shared: (count.get(fn.route) ?? 0) > 1,
      literals: compiled.segments.filter((s) => s.type === 'literal').length,
      params: compiled.segments.filter((s) => s.type === 'param').length,
      wildcard: compiled.segments.some((s) => s.type === 'wildcard'),
    };
  });
  // Most specific first, as API Gateway picks: more literal segments, then more params, greedy last.
  // Array.prototype.sort is stable, so equal routes keep manifest order (functions sorted by name).
  return routes.sort(
    (a, b) => Number(a.wildcard) - Number(b.wildcard) || b.literals - a.literals || b.params - a.params,
  );
}

function allows(fn: HttpManifestFunction, method: string): boolean {
  if (!fn.methods) return true;
  return (fn.methods as readonly string[]).includes(method) || (method === 'HEAD' && fn.methods.includes('GET'));
}

/**
 * Picks the function for a request, by the layout's method routing rule: the most specific matching route
 * pattern, then among the functions sharing it the one that allows the method. A pattern that is not shared
 * is deployed as `ANY` (its function's dispatch answers 405 for other methods); a shared one is deployed per
 * declared method, so a method none declares matches no route and API Gateway answers 404
 * (docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-routes.html: a request matching no
 * route gets 404). `rawPath` is the path as received, still percent-encoded.
 */
export function selectRoute(table: readonly HttpRoute[], method: string, rawPath: string): RouteSelection | undefined {
  let best: HttpRoute | undefined;
  let params: Record<string, string> | undefined;
  for (const route of table) {
    if (best && best.fn.route !== route.fn.route) continue;
    const matched = route.compiled.match(rawPath);
    if (!matched) continue;
    if (!best) {
      best = route;
      params = matched;
      if (!route.shared) break;
    }
    if (allows(route.fn, method)) {
      best = route;
      params = matched;
      break;
    }
  }
  if (!best || !params) return undefined;
  if (best.shared && !allows(best.fn, method)) return undefined;

  const rest = params['*'];
  const pathParameters: Record<string, string> = {};
  for (const [key, value] of Object.entries(params)) {
    if (key !== '*') pathParameters[key] = value;
  }
  let path = best.gatewayPath;
  if (rest !== undefined) {
    if (rest === '') path = wildcardBasePath(path);
    else pathParameters.proxy = rest;
  }
  const routeKey = `${best.shared ? method : 'ANY'} ${path}`;
  return { fn: best.fn, routeKey, pathParameters: Object.keys(pathParameters).length > 0 ? pathParameters : undefined };
}
