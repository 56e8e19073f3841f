/**
 * The Functions host's HTTP routing (pure): ASP.NET Core route templates as `@azure/functions` registers
 * them (`items/{id}`, `files/{*path}`, `{name?}`, `{name:regex(...)}`), behind `extensions.http.routePrefix`.
 *
 * What the host does and this reproduces:
 * - an empty route means the function's name (HttpInitializationService);
 * - literal segments compare case-insensitively; a trailing slash on the path is ignored;
 * - the path is matched decoded, except `%2F`, which Kestrel leaves encoded; route values are decoded the same way;
 * - the most specific template wins (literal, then constrained parameter, then parameter, then catch-all),
 *   and a template whose method list lacks the request method does not match: no route -> 404.
 * Auth levels are not enforced, as in Core Tools (`func start`), which runs every function anonymously.
 */

export type TemplateSegment =
  | { readonly kind: 'literal'; readonly value: string }
  | { readonly kind: 'param'; readonly name: string; readonly optional: boolean; readonly constraints: readonly RegExp[] }
  | { readonly kind: 'catchAll'; readonly name: string };

export interface HostRoute<T> {
  readonly target: T;
  readonly template: string;
  readonly segments: readonly TemplateSegment[];
  /** Upper-case; undefined lets every method through. */
  readonly methods: ReadonlySet<string> | undefined;
  /** Lower sorts first (more specific). */
  readonly precedence: readonly number[];
}

export class RouteTemplateError extends Error {
  override name = 'RouteTemplateError';
}

const PARAM = /^\{(\*)?([^{}:?*=]+)((?::[^?]+?)*)(\?)?\}$/;

/** Parses one route template; throws on syntax the emulator does not implement rather than guess. */
export function parseTemplate(template: string): TemplateSegment[] {
  const trimmed = template.replace(/^\/+/, '');
  if (trimmed === '') return [];
  const parts = trimmed.split('/');
  return parts.map((part, index): TemplateSegment => {
    if (!part.includes('{')) {
      if (part.includes('}')) throw new RouteTemplateError(`route "${template}": stray "}" in segment "${part}"`);
      return { kind: 'literal', value: part };
    }
    const m = PARAM.exec(part);
    if (!m) throw new RouteTemplateError(`route "${template}": segment "${part}" is not a whole-segment parameter, which this emulator does not implement`);
    const [, star, name = '', constraintText = '', optional] = m;
    if (star) {
      if (index !== parts.length - 1) throw new RouteTemplateError(`route "${template}": a catch-all must be the last segment`);
      return { kind: 'catchAll', name };
    }
    if (optional && index !== parts.length - 1) {
      throw new RouteTemplateError(`route "${template}": an optional parameter must be the last segment`);
    }
    return { kind: 'param', name, optional: Boolean(optional), constraints: parseConstraints(template, constraintText) };
  });
}

function parseConstraints(template: string, text: string): RegExp[] {
  if (text === '') return [];
  // ":regex(...)" may itself contain ":"; split only before known constraint names.
  const constraints: RegExp[] = [];
  for (const piece of text.slice(1).split(/:(?=regex\()/)) {
    const regex = /^regex\((.*)\)$/.exec(piece);
    if (!regex) throw new RouteTemplateError(`route "${template}": constraint "${piece}" is not implemented by this emulator (only regex(...))`);
    // ASP.NET's RegexRouteConstraint: culture-invariant, case-insensitive, not anchored.
    constraints.push(new RegExp(regex[1]!, 'i'));
  }
  return constraints;
}

/** ASP.NET inbound precedence digits per segment: literal 1, constrained parameter 3, parameter 4, catch-all 5. */
function precedenceOf(segments: readonly TemplateSegment[]): number[] {
  return segments.map((s) => (s.kind === 'literal' ? 1 : s.kind === 'catchAll' ? 5 : s.constraints.length > 0 ? 3 : 4));
}

function comparePrecedence(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

export function joinPrefix(routePrefix: string, route: string): string {
  const prefix = routePrefix.replace(/^\/+|\/+$/g, '');
  const rest = route.replace(/^\/+/, '');
  return prefix === '' ? rest : rest === '' ? prefix : `${prefix}/${rest}`;
}

export interface RouteInput<T> {
  readonly target: T;
  readonly functionName: string;
  /** As registered; empty or missing means the function name. */
  readonly route: string | undefined;
  readonly methods: readonly string[] | undefined;
}

/** Builds the route table in match order. */
export function buildRoutes<T>(inputs: readonly RouteInput<T>[], routePrefix: string): HostRoute<T>[] {
  const routes = inputs.map((input): HostRoute<T> => {
    const template = joinPrefix(routePrefix, input.route ? input.route : input.functionName);
    const segments = parseTemplate(template);
    return {
      target: input.target,
      template,
      segments,
      methods: input.methods ? new Set(input.methods.map((m) => m.toUpperCase())) : undefined,
      precedence: precedenceOf(segments),
    };
  });
  return routes.sort((a, b) => comparePrecedence(a.precedence, b.precedence) || a.template.localeCompare(b.template));
}

/** Kestrel decodes the path except `%2F`; malformed escapes stay as sent. */
export function decodePathSegment(segment: string): string {
  if (!segment.includes('%')) return segment;
  try {
    return decodeURIComponent(segment.replace(/%2F/gi, '%252F'));
  } catch {
    return segment;
  }
}

/** Route values when the template matches the raw (percent-encoded) path, else undefined. */
export function matchTemplate(segments: readonly TemplateSegment[], rawPath: string): Record<string, string> | undefined {
  let path = rawPath.replace(/^\/+/, '');
  if (path.endsWith('/')) path = path.slice(0, -1);
  const parts = path === '' ? [] : path.split('/').map(decodePathSegment);
  const values: Record<string, string> = {};
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    const part = parts[i];
    if (segment.kind === 'catchAll') {
      const rest = parts.slice(i).join('/');
      if (rest !== '') values[segment.name] = rest;
      return values;
    }
    if (part === undefined || part === '') {
      if (segment.kind === 'param' && segment.optional) return values;
      return undefined;
    }
    if (segment.kind === 'literal') {
      if (part.toLowerCase() !== segment.value.toLowerCase()) return undefined;
    } else {
      if (!segment.constraints.every((c) => c.test(part))) return undefined;
      values[segment.name] = part;
    }
  }
  return parts.length === segments.length ? values : undefined;
}

/** The first route (in precedence order) whose template matches the path and whose methods include the method. */
export function selectRoute<T>(
  routes: readonly HostRoute<T>[],
  method: string,
  rawPath: string,
): { route: HostRoute<T>; params: Record<string, string> } | undefined {
  const upper = method.toUpperCase();
  for (const route of routes) {
    if (route.methods && !route.methods.has(upper)) continue;
    const params = matchTemplate(route.segments, rawPath);
    if (params) return { route, params };
  }
  return undefined;
}
