/**
 * The `faasport` command line: build, check, conformance, dev, invoke. `main()` returns the exit code:
 * 0 ok, 1 the user's input is wrong (clear message, no stack unless --debug), 2 faasport failed.
 */
import { cac, type CAC } from 'cac';
import { watch, type FSWatcher } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import pc from 'picocolors';
import type { Provider } from '../core/types.js';
import { parseAwsHttpEvents } from './aws-http-events.js';
import { build, DEFAULT_OUT_DIR, displayPath, parseProviders, type BuildResult } from './build.js';
import { bundleForInvoke } from './bundle.js';
import { loadCases } from './cases.js';
import { discover, type DiscoveredFunction } from './discover.js';
import { defaultEntries } from './entries.js';
import { CodegenError, formatProblem } from './errors.js';
import { faasportPaths, faasportVersion } from './faasport-paths.js';
import { assertValid } from './validate.js';

export interface Io {
  readonly cwd: string;
  out(line: string): void;
  err(line: string): void;
  /** Resolves when the user wants `dev` to stop (default: SIGINT or SIGTERM). */
  readonly stopSignal?: AbortSignal;
}

const defaultIo = (): Io => ({ cwd: process.cwd(), out: (l) => process.stdout.write(`${l}\n`), err: (l) => process.stderr.write(`${l}\n`) });

/** A user-input error that is not about source code (bad flag value, unknown function name, ...). */
class UsageError extends Error {}

/** A missing piece of faasport itself (exit 2). */
class InternalError extends Error {}

const kb = (bytes: number) => (bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} kB`);
const ms = (n: number) => `${n.toFixed(0)} ms`;

export function describeTrigger(fn: DiscoveredFunction): string {
  switch (fn.kind) {
    case 'http':
      return `${fn.options.methods?.join(',') ?? 'ANY'} ${fn.options.route}`;
    case 'queue':
      return `queue ${fn.options.queue}`;
    case 'topic':
      return `topic ${fn.options.topic}`;
    case 'storage':
      return `bucket ${fn.options.bucket} (${(fn.options.events ?? ['created']).join(', ')})`;
    case 'schedule':
      return `cron ${fn.options.cron} UTC`;
    case 'event':
      return `type ${typeof fn.options.type === 'string' ? fn.options.type : fn.options.type.join(', ')}`;
  }
}

function table(rows: string[][]): string[] {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows.map((r) => `  ${r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ')}`);
}

function printBuild(io: Io, result: BuildResult): void {
  io.out(`${pc.green('✔')} ${result.functions.length} function${result.functions.length === 1 ? '' : 's'} discovered in ${ms(result.discoverMs)}`);
  const rows = result.providers.map((p) => [
    pc.bold(p.provider),
    `${p.files.length} files`,
    kb(p.files.reduce((n, f) => n + f.bytes, 0)),
    ms(p.ms),
    `-> ${displayPath(io.cwd, p.dir)}${p.removed.length > 0 ? ` (${p.removed.length} stale removed)` : ''}`,
  ]);
  for (const line of table(rows)) io.out(line);
  io.out(`${pc.green('✔')} built in ${ms(result.ms)}`);
}

interface BuildFlags {
  provider?: string;
  out?: string;
  sourcemap?: boolean;
  /** false with --no-minify. */
  minify?: boolean;
  force?: boolean;
  /** --aws-http-events (a string, or several when repeated). */
  awsHttpEvents?: string | string[];
}

async function runBuild(io: Io, entries: string[], flags: BuildFlags): Promise<number> {
  const result = await build({
    entries,
    providers: parseProviders(flags.provider),
    awsHttpEvents: parseAwsHttpEvents(flags.awsHttpEvents),
    outDir: flags.out ?? DEFAULT_OUT_DIR,
    cwd: io.cwd,
    sourcemap: flags.sourcemap === true,
    minify: flags.minify !== false,
    force: flags.force === true,
  });
  printBuild(io, result);
  return 0;
}

async function runCheck(io: Io, entries: string[], flags: { provider?: string }): Promise<number> {
  const started = performance.now();
  const providers = parseProviders(flags.provider);
  const { functions, files } = discover({ entries, cwd: io.cwd, exclude: [resolve(io.cwd, DEFAULT_OUT_DIR)] });
  assertValid(functions, providers);
  for (const line of table(functions.map((fn) => [fn.name, fn.kind, describeTrigger(fn), `${fn.file}:${fn.line}`]))) io.out(line);
  io.out(
    `${pc.green('✔')} ${functions.length} function${functions.length === 1 ? '' : 's'} in ${files.length} files, valid for ${providers.join(', ')} (${ms(performance.now() - started)})`,
  );
  return 0;
}

type ConformanceModule = typeof import('../conformance-tests/index.js');

/** The conformance suite: dist/conformance.js once built, the sources in this repository otherwise. */
async function loadConformance(): Promise<ConformanceModule> {
  const paths = faasportPaths();
  const url = paths.mode === 'dist' ? pathToFileURL(join(paths.root, 'dist', 'conformance.js')).href : new URL('../conformance-tests/index.js', import.meta.url).href;
  try {
    return (await import(url)) as ConformanceModule;
  } catch (error) {
    throw new InternalError(`the conformance suite could not be loaded from ${url}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

async function runConformanceCommand(io: Io, entries: string[], flags: { provider?: string; out?: string; cases?: string }): Promise<number> {
  if (entries.length > 0 && !flags.cases) {
    throw new UsageError(
      "faasport's built-in cases test its own fixture app; to test your app, pass your cases too: faasport conformance src --cases conformance.ts",
    );
  }
  const { runConformance } = await loadConformance();
  const cases = flags.cases ? await loadCases(flags.cases, io.cwd) : undefined;
  const report = await runConformance({
    ...(entries.length > 0 ? { entries } : {}),
    ...(cases ? { cases } : {}),
    providers: parseProviders(flags.provider),
    ...(flags.out ? { outDir: resolve(io.cwd, flags.out) } : {}),
    cwd: io.cwd,
    onResult: (r) => io.out(`${r.passed ? pc.green('✔') : pc.red('✘')} ${r.provider.padEnd(5)} ${r.name}${r.passed ? '' : pc.red(`: ${r.error ?? ''}`)}`),
  });
  io.out('');
  io.out(report.table);
  return report.passed ? 0 : 1;
}

function stopSignal(io: Io): AbortSignal {
  if (io.stopSignal) return io.stopSignal;
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return controller.signal;
}

async function runDev(io: Io, entries: string[], flags: BuildFlags & { port?: string | number }): Promise<number> {
  const { startEmulator } = await loadConformance();
  const providers = parseProviders(flags.provider);
  const outDir = resolve(io.cwd, flags.out ?? DEFAULT_OUT_DIR);
  const basePort = flags.port === undefined ? undefined : Number(flags.port);
  if (basePort !== undefined && (!Number.isInteger(basePort) || basePort < 0 || basePort > 65535)) throw new UsageError(`--port ${flags.port} is not a port number`);
  type Running = Awaited<ReturnType<typeof startEmulator>>;
  let running: Running[] = [];

  const start = async () => {
    const result = await build({ entries, providers, outDir, cwd: io.cwd, sourcemap: true, force: flags.force === true });
    printBuild(io, result);
    running = await Promise.all(
      providers.map((provider: Provider, i) =>
        startEmulator({ provider, dir: join(outDir, provider), ...(basePort === undefined || basePort === 0 ? {} : { port: basePort + i }) }),
      ),
    );
    for (const emu of running) io.out(`${pc.cyan(emu.provider.padEnd(5))} ${emu.url}`);
  };
  const stopAll = async () => {
    const current = running;
    running = [];
    await Promise.all(current.map((emu) => emu.stop()));
  };

  await start();
  const signal = stopSignal(io);
  const watched = entries.length > 0 ? entries : defaultEntries(io.cwd);
  let timer: NodeJS.Timeout | undefined;
  let queue = Promise.resolve();
  const onChange = (file: string | null) => {
    if (file && /(^|[/\\])(node_modules|\.faasport[^/\\]*|dist)([/\\]|$)/.test(file)) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      queue = queue.then(async () => {
        io.out(pc.dim(`change detected${file ? ` (${file})` : ''}, rebuilding...`));
        try {
          await stopAll();
          await start();
        } catch (error) {
          io.err(error instanceof CodegenError ? pc.red(error.message) : String(error));
        }
      });
    }, 200);
  };
  const watchers: FSWatcher[] = watched.map((entry) => watch(resolve(io.cwd, entry), { recursive: true }, (_event, file) => onChange(file)));
  io.out(pc.dim('watching for changes; press Ctrl-C to stop'));
  await new Promise<void>((done) => (signal.aborted ? done() : signal.addEventListener('abort', () => done(), { once: true })));
  clearTimeout(timer);
  for (const w of watchers) w.close();
  await queue;
  await stopAll();
  return 0;
}

interface InvokeFlags {
  debug?: boolean;
  method?: string;
  data?: string;
  header?: string | string[];
}

async function runInvoke(io: Io, name: string, path: string | undefined, entries: string[], flags: InvokeFlags): Promise<number> {
  const { functions } = discover({ entries, cwd: io.cwd, exclude: [resolve(io.cwd, DEFAULT_OUT_DIR)] });
  const fn = functions.find((f) => f.name === name);
  if (!fn) {
    throw new UsageError(`no function named "${name}"; found: ${functions.map((f) => f.name).join(', ') || 'none'} (pass ENTRY files or folders after the name with --entry)`);
  }
  const dir = await mkdtemp(join(tmpdir(), 'faasport-invoke-'));
  try {
    const outFile = join(dir, 'invoke.mjs');
    await bundleForInvoke(fn, { cwd: io.cwd, outFile });
    const mod = (await import(pathToFileURL(outFile).href)) as {
      fn: unknown;
      invoke: (fn: unknown, input: unknown, options?: { functionName?: string }) => Promise<Response | undefined>;
    };
    if (fn.kind === 'http') {
      const headers = new Headers();
      for (const h of [flags.header ?? []].flat()) {
        const colon = h.indexOf(':');
        if (colon <= 0) throw new UsageError(`--header "${h}" must look like "name: value"`);
        headers.append(h.slice(0, colon).trim(), h.slice(colon + 1).trim());
      }
      const method = (flags.method ?? (flags.data === undefined ? 'GET' : 'POST')).toUpperCase();
      const target = path ?? fn.options.route.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, '$1').replace(/\*$/, '');
      const request = new Request(new URL(target, 'http://localhost'), { method, headers, ...(flags.data === undefined ? {} : { body: flags.data }) });
      const response = (await mod.invoke(mod.fn, request, { functionName: fn.name }))!;
      io.out(`${response.status >= 400 ? pc.red(String(response.status)) : pc.green(String(response.status))} ${response.statusText}`);
      response.headers.forEach((value, key) => io.out(pc.dim(`${key}: ${value}`)));
      io.out('');
      io.out(await response.text());
      return 0;
    }
    const body = flags.data ?? '';
    const input =
      fn.kind === 'queue' || fn.kind === 'topic'
        ? { body }
        : fn.kind === 'storage'
          ? { key: body || 'example.txt' }
          : fn.kind === 'event'
            ? { type: typeof fn.options.type === 'string' ? fn.options.type : fn.options.type[0], data: body ? (JSON.parse(body) as unknown) : undefined }
            : {};
    try {
      await mod.invoke(mod.fn, input, { functionName: fn.name });
    } catch (error) {
      // The function failed (the platform would redeliver or retry): report it, exit 1.
      const detail = error instanceof Error ? (flags.debug ? (error.stack ?? error.message) : error.message) : String(error);
      io.err(`${pc.red('✘')} ${fn.name} (${fn.kind}) threw: ${detail}`);
      return 1;
    }
    io.out(`${pc.green('✔')} ${fn.name} (${fn.kind}) completed`);
    return 0;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export function createCli(io: Io, run: (task: () => Promise<number>) => void): CAC {
  const cli = cac('faasport');
  const entriesHelp = 'ENTRY: source files or folders (default: src if it exists, else .)';
  cli
    .command('build [...entries]', `Generate deployable output per provider. ${entriesHelp}`)
    .option('--provider <provider>', 'aws, azure, gcp, a comma list, or all', { default: 'all' })
    .option('--out <dir>', 'Output folder; each provider writes <dir>/<provider>/', { default: DEFAULT_OUT_DIR })
    .option('--sourcemap', 'Write source maps next to the bundles')
    .option('--minify', 'Minify bundles; --no-minify keeps them readable (whitespace and identifiers as written)', { default: true })
    .option('--force', 'Allow an output folder outside the project, or over files faasport did not write')
    .option(
      '--aws-http-events <events>',
      'Lambda HTTP events the AWS bundles read (only these are bundled): apigw-v2 (HTTP API, Function URL), apigw-v1 (REST API), alb, a comma list, or all',
      { default: 'apigw-v2' },
    )
    .example('faasport build src --provider all')
    .example('faasport build src --provider aws --aws-http-events apigw-v2,alb')
    .action((entries: string[], flags: BuildFlags) => run(() => runBuild(io, entries, flags)));
  cli
    .command('check [...entries]', `Discover and validate functions without writing anything. ${entriesHelp}`)
    .option('--provider <provider>', 'Validate names and triggers for these providers', { default: 'all' })
    .action((entries: string[], flags: { provider?: string }) => run(() => runCheck(io, entries, flags)));
  cli
    .command('conformance [...entries]', "Build the app and run the conformance suite on each provider's local emulator (default: faasport's fixture app)")
    .option('--provider <provider>', 'aws, azure, gcp, a comma list, or all', { default: 'all' })
    .option('--out <dir>', 'Keep the built output here (default: a temporary folder)')
    .option('--cases <file>', 'Your cases: a module exporting `cases`, an array of defineCase() from faasport/conformance')
    .example('faasport conformance src --cases conformance.ts')
    .action((entries: string[], flags: { provider?: string; out?: string; cases?: string }) => run(() => runConformanceCommand(io, entries, flags)));
  cli
    .command('dev [...entries]', 'Build, serve each provider from its local emulator, and rebuild on change')
    .option('--provider <provider>', 'aws, azure, gcp, a comma list, or all', { default: 'all' })
    .option('--out <dir>', 'Output folder', { default: DEFAULT_OUT_DIR })
    .option('--port <port>', 'First port (one per provider, in order); default: free ports')
    .option('--force', 'As for build')
    .action((entries: string[], flags: BuildFlags & { port?: string }) => run(() => runDev(io, entries, flags)));
  cli
    .command('invoke <name> [path]', 'Run one function in this process with neutral input and print the result')
    .option('--entry <entry>', 'Where to look for the function (repeatable; default as for build)')
    .option('-X, --method <method>', 'HTTP method (default GET, or POST with --data)')
    .option('-d, --data <body>', 'HTTP body, or the message body / CloudEvent data (JSON) / object key for other kinds')
    .option('-H, --header <header>', 'HTTP header "name: value" (repeatable)')
    .example('faasport invoke getItem /items/42')
    .action((name: string, path: string | undefined, flags: InvokeFlags & { entry?: string | string[] }) =>
      run(() => runInvoke(io, name, path, [flags.entry ?? []].flat(), flags)),
    );
  cli.option('--debug', 'Print stack traces of errors');
  cli.help();
  cli.version(faasportVersion());
  return cli;
}

/** Runs the CLI with `argv` as in process.argv (node, script, ...args) and returns the exit code. */
export async function main(argv: readonly string[] = process.argv, io: Io = defaultIo()): Promise<number> {
  const debug = argv.includes('--debug');
  const report = (error: unknown): number => {
    if (error instanceof CodegenError) {
      for (const problem of error.problems) io.err(`${pc.red('error')} ${formatProblem(problem)}`);
      return 1;
    }
    if (error instanceof UsageError || (error instanceof Error && error.name === 'CACError')) {
      io.err(`${pc.red('error')} ${error.message}`);
      return 1;
    }
    const message = error instanceof Error ? (debug ? (error.stack ?? error.message) : error.message) : String(error);
    io.err(`${pc.red('internal error')} ${message}${debug ? '' : pc.dim(' (run with --debug for the stack trace)')}`);
    return 2;
  };
  let task: Promise<number> | undefined;
  try {
    const cli = createCli(io, (t) => {
      task = t();
    });
    cli.parse([...argv], { run: false });
    if (cli.options.help || cli.options.version) return 0;
    if (!cli.matchedCommand) {
      const unknown = cli.args[0];
      io.err(`${pc.red('error')} ${unknown ? `unknown command "${unknown}"` : 'missing command'}; run faasport --help`);
      return 1;
    }
    cli.runMatchedCommand(); // calls the action synchronously, which sets `task`
    return task ? await task : 0;
  } catch (error) {
    return report(error);
  }
}
