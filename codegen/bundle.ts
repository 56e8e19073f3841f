/**
 * Bundles the generated entry modules with esbuild: ESM for the chosen Node runtime, minified (syntax, whitespace and
 * identifiers), names kept, no legal comments, no absolute paths (same input, same bytes). One esbuild run
 * per provider, so shared sources are parsed once however many functions there are.
 *
 * Minified identifiers make the AWS bundles about a quarter smaller (less to read and compile at cold
 * start). Names are kept for the user's code and the libraries it bundles: they may read them
 * (`this.name = this.constructor.name` in error classes, ORMs that name tables after entity classes, DI
 * containers keyed by class name), and V8 prints the kept `name` in stack traces, so frames still say which
 * function threw. faasport's own code reads no function or class name, so it is not paying for them: a
 * first pass bundles the user's code with `keepNames` and leaves the faasport imports open, a second links
 * faasport in without it (about 0.9 KB of gzip off a one-function bundle). With `sourcemap` one pass keeps
 * every name, so the map points straight at the sources. Positions in stack traces are in the one-line
 * bundle: build with `sourcemap` and run with `NODE_OPTIONS=--enable-source-maps` to read them as source
 * lines, or bundle with `minify: false` (whitespace and identifiers as written) to debug.
 *
 * Externals: aws none (each `<name>/index.mjs` is self-contained; the AWS SDK that the Lambda runtime
 * ships is not relied on, so the bundle behaves the same under any Node); azure `@azure/functions` (it
 * must load the worker's `@azure/functions-core` at run time); gcp `@google-cloud/functions-framework`
 * (registrations live in the framework copy its CLI runs).
 */
import { build, type BuildFailure, type BuildOptions, type Message, type Metafile, type OutputFile, type Plugin } from 'esbuild';
import { relative, resolve, sep } from 'node:path';
import type { HttpEventSource } from '../adapters/aws/types.js';
import { DEFAULT_NODE_RUNTIME, type NodeRuntime, type Provider } from '../core/types.js';
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
  /** The Node version the bundles run on (esbuild target; default DEFAULT_NODE_RUNTIME). */
  readonly runtime?: NodeRuntime;
  /** Given esbuild's metafile of the final pass (again if the bundles are rebuilt with the require banner): which modules each bundle links. */
  readonly onMetafile?: (metafile: Metafile) => void;
}

export interface BundleFile {
  /** Posix path relative to the provider folder, e.g. `getItem/index.mjs` or `index.mjs`. */
  readonly path: string;
  readonly contents: Uint8Array;
}

const ENTRY_NAMESPACE = 'faasport-entry';
const ENTRY_PREFIX = `${ENTRY_NAMESPACE}:`;
/** The second pass's entries: the first pass's output, from memory. */
const LINK_NAMESPACE = 'faasport-link';
const LINK_PREFIX = `${LINK_NAMESPACE}:`;
const FAASPORT_SPECIFIER = /^faasport(?:\/(?:aws|azure|gcp|testing))?$/;

/**
 * Serves the entry stubs from memory. The user's `import { http } from 'faasport'` and the stubs' adapters
 * resolve to the faasport running this build, so functions and adapters share one copy of the core; with
 * `open`, they stay imports (the first of two passes, see the top of this file).
 */
function faasportPlugin(stubs: ReadonlyMap<string, string>, cwd: string, paths: FaasportPaths, open = false): Plugin {
  return {
    name: 'faasport',
    setup(b) {
      b.onResolve({ filter: /^faasport-entry:/ }, (args) => ({ path: args.path.slice(ENTRY_PREFIX.length), namespace: ENTRY_NAMESPACE }));
      b.onLoad({ filter: /.*/, namespace: ENTRY_NAMESPACE }, (args) => ({ contents: stubs.get(args.path) ?? '', resolveDir: cwd, loader: 'js' }));
      b.onResolve({ filter: FAASPORT_SPECIFIER }, (args) =>
        open ? { path: args.path, external: true } : { path: paths.modules[args.path as FaasportModule] },
      );
    },
  };
}

/** The second pass: the first pass's bundles as entries, their faasport imports linked to this faasport. */
function linkPlugin(firstPass: ReadonlyMap<string, string>, cwd: string, paths: FaasportPaths): Plugin {
  return {
    name: 'faasport-link',
    setup(b) {
      b.onResolve({ filter: /^faasport-link:/ }, (args) => ({ path: args.path.slice(LINK_PREFIX.length), namespace: LINK_NAMESPACE }));
      b.onLoad({ filter: /.*/, namespace: LINK_NAMESPACE }, (args) => ({ contents: firstPass.get(args.path) ?? '', resolveDir: cwd, loader: 'js' }));
      b.onResolve({ filter: FAASPORT_SPECIFIER }, (args) => ({ path: paths.modules[args.path as FaasportModule] }));
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
  const minify = options.minify !== false;
  // Names matter only where identifiers are minified, and a source map is kept exact by one pass.
  const twoPasses = minify && !options.sourcemap;
  const common = {
    absWorkingDir: options.cwd,
    outdir: options.outDir,
    outExtension: { '.js': '.mjs' },
    write: false as const,
    bundle: true,
    format: 'esm',
    platform: 'node',
    // esbuild names Node targets as faasport does ('node22', 'node24').
    target: options.runtime ?? DEFAULT_NODE_RUNTIME,
    external: [...PROVIDER_EXTERNALS[provider]],
    minifySyntax: true,
    minifyWhitespace: minify,
    minifyIdentifiers: minify,
    legalComments: 'none',
    logLevel: 'silent',
  } satisfies BuildOptions;
  const entries = [...stubs.keys()];
  const first = await build({
    ...common,
    entryPoints: entries.map((out) => ({ in: `${ENTRY_PREFIX}${out}`, out })),
    plugins: [faasportPlugin(stubs, options.cwd, paths, twoPasses)],
    keepNames: true,
    // 'linked': the bundle names its map in a sourceMappingURL comment, which is how --enable-source-maps finds it.
    sourcemap: options.sourcemap ? 'linked' : false,
    banner: banner && !twoPasses ? { js: REQUIRE_BANNER } : undefined,
    metafile: options.onMetafile !== undefined && !twoPasses,
  });
  let metafile = first.metafile;
  let outputs: OutputFile[] = first.outputFiles;
  if (twoPasses) {
    const firstPass = new Map(entries.map((out) => [out, outputs.find((f) => f.path === resolve(options.cwd, options.outDir, `${out}.mjs`))!.text]));
    const second = await build({
      ...common,
      entryPoints: entries.map((out) => ({ in: `${LINK_PREFIX}${out}`, out })),
      plugins: [linkPlugin(firstPass, options.cwd, paths)],
      banner: banner ? { js: REQUIRE_BANNER } : undefined,
      metafile: options.onMetafile !== undefined,
    });
    outputs = second.outputFiles;
    metafile = second.metafile;
  }
  if (metafile) options.onMetafile?.(metafile);
  return outputs
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
