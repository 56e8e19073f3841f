/**
 * The entry modules esbuild bundles (pure text): they import the user's functions and hand them to the
 * provider adapter. `faasport/<provider>` is resolved to faasport's own code by bundle.ts.
 */
import { resolve } from 'node:path';
import { HTTP_EVENT_SOURCES, type HttpEventSource } from '../adapters/aws/types.js';
import type { FunctionKind, Provider } from '../core/types.js';
import { DEFAULT_AWS_HTTP_EVENTS } from './aws-http-events.js';
import { gcpSettings } from './emit/gcp.js';
import { AZURE_DEFAULT_TIMEOUT_SECONDS } from './platforms/azure.js';
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

/** The faasport/aws reader of each kind of HTTP event (`--aws-http-events`). */
const AWS_HTTP_READERS = {
  'apigw-v2': 'apiGatewayV2Events',
  'apigw-v1': 'apiGatewayV1Events',
  alb: 'albEvents',
} as const satisfies Record<HttpEventSource, string>;

/**
 * AWS: one module per function, `export const handler = adaptQueue(fn, { name })` (the adapter of its kind).
 * An HTTP function reads the kinds of event in `httpEvents`: `adaptBufferedHttpFor([apiGatewayV2Events], fn,
 * { name })` links only the listed shapes and, unless the function streams, none of the streaming code.
 */
export function awsStub(fn: DiscoveredFunction, cwd: string, httpEvents: readonly HttpEventSource[] = DEFAULT_AWS_HTTP_EVENTS): string {
  const source = `import { ${fn.exportName === 'default' ? 'default' : fn.exportName} as fn } from ${str(resolve(cwd, fn.file))};`;
  const readers = HTTP_EVENT_SOURCES.filter((id) => httpEvents.includes(id)).map((id) => AWS_HTTP_READERS[id]);
  if (fn.kind === 'http' && fn.options.stream === true) {
    // Function URLs (RESPONSE_STREAM) send payload 2.0 events; ALB cannot stream, so its reader is left out.
    const streaming = readers.filter((reader) => reader !== AWS_HTTP_READERS.alb);
    if (!streaming.includes(AWS_HTTP_READERS['apigw-v2'])) streaming.unshift(AWS_HTTP_READERS['apigw-v2']);
    return [
      `import { adaptStreamingHttpFor, ${streaming.join(', ')} } from ${str('faasport/aws')};`,
      source,
      "// Lambda's Node.js runtime defines the awslambda global before it loads this module.",
      `export const handler = awslambda.streamifyResponse(adaptStreamingHttpFor([${streaming.join(', ')}], fn, { name: ${str(fn.name)} }));`,
      '',
    ].join('\n');
  }
  if (fn.kind === 'http') {
    // Every listed reader, all three included: with each kind read, adaptHttp's run-time detection is the same.
    return [
      `import { adaptBufferedHttpFor, ${readers.join(', ')} } from ${str('faasport/aws')};`,
      source,
      `export const handler = adaptBufferedHttpFor([${readers.join(', ')}], fn, { name: ${str(fn.name)} });`,
      '',
    ].join('\n');
  }
  const adapter = AWS_ADAPTERS[fn.kind];
  return [`import { ${adapter} } from ${str('faasport/aws')};`, source, `export const handler = ${adapter}(fn, { name: ${str(fn.name)} });`, ''].join('\n');
}

/**
 * The timeout each function runs under once deployed, in milliseconds, which `register` turns into
 * `ctx.deadline` (neither platform tells the function): on Azure host.json's `functionTimeout`, one per app,
 * the largest any function sets (emit/azure.ts appTimeout); on GCP the function's `--timeout` (emit/gcp.ts).
 */
export function deployedTimeoutMs(provider: 'azure' | 'gcp', functions: readonly DiscoveredFunction[]): (fn: DiscoveredFunction) => number {
  if (provider === 'gcp') return (fn) => gcpSettings(fn).timeout * 1000;
  const set = functions.flatMap((fn) => (fn.options.timeout === undefined ? [] : [fn.options.timeout]));
  const appSeconds = set.length > 0 ? Math.max(...set) : AZURE_DEFAULT_TIMEOUT_SECONDS;
  return () => appSeconds * 1000;
}

/**
 * Azure and GCP: one module registering every function (an HTTP function that does not stream with
 * registerBufferedHttp, any other with register), each with the timeout it is deployed with. On Azure,
 * a function whose route pattern is shared is registered for its own methods (the method routing rule);
 * otherwise for every method.
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
  // registerBufferedHttp links no other kind and no streaming code; register (any kind) only when an app needs it.
  const buffered = (fn: DiscoveredFunction) => isHttp(fn) && fn.options.stream !== true;
  const registrars = [...(functions.some((fn) => !buffered(fn)) ? ['register'] : []), ...(functions.some(buffered) ? ['registerBufferedHttp'] : [])];
  const lines = [`import { ${registrars.join(', ')} } from ${str(`faasport/${provider}`)};`];
  // Stream mode is one switch for the whole app, set before the host asks for the worker's capabilities.
  const streams = provider === 'azure' && functions.some((fn) => isHttp(fn) && fn.options.stream === true);
  if (streams) lines.push(`import azureFunctions from ${str('@azure/functions')};`);
  for (const [file, imports] of byFile) {
    lines.push(`import { ${imports.map((i) => `${i.exportName} as ${i.local}`).join(', ')} } from ${str(file)};`);
  }
  if (streams) lines.push('azureFunctions.app.setup({ enableHttpStream: true });');
  const timeoutMs = deployedTimeoutMs(provider, functions);
  for (const fn of functions) {
    const methods = provider === 'azure' && isHttp(fn) ? deployedMethods(fn, shared) : 'any';
    const options = [...(methods === 'any' ? [] : [`methods: ${JSON.stringify(methods)}`]), `timeoutMs: ${timeoutMs(fn)}`];
    lines.push(`${buffered(fn) ? 'registerBufferedHttp' : 'register'}(${str(fn.name)}, ${locals.get(fn)}, { ${options.join(', ')} });`);
  }
  return `${lines.join('\n')}\n`;
}

/** Entry name (bundle path without extension) -> stub source, per provider. */
export function stubsFor(
  provider: Provider,
  functions: readonly DiscoveredFunction[],
  cwd: string,
  awsHttpEvents: readonly HttpEventSource[] = DEFAULT_AWS_HTTP_EVENTS,
): Map<string, string> {
  if (provider === 'aws') return new Map(functions.map((fn) => [`${fn.name}/index`, awsStub(fn, cwd, awsHttpEvents)]));
  return new Map([['index', registerStub(provider, functions, cwd)]]);
}
