/** `faasport dev`: build, serve each provider from its local emulator, rebuild on change. */
import type { CAC } from 'cac';
import { watch, type FSWatcher } from 'node:fs';
import { join, resolve } from 'node:path';
import pc from 'picocolors';
import type { Provider } from '../core/types.js';
import { build, DEFAULT_OUT_DIR } from '../codegen/build.js';
import { defaultEntries } from '../codegen/entries.js';
import { CodegenError } from '../codegen/errors.js';
import type { BuildFlags } from './build.js';
import { assertReady } from './doctor.js';
import { UsageError } from './errors.js';
import { printBuild, stopSignal, type Io, type Run } from './io.js';
import { loadConformance } from './load-conformance.js';
import { providersFlag } from './flags.js';

export type DevFlags = BuildFlags & { port?: string | number };

export async function runDev(io: Io, entries: string[], flags: DevFlags): Promise<number> {
  const providers = providersFlag(flags.provider);
  assertReady(providers, io.cwd);
  const { startEmulator } = await loadConformance();
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

export function devCommand(cli: CAC, io: Io, run: Run): void {
  cli
    .command('dev [...entries]', 'Build, serve each provider from its local emulator, and rebuild on change')
    .option('--provider <provider>', 'aws, azure, gcp, a comma list, or all', { default: 'all' })
    .option('--out <dir>', 'Output folder', { default: DEFAULT_OUT_DIR })
    .option('--port <port>', 'First port (one per provider, in order); default: free ports')
    .option('--force', 'As for build')
    .action((entries: string[], flags: DevFlags) => run(() => runDev(io, entries, flags)));
}
