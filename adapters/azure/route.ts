import { parseRoute } from '../../core/route.js';

/**
 * The Functions host maps an empty route to the function's name (HttpInitializationService: `if
 * (string.IsNullOrEmpty(route)) route = function.Name`), so "/" cannot be "". An optional parameter whose
 * regex only accepts the empty string matches exactly the root path and nothing else.
 */
export const AZURE_ROOT_ROUTE = '{faasport_root:regex(^$)?}';

/**
 * Translates a faasport route into an Azure Functions route template (routePrefix "" in host.json):
 * `/items/:id` -> `items/{id}`, `/files/*` -> `files/{*path}`, `/*` -> `{*path}`, `/` -> the root template.
 * The catch-all is named `path` unless the route already has a `:path` parameter, then `_path`, `__path`, ...
 */
export function toAzureRoute(route: string): string {
  const segments = parseRoute(route);
  if (segments.length === 0) return AZURE_ROOT_ROUTE;
  const used = new Set<string>();
  for (const segment of segments) if (segment.type === 'param') used.add(segment.name.toLowerCase());
  // Azure compares route parameter names case-insensitively.
  let rest = 'path';
  while (used.has(rest)) rest = `_${rest}`;
  return segments
    .map((segment) => {
      switch (segment.type) {
        case 'literal':
          return segment.value;
        case 'param':
          return `{${segment.name}}`;
        case 'wildcard':
          return `{*${rest}}`;
      }
    })
    .join('/');
}
