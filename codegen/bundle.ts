/**
 * Bundles the generated entry modules with esbuild: ESM for Node 20, minified (syntax, whitespace and
 * identifiers), names kept, no legal comments, no absolute paths (same input, same bytes). One esbuild run
 * per provider, so shared sources are parsed once however many functions there are.
 *
 * Minified identifiers make the AWS bundles about a quarter smaller (less to read and compile at cold
 * start). `keepNames` stays on: faasport itself reads no function or class name, but user code and its
 * libraries may (`this.name = this.constructor.name` in error classes, ORMs that name tables after entity
 * classes, DI containers keyed by class name), and V8 prints the kept `name` in stack traces, so frames
 * still say which function threw. Positions in those traces are in the one-line bundle: build with
 * `sourcemap` and run with `NODE_OPTIONS=--enable-source-maps` to read them as source lines, or bundle
 * with `minify: false` (whitespace and identifiers as written) to debug.
 *
 * Externals: aws none (each `<name>/index.mjs` is self-contained; the AWS SDK that the Lambda runtime
 * ships is not relied on, so the bundle behaves the same under any Node); azure `@azure/functions` (it
 * must load the worker's `@azure/functions-core` at run time); gcp `@google-cloud/functions-framework`
 * (registrations live in the framework copy its CLI runs).
 */
import { build, type BuildFailure, type Message, type Plugin } from 'esbuild';
import { relative, resolve, sep } from 'node:path';
import type { HttpEventSource } from '../adapters/aws/types.js';
import type { Provider } from '../core/types.js';
import type { DiscoveredFunction } from './discover.js';
import { CodegenError, type Problem } from './errors.js';
import { faasportPaths, type FaasportModule, type FaasportPaths } from './faasport-paths.js';
import { stubsFor } from './stubs.js';

export const PROVIDER_EXTERNALS: Readonly<Record<Provider, readonly string[]>> = {
  aws: [],
  azure: ['@azure/functions'],
  gcp: ['@google-cloud/functions-framework'],
};

/** esbuild's ESM stand-in for `require` throws this; CommonJS code that requires at run time needs the banner. */
const DYNAMIC_REQUIRE = 'Dynamic require of "';
const REQUIRE_BANNER = "import { createRequire as __faasportCreateRequire } from 'node:module'; const require = __faasportCreateRequire(import.meta.url);";

export interface BundleOptions {
  readonly cwd: string;
  /** The provider's output folder: bundle paths are relative to it (source maps point from there). */
  readonly outDir: string;
  readonly sourcemap?: boolean;
  /** Minify identifiers and whitespace (default true); false keeps the bundle readable, for debugging. */
  readonly minify?: boolean;
  readonly paths?: FaasportPaths;
  /** The kinds of Lambda HTTP event AWS HTTP bundles read (default: apigw-v2, see aws-http-events.ts). */
  readonly awsHttpEvents?: readonly HttpEventSource[];
}

export interface BundleFile {
  /** Posix path relative to the provider folder, e.g. `getItem/index.mjs` or `index.mjs`. */
  readonly path: string;
  readonly contents: Uint8Array;
}

const ENTRY_NAMESPACE = 'faasport-entry';
const ENTRY_PREFIX = `${ENTRY_NAMESPACE}:`;

function faasportPlugin(stubs: ReadonlyMap<string, string>, cwd: string, paths: FaasportPaths): Plugin {
  return {
    name: 'faasport',
    setup(b) {
      b.onResolve({ filter: /^faasport-entry:/ }, (args) => ({ path: args.path.slice(ENTRY_PREFIX.length), namespace: ENTRY_NAMESPACE }));
      b.onLoad({ filter: /.*/, namespace: ENTRY_NAMESPACE }, (args) => ({ contents: stubs.get(args.path) ?? '', resolveDir: cwd, loader: 'js' }));
      // The user's `import { http } from 'faasport'` and the stubs' adapters are the faasport running this
      // build, so functions and adapters share one copy of the core.
      b.onResolve({ filter: /^faasport(?:\/(?:aws|azure|gcp|testing))?$/ }, (args) => ({ path: paths.modules[args.path as FaasportModule] }));
    },
  };
}

function toProblems(failure: BuildFailure, cwd: string): Problem[] {
  return failure.errors.map((m: Message): Problem => {
    const file = m.location?.file;
    return m.location && file && !file.startsWith(ENTRY_PREFIX)
      ? { message: `bundling failed: ${m.text}`, at: { file: relative(cwd, resolve(cwd, file)).split(sep).join('/'), line: m.location.line, column: m.location.column + 1 } }
      : { message: `bundling failed: ${m.text}` };
  });
}

async function run(provider: Provider, functions: readonly DiscoveredFunction[], options: BundleOptions, banner: boolean): Promise<BundleFile[]> {
  const paths = options.paths ?? faasportPaths();
  const stubs = stubsFor(provider, functions, options.cwd, options.awsHttpEvents);
  const result = await build({
    entryPoints: [...stubs.keys()].map((out) => ({ in: `${ENTRY_PREFIX}${out}`, out })),
    plugins: [faasportPlugin(stubs, options.cwd, paths)],
    absWorkingDir: options.cwd,
    outdir: options.outDir,
    outExtension: { '.js': '.mjs' },
    write: false,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: [...PROVIDER_EXTERNALS[provider]],
    minifySyntax: true,
    minifyWhitespace: options.minify !== false,
    minifyIdentifiers: options.minify !== false,
    keepNames: true,
    legalComments: 'none',
    sourcemap: options.sourcemap ? 'external' : false,
    banner: banner ? { js: REQUIRE_BANNER } : undefined,
    logLevel: 'silent',
  });
  return result.outputFiles
    .map((file) => ({ path: relative(options.outDir, file.path).split(sep).join('/'), contents: file.contents }))
    .sort((a, b) => (a.path < b.path ? -1 : 1));
}

/**
 * One ESM module exporting `fn` (the user's function) and `invoke` (faasport/testing), everything bundled,
 * so `faasport invoke` can run a TypeScript function in this process.
 */
export async function bundleForInvoke(fn: DiscoveredFunction, options: { cwd: string; outFile: string; paths?: FaasportPaths }): Promise<void> {
  const paths = options.paths ?? faasportPaths();
  const stub = [
    `export { invoke } from ${JSON.stringify('faasport/testing')};`,
    `export { ${fn.exportName} as fn } from ${JSON.stringify(resolve(options.cwd, fn.file))};`,
    '',
  ].join('\n');
  try {
    await build({
      entryPoints: [`${ENTRY_PREFIX}invoke`],
      plugins: [faasportPlugin(new Map([['invoke', stub]]), options.cwd, paths)],
      absWorkingDir: options.cwd,
      outfile: options.outFile,
      bundle: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      sourcemap: 'inline',
      banner: { js: REQUIRE_BANNER },
      logLevel: 'silent',
    });
  } catch (error) {
    if (error && typeof error === 'object' && Array.isArray((error as BuildFailure).errors)) throw new CodegenError(toProblems(error as BuildFailure, options.cwd));
    throw error;
  }
}

/** Bundles of one provider (not written: build.ts writes them). Throws CodegenError on user-code errors. */
export async function bundleProvider(provider: Provider, functions: readonly DiscoveredFunction[], options: BundleOptions): Promise<BundleFile[]> {
  try {
    const files = await run(provider, functions, options, false);
    const decoder = new TextDecoder();
    const needsRequire = files.some((f) => f.path.endsWith('.mjs') && decoder.decode(f.contents).includes(DYNAMIC_REQUIRE));
    return needsRequire ? await run(provider, functions, options, true) : files;
  } catch (error) {
    if (error && typeof error === 'object' && Array.isArray((error as BuildFailure).errors) && (error as BuildFailure).errors.length > 0) {
      throw new CodegenError(toProblems(error as BuildFailure, options.cwd));
    }
    throw error;
  }
}
