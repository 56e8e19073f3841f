/**
 * The entry modules esbuild bundles (pure text): they import the user's functions and hand them to the
 * provider adapter. `faasport/<provider>` is resolved to faasport's own code by bundle.ts.
 */
import { resolve } from 'node:path';
import type { FunctionKind, Provider } from '../core/types.js';
import type { DiscoveredFunction } from './discover.js';
import { deployedMethods, isHttp, sharedRouteKeys } from './routes.js';

const str = (text: string) => JSON.stringify(text);

/** The faasport/aws adapter of one kind, so that a function's bundle links only its own kind's code. */
const AWS_ADAPTERS = {
  http: 'adaptHttp',
  queue: 'adaptQueue',
  topic: 'adaptTopic',
  storage: 'adaptStorage',
  schedule: 'adaptSchedule',
  event: 'adaptEvent',
} as const satisfies Record<FunctionKind, string>;

/** AWS: one module per function, `export const handler = adaptHttp(fn, { name })` (the adapter of its kind). */
export function awsStub(fn: DiscoveredFunction, cwd: string): string {
  const adapter = AWS_ADAPTERS[fn.kind];
  return [
    `import { ${adapter} } from ${str('faasport/aws')};`,
    `import { ${fn.exportName === 'default' ? 'default' : fn.exportName} as fn } from ${str(resolve(cwd, fn.file))};`,
    `export const handler = ${adapter}(fn, { name: ${str(fn.name)} });`,
    '',
  ].join('\n');
}

/**
 * Azure and GCP: one module registering every function. On Azure, a function whose route pattern is
 * shared is registered for its own methods (the method routing rule); otherwise for every method.
 */
export function registerStub(provider: 'azure' | 'gcp', functions: readonly DiscoveredFunction[], cwd: string): string {
  const shared = sharedRouteKeys(functions);
  const byFile = new Map<string, { local: string; exportName: string }[]>();
  const locals = new Map<DiscoveredFunction, string>();
  functions.forEach((fn, index) => {
    const local = `f${index}`;
    locals.set(fn, local);
    const file = resolve(cwd, fn.file);
    byFile.set(file, [...(byFile.get(file) ?? []), { local, exportName: fn.exportName }]);
  });
  const lines = [`import { register } from ${str(`faasport/${provider}`)};`];
  for (const [file, imports] of byFile) {
    lines.push(`import { ${imports.map((i) => `${i.exportName} as ${i.local}`).join(', ')} } from ${str(file)};`);
  }
  for (const fn of functions) {
    const methods = provider === 'azure' && isHttp(fn) ? deployedMethods(fn, shared) : 'any';
    const options = methods === 'any' ? '' : `, { methods: ${JSON.stringify(methods)} }`;
    lines.push(`register(${str(fn.name)}, ${locals.get(fn)}${options});`);
  }
  return `${lines.join('\n')}\n`;
}

/** Entry name (bundle path without extension) -> stub source, per provider. */
export function stubsFor(provider: Provider, functions: readonly DiscoveredFunction[], cwd: string): Map<string, string> {
  if (provider === 'aws') return new Map(functions.map((fn) => [`${fn.name}/index`, awsStub(fn, cwd)]));
  return new Map([['index', registerStub(provider, functions, cwd)]]);
}
