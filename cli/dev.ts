/**
 * `faasport dev`: build into its own folder, serve each provider from its local emulator on a stable port,
 * stream handler logs with the function's name, fire non-HTTP functions on demand, rebuild on change.
 */
import type { CAC } from 'cac';
import { createServer, type Server } from 'node:http';
import { watch, type FSWatcher } from 'node:fs';
import { createServer as createNetServer } from 'node:net';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import pc from 'picocolors';
import type { Provider } from '../core/types.js';
import { build } from '../codegen/build.js';
import type { DiscoveredFunction } from '../codegen/discover.js';
import { defaultEntries } from '../codegen/entries.js';
import { CodegenError } from '../codegen/errors.js';
import type { BuildFlags } from './build.js';
import { parseFireLine, stimulusFor } from './dev-fire.js';
import { assertReady } from './doctor.js';
import { UsageError } from './errors.js';
import { printBuild, stopSignal, type Io, type Run } from './io.js';
import { loadConformance, type ConformanceModule } from './load-conformance.js';
import { providersFlag } from './flags.js';

/** Never `build`'s `.faasport`: a deploy after `dev` must not ship dev bundles (source maps, unminified). */
export const DEV_OUT_DIR = '.faasport-dev';

/**
 * Default ports, the ones each provider's own local tool uses: `sam local start-api` 3000
 * (https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-cli-command-reference-sam-local-start-api.html),
 * `func start` 7071 (https://learn.microsoft.com/azure/azure-functions/functions-core-tools-reference#func-start),
 * functions-framework 8080 (GoogleCloudPlatform/functions-framework-nodejs README, `--port`). The control
 * endpoint that fires non-HTTP functions listens on CONTROL_PORT.
 */
export const DEFAULT_PORTS: Readonly<Record<Provider, number>> = { aws: 3000, azure: 7071, gcp: 8080 };
export const CONTROL_PORT = 4000;
/** How many ports after a taken one dev tries before it gives up. */
const PORT_SEARCH = 20;
const LOG_POLL_MS = 250;

export type DevFlags = BuildFlags & { port?: string | number };

const isFree = (port: number) =>
  new Promise<boolean>((done) => {
    const probe = createNetServer();
    probe.once('error', () => done(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => done(true)));
  });

/** `preferred`, or the next free port after it; the announcement says when it moved. */
async function claimPort(preferred: number, taken: Set<number>): Promise<number> {
  for (let port = preferred; port < preferred + PORT_SEARCH && port <= 65535; port++) {
    if (!taken.has(port) && (await isFree(port))) {
      taken.add(port);
      return port;
    }
  }
  throw Object.assign(new Error(`ports ${preferred}-${preferred + PORT_SEARCH - 1} are all in use`), { code: 'EADDRINUSE', port: preferred });
}

type Running = Awaited<ReturnType<ConformanceModule['startEmulator']>>;

/** NODE_OPTIONS for the function processes: stack traces point at the user's sources through dev's source maps. */
export function devNodeOptions(inherited: string | undefined): string {
  return inherited?.includes('--enable-source-maps') ? inherited : `${inherited ?? ''} --enable-source-maps`.trim();
}

/** A log line and the function it is about ('app' when its emulator does not know). */
interface NamedLine {
  readonly text: string;
  readonly name: string;
}

/**
 * The faasport function an Azure function name belongs to: the same name, or `<name>-deleted` (the second Azure
 * function a storage function with deletions is deployed as); 'app' for a line outside any invocation.
 */
export function faasportFunctionOf(azureName: string | undefined, functions: readonly { readonly name: string }[]): string {
  if (azureName === undefined) return 'app';
  const base = azureName.endsWith('-deleted') ? azureName.slice(0, -'-deleted'.length) : azureName;
  return functions.some((f) => f.name === azureName) ? azureName : functions.some((f) => f.name === base) ? base : azureName;
}

/**
 * Each emulator's log streams: per function on AWS and GCP (a process per function); on Azure one worker runs
 * the whole app, so one stream whose entries carry the function they are about (Azurite's access log left out).
 */
function logStreams(emu: Running, functions: readonly DiscoveredFunction[]): { key: string; read: () => readonly unknown[]; line: (item: unknown) => NamedLine }[] {
  if (emu.appLogs) {
    const appLogs = emu.appLogs.bind(emu);
    return [
      {
        key: `${emu.provider}/app`,
        read: appLogs,
        line: (item) => {
          const entry = item as { message: string; functionName?: string };
          return { text: entry.message, name: faasportFunctionOf(entry.functionName, functions) };
        },
      },
    ];
  }
  return functions.map((fn) => ({ key: `${emu.provider}/${fn.name}`, read: () => emu.logs(fn.name), line: (item) => ({ text: String(item), name: fn.name }) }));
}

/** Prints the log lines each function gained since the last poll, prefixed with provider and function name. */
function logStreamer(io: Io) {
  const seen = new Map<string, { count: number; last: unknown }>();
  return (emulators: readonly Running[], functions: readonly DiscoveredFunction[]) => {
    for (const emu of emulators) {
      for (const stream of logStreams(emu, functions)) {
        const items = stream.read();
        const before = seen.get(stream.key);
        // Resume after the last item printed: where it was while the buffer grows; once the buffer is full and drops
        // its oldest items, wherever that item is now.
        const from = before === undefined ? 0 : items[before.count - 1] === before.last ? before.count : items.lastIndexOf(before.last) + 1;
        for (const item of items.slice(from)) {
          const { text, name } = stream.line(item);
          io.out(`${pc.cyan(emu.provider.padEnd(5))} ${pc.bold(name)} ${text}`);
        }
        if (items.length > 0) seen.set(stream.key, { count: items.length, last: items.at(-1) });
      }
    }
  };
}

export async function runDev(io: Io, entries: string[], flags: DevFlags): Promise<number> {
  const providers = providersFlag(flags.provider);
  assertReady(providers, io.cwd);
  const { startEmulator } = await loadConformance();
  const outDir = resolve(io.cwd, flags.out ?? DEV_OUT_DIR);
  const basePort = flags.port === undefined ? undefined : Number(flags.port);
  if (basePort !== undefined && (!Number.isInteger(basePort) || basePort < 1 || basePort > 65535)) throw new UsageError(`--port ${flags.port} is not a port number`);

  // Ports are chosen once and kept across rebuilds, so URLs stay valid all day.
  const taken = new Set<number>();
  const ports = new Map<Provider, number>();
  for (const [i, provider] of providers.entries()) {
    const preferred = basePort === undefined ? DEFAULT_PORTS[provider] : basePort + i;
    const port = await claimPort(preferred, taken);
    if (port !== preferred) io.out(pc.yellow(`${provider}: port ${preferred} is taken, using ${port}`));
    ports.set(provider, port);
  }
  const preferredControl = basePort === undefined ? CONTROL_PORT : basePort + providers.length;
  const controlPort = await claimPort(preferredControl, taken);
  if (controlPort !== preferredControl) io.out(pc.yellow(`control: port ${preferredControl} is taken, using ${controlPort}`));

  let running: Running[] = [];
  let functions: DiscoveredFunction[] = [];
  const streamLogs = logStreamer(io);

  const start = async () => {
    const result = await build({ entries, providers, outDir, cwd: io.cwd, sourcemap: true, minify: false, force: flags.force === true });
    printBuild(io, result);
    functions = [...result.functions];
    // Every emulator passes `env` to its function processes (conformance-tests/emulators/index.ts, EmulatorOptions.env).
    const env = { NODE_OPTIONS: devNodeOptions(process.env.NODE_OPTIONS) };
    running = await Promise.all(providers.map((provider) => startEmulator({ provider, dir: join(outDir, provider), port: ports.get(provider)!, env })));
    for (const emu of running) io.out(`${pc.cyan(emu.provider.padEnd(5))} ${emu.url}`);
    const fireable = functions.filter((f) => f.kind !== 'http');
    if (fireable.length > 0) {
      io.out(pc.dim(`fire: POST http://127.0.0.1:${controlPort}/_faasport/<function>[?provider=aws] (body: payload, empty for a sample), or type: fire <function> [payload]`));
      io.out(pc.dim(`      ${fireable.map((f) => `${f.name} (${f.kind})`).join(', ')}`));
    }
  };
  const stopAll = async () => {
    const current = running;
    running = [];
    await Promise.all(current.map((emu) => emu.stop()));
  };

  /** Fires `name` on every running provider (or the one asked for); the reports by provider. */
  const fire = async (name: string, payload: string | undefined, only?: string) => {
    const fn = functions.find((f) => f.name === name);
    if (!fn) throw new UsageError(`no function named "${name}"; non-HTTP functions: ${functions.filter((f) => f.kind !== 'http').map((f) => f.name).join(', ') || 'none'}`);
    const stimulus = stimulusFor(fn, payload);
    const targets = running.filter((emu) => only === undefined || emu.provider === only);
    if (targets.length === 0) throw new UsageError(`provider "${only}" is not running; running: ${running.map((e) => e.provider).join(', ')}`);
    const reports = await Promise.all(targets.map(async (emu) => [emu.provider, await emu.deliver(fn.name, stimulus)] as const));
    streamLogs(running, functions);
    for (const [provider, report] of reports) {
      const outcomes = report.outcomes.map((o) => `${o.outcome} after ${o.attempts} attempt${o.attempts === 1 ? '' : 's'}`).join(', ');
      io.out(`${pc.cyan(provider.padEnd(5))} ${pc.bold(fn.name)} fired: ${outcomes}`);
    }
    return Object.fromEntries(reports);
  };

  await start();
  const control: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const match = /^\/_faasport\/([^/]+)$/.exec(url.pathname);
    if (req.method !== 'POST' || !match) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('POST /_faasport/<function> fires a non-HTTP function\n');
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const payload = Buffer.concat(chunks).toString('utf8');
      fire(decodeURIComponent(match[1]!), payload, url.searchParams.get('provider') ?? undefined).then(
        (reports) => res.writeHead(200, { 'content-type': 'application/json' }).end(`${JSON.stringify(reports)}\n`),
        (error: unknown) => {
          const status = error instanceof UsageError ? 400 : 500;
          res.writeHead(status, { 'content-type': 'application/json' }).end(`${JSON.stringify({ error: error instanceof Error ? error.message : String(error) })}\n`);
        },
      );
    });
  });
  await new Promise<void>((done, fail) => {
    control.once('error', fail);
    control.listen(controlPort, '127.0.0.1', () => done());
  });

  const logTimer = setInterval(() => streamLogs(running, functions), LOG_POLL_MS);
  const terminal = process.stdin.isTTY && !io.stopSignal ? createInterface({ input: process.stdin }) : undefined;
  terminal?.on('line', (line) => {
    const command = parseFireLine(line);
    if (!command) {
      if (line.trim()) io.err(pc.yellow('commands: fire <function> [payload]'));
      return;
    }
    fire(command.name, command.payload).catch((error: unknown) => io.err(pc.red(error instanceof Error ? error.message : String(error))));
  });

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
  clearInterval(logTimer);
  terminal?.close();
  for (const w of watchers) w.close();
  await queue;
  streamLogs(running, functions);
  await new Promise<void>((done) => control.close(() => done()));
  await stopAll();
  return 0;
}

export function devCommand(cli: CAC, io: Io, run: Run): void {
  cli
    .command('dev [...entries]', `Build into ${DEV_OUT_DIR}/, serve each provider from its local emulator on a stable port, stream handler logs, fire non-HTTP functions, rebuild on change`)
    .option('--provider <provider>', 'aws, azure, gcp, a comma list, or all', { default: 'all' })
    .option('--out <dir>', `Output folder (never build's .faasport)`, { default: DEV_OUT_DIR })
    .option('--port <port>', `First port, one per provider in order, then the control port (default: aws ${DEFAULT_PORTS.aws}, azure ${DEFAULT_PORTS.azure}, gcp ${DEFAULT_PORTS.gcp}, control ${CONTROL_PORT}; the next free one when taken)`)
    .option('--force', 'As for build')
    .example('faasport dev src --provider gcp')
    .example(`curl -X POST http://127.0.0.1:${CONTROL_PORT}/_faasport/onOrder -d '{"id":1}'`)
    .action((entries: string[], flags: DevFlags) => run(() => runDev(io, entries, flags)));
}
