/** Route patterns: `/items/:id` (one segment), `/files/*` (the rest, zero or more segments, last only). */

export type RouteSegment =
  | { readonly type: 'literal'; readonly value: string }
  | { readonly type: 'param'; readonly name: string }
  | { readonly type: 'wildcard' };

export interface CompiledRoute {
  readonly pattern: string;
  readonly segments: readonly RouteSegment[];
  /** Returns decoded params when `pathname` (as on the wire, percent-encoded) matches, else undefined. */
  match(pathname: string): Record<string, string> | undefined;
}

const PARAM_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export class RouteError extends TypeError {
  override name = 'RouteError';
}

export function parseRoute(pattern: string): RouteSegment[] {
  if (typeof pattern !== 'string' || !pattern.startsWith('/')) {
    throw new RouteError(`faasport: route "${String(pattern)}" must start with "/" (for example "/items/:id")`);
  }
  const parts = pattern === '/' ? [] : pattern.slice(1).split('/');
  const seen = new Set<string>();
  return parts.map((part, index): RouteSegment => {
    if (part === '*') {
      if (index !== parts.length - 1) {
        throw new RouteError(`faasport: route "${pattern}": "*" may only be the last segment`);
      }
      return { type: 'wildcard' };
    }
    if (part.startsWith(':')) {
      const name = part.slice(1);
      if (!PARAM_NAME.test(name)) {
        throw new RouteError(`faasport: route "${pattern}": parameter ":${name}" must be a name like ":id"`);
      }
      if (seen.has(name)) throw new RouteError(`faasport: route "${pattern}": parameter ":${name}" appears twice`);
      seen.add(name);
      return { type: 'param', name };
    }
    if (part === '' && index !== parts.length - 1) {
      throw new RouteError(`faasport: route "${pattern}" has an empty segment ("//")`);
    }
    if (/[:*{}?#]/.test(part)) {
      throw new RouteError(`faasport: route "${pattern}": segment "${part}" may not contain ":", "*", "{", "}", "?" or "#"`);
    }
    return { type: 'literal', value: part };
  });
}

function decodeSegment(segment: string): string {
  // A speed-up only (mutants here are equivalent): decodeURIComponent leaves text without "%" as it is.
  if (!segment.includes('%')) return segment;
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment; // malformed escapes stay as sent rather than failing the request
  }
}

const cache = new Map<string, CompiledRoute>();

// A deployed function asks for its one route on every call: answered before the Map.
let lastPattern: string | undefined;
let lastCompiled: CompiledRoute | undefined;

export function compileRoute(pattern: string): CompiledRoute {
  // (Both caches are speed-ups: without either, the same pattern compiles to an equal route.)
  if (pattern === lastPattern) return lastCompiled!;
  const cached = cache.get(pattern);
  if (cached) {
    lastPattern = pattern;
    lastCompiled = cached;
    return cached;
  }
  const segments = parseRoute(pattern);
  const last = segments[segments.length - 1];
  const hasWildcard = last?.type === 'wildcard';
  const fixed = hasWildcard ? segments.length - 1 : segments.length;
  // A trailing slash in the pattern ("/items/") is kept as an empty literal segment.
  // The path's segments are what `pathname.slice(1).split('/')` gives ("/" and "" have none), read in place
  // (no array): routing runs on every invocation.
  const match = (pathname: string): Record<string, string> | undefined => {
    const length = pathname.length;
    const params: Record<string, string> = {};
    let start = 1;
    // No segments at all. (`length <= 1` only saves the compares, which imply it.)
    let done = length <= 1 && (pathname === '/' || pathname === '');
    for (let i = 0; i < fixed; i++) {
      if (done) return undefined;
      let end = pathname.indexOf('/', start);
      if (end === -1) {
        end = length;
        done = true;
      }
      const seg = segments[i]!;
      if (seg.type === 'literal') {
        // (slice and compare: cheaper in V8 than startsWith with a position)
        const part = pathname.slice(start, end);
        if (part !== seg.value && decodeSegment(part) !== seg.value) return undefined;
      } else if (seg.type === 'param') {
        // (Always true here, the wildcard being past `fixed`; kept for the type narrowing.)
        if (end === start) return undefined;
        params[seg.name] = decodeSegment(pathname.slice(start, end));
      }
      start = end + 1;
    }
    if (!hasWildcard) return done ? params : undefined;
    // (When done, start is past the end and the slice below would give '' too.)
    if (done) params['*'] = '';
    else {
      const rest = pathname.slice(start);
      // (includes('%') only spares the split: decodeSegment leaves a segment without '%' as it is.)
      params['*'] = rest.includes('%') ? rest.split('/').map(decodeSegment).join('/') : rest;
    }
    return params;
  };
  const compiled: CompiledRoute = { pattern, segments, match };
  cache.set(pattern, compiled);
  return compiled;
}
