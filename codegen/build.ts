/** `faasport build` as a function: discover, validate, emit manifests, bundle, write — providers in parallel. */
import { existsSync, readFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { HttpEventSource } from '../adapters/aws/types.js';
import { DEFAULT_NODE_RUNTIME, PROVIDERS, type FunctionSettings, type NodeRuntime, type Provider } from '../core/types.js';
import { checkAwsHttpEvents, DEFAULT_AWS_HTTP_EVENTS } from './aws-http-events.js';
import { bundleProvider } from './bundle.js';
import { defaultEntries } from './entries.js';
import { discover, type DiscoveredFunction } from './discover.js';
import { awsFiles } from './emit/aws.js';
import { azureFiles } from './emit/azure.js';
import { gcpFiles } from './emit/gcp.js';
import type { EmitInput, OutputFile } from './emit/types.js';
import { CodegenError, formatProblem } from './errors.js';
import { faasportPaths, providerVersions, type FaasportPaths } from './faasport-paths.js';
import { azureAppWideNotes } from './emit/azure.js';
import { mergeSettings, settingOrigins, type SettingOrigins } from './options.js';
import type { ConfigLocations } from './config.js';
import { checkOutDir, writeOutput } from './output.js';
import { checkRuntime, parseRuntime } from './runtime.js';
import { assertValid, buildWarnings } from './validate.js';

export const DEFAULT_OUT_DIR = '.faasport';

export interface BuildOptions {
  /** Files or folders (default: `src` if it exists, else the project folder). */
  readonly entries?: readonly string[];
  /** Default: all three. */
  readonly providers?: readonly Provider[];
  /** Default `.faasport`; each provider writes into `<outDir>/<provider>/`. */
  readonly outDir?: string;
  /** Project folder (default process.cwd()); paths in manifests are relative to it. */
  readonly cwd?: string;
  readonly sourcemap?: boolean;
  /** Minify bundles (default true); false keeps them readable for debugging. */
  readonly minify?: boolean;
  /** Allow an output folder outside the project, or over files faasport did not write. */
  readonly force?: boolean;
  /**
   * The kinds of Lambda HTTP event the AWS bundles of HTTP functions read (`--aws-http-events`): default
   * `['apigw-v2']`, what the generated template's HTTP API sends; only these shapes are bundled.
   */
  readonly awsHttpEvents?: readonly HttpEventSource[];
  /** The Node version every provider's manifest and bundle target (default 'node24'). */
  readonly runtime?: NodeRuntime;
  /** Settings of every function that sets none itself (faasport.config.ts `defaults`). */
  readonly defaults?: FunctionSettings;
  /** Settings per function name, over the function's own (faasport.config.ts `functions`). */
  readonly functions?: Readonly<Record<string, FunctionSettings>>;
  /** Where `defaults` and `functions` are written in faasport.config.ts: problems with their values are reported there. */
  readonly configLocations?: ConfigLocations;
  /** The day support dates are checked against (default now; tests pin it). */
  readonly today?: Date;
}

export interface ProviderBuild {
  readonly provider: Provider;
  /** Absolute path of `<outDir>/<provider>`. */
  readonly dir: string;
  readonly files: readonly { readonly path: string; readonly bytes: number }[];
  readonly changed: readonly string[];
  readonly removed: readonly string[];
  /** Stale files left in place because they changed since faasport wrote them. */
  readonly kept: readonly string[];
  readonly ms: number;
}

export interface BuildResult {
  readonly functions: readonly DiscoveredFunction[];
  readonly outDir: string;
  readonly providers: readonly ProviderBuild[];
  readonly discoverMs: number;
  readonly ms: number;
  readonly runtime: NodeRuntime;
  /** Things the user should know that do not stop the build (a runtime near its end of support, ...). */
  readonly warnings: readonly string[];
}

const EMITTERS: Readonly<Record<Provider, (input: EmitInput) => OutputFile[]>> = { aws: awsFiles, azure: azureFiles, gcp: gcpFiles };

/** An npm-valid package name for the generated package.json files, from the user's package.json. */
export function appNameOf(cwd: string): string {
  const file = join(cwd, 'package.json');
  let name = '';
  if (existsSync(file)) {
    try {
      name = String((JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown }).name ?? '');
    } catch {
      name = '';
    }
  }
  const safe = name
    .toLowerCase()
    .replace(/^@/, '')
    .replace(/[^a-z0-9._~-]+/g, '-')
    .replace(/^[._-]+|[-]+$/g, '')
    .slice(0, 200);
  return safe || 'faasport-app';
}

export function parseProviders(value: string | readonly string[] | undefined): Provider[] {
  const items = (Array.isArray(value) ? value : String(value ?? 'all').split(','))
    .flatMap((v: string) => v.split(','))
    .map((v: string) => v.trim().toLowerCase())
    .filter(Boolean);
  if (items.length === 0 || items.includes('all')) return [...PROVIDERS];
  const unknown = items.filter((p) => !(PROVIDERS as readonly string[]).includes(p));
  if (unknown.length > 0) throw new CodegenError({ message: `unknown provider ${unknown.map((u) => `"${u}"`).join(', ')}; use aws, azure, gcp or all` });
  return PROVIDERS.filter((p) => items.includes(p));
}

async function buildProvider(
  provider: Provider,
  functions: readonly DiscoveredFunction[],
  input: EmitInput,
  options: {
    cwd: string;
    outDir: string;
    sourcemap: boolean;
    minify: boolean;
    force: boolean;
    paths: FaasportPaths;
    awsHttpEvents: readonly HttpEventSource[];
    runtime: NodeRuntime;
  },
): Promise<ProviderBuild> {
  const started = performance.now();
  const dir = join(options.outDir, provider);
  const bundles = await bundleProvider(provider, functions, {
    cwd: options.cwd,
    outDir: dir,
    sourcemap: options.sourcemap,
    minify: options.minify,
    paths: options.paths,
    awsHttpEvents: options.awsHttpEvents,
    runtime: options.runtime,
  });
  const files = [...EMITTERS[provider](input), ...bundles].sort((a, b) => (a.path < b.path ? -1 : 1));
  const result = await writeOutput(dir, files, { force: options.force });
  return {
    provider,
    dir,
    files: files.map((f) => ({ path: f.path, bytes: typeof f.contents === 'string' ? Buffer.byteLength(f.contents) : f.contents.byteLength })),
    changed: result.changed,
    removed: result.removed,
    kept: result.kept,
    ms: performance.now() - started,
  };
}

export async function build(options: BuildOptions = {}): Promise<BuildResult> {
  const started = performance.now();
  const cwd = resolve(options.cwd ?? process.cwd());
  const outDir = resolve(cwd, options.outDir ?? DEFAULT_OUT_DIR);
  const providers = options.providers && options.providers.length > 0 ? [...new Set(options.providers)] : [...PROVIDERS];
  const entries = options.entries && options.entries.length > 0 ? [...options.entries] : defaultEntries(cwd);
  const awsHttpEvents = options.awsHttpEvents === undefined ? DEFAULT_AWS_HTTP_EVENTS : checkAwsHttpEvents(options.awsHttpEvents);
  const runtime = options.runtime === undefined ? DEFAULT_NODE_RUNTIME : parseRuntime(options.runtime, 'runtime');
  const warnings = checkRuntime(runtime, providers, options.today ?? new Date());
  checkOutDir(outDir, cwd, entries, options.force);

  const discovered = discover({ entries, cwd, exclude: [outDir] });
  const unknown = Object.keys(options.functions ?? {}).filter((name) => !discovered.functions.some((fn) => fn.name === name));
  if (unknown.length > 0) {
    throw new CodegenError({ message: `the config's functions name ${unknown.map((n) => `"${n}"`).join(', ')}, which no discovered function is called; known: ${discovered.functions.map((f) => f.name).join(', ')}` });
  }
  const functions = discovered.functions.map(
    (fn) => ({ ...fn, options: mergeSettings(fn.options, options.defaults, options.functions?.[fn.name]) }) as DiscoveredFunction,
  );
  if (functions.length === 0) {
    throw new CodegenError({
      message: `no faasport functions found in ${entries.join(', ')} (${discovered.files.length} files read); export them, e.g. \`export const hello = http({ route: '/hello' }, handler)\` with http imported from 'faasport'`,
    });
  }
  const origins = new Map<string, SettingOrigins>();
  if (options.configLocations) {
    for (const fn of discovered.functions) {
      origins.set(fn.name, settingOrigins(fn.name, fn.options, options.defaults, options.functions?.[fn.name], options.configLocations));
    }
  }
  assertValid(functions, providers, { origins, awsHttpEvents });
  warnings.push(...buildWarnings(functions, providers, { origins, awsHttpEvents }).map(formatProblem));

  const paths = faasportPaths();
  const input: EmitInput = { functions, appName: appNameOf(cwd), versions: providerVersions(paths), runtime };
  if (providers.includes('azure')) warnings.push(...azureAppWideNotes(input));
  const shared = { cwd, outDir, sourcemap: options.sourcemap ?? false, minify: options.minify ?? true, force: options.force ?? false, paths, awsHttpEvents, runtime };
  const builds = await Promise.all(providers.map((provider) => buildProvider(provider, functions, input, shared)));
  return { functions, outDir, providers: builds, discoverMs: discovered.ms, ms: performance.now() - started, runtime, warnings };
}

/** `.faasport/aws` rather than an absolute path, for messages. */
export const displayPath = (cwd: string, path: string): string => {
  const rel = relative(cwd, path);
  return rel === '' ? '.' : rel.startsWith('..') ? path : rel.split(sep).join('/');
};
