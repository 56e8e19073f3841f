/** What every verb writes to and reads from: the terminal (or a test's capture), and shared output formats. */
import pc from 'picocolors';
import type { BuildResult } from '../codegen/build.js';
import { displayPath } from '../codegen/build.js';
import type { DiscoveredFunction } from '../codegen/discover.js';

export interface Io {
  readonly cwd: string;
  out(line: string): void;
  err(line: string): void;
  /** Resolves when the user wants `dev` to stop (default: SIGINT or SIGTERM). */
  readonly stopSignal?: AbortSignal;
}

/** Starts a verb's work; the program awaits what it returns (the exit code). */
export type Run = (task: () => Promise<number>) => void;

export const defaultIo = (): Io => ({ cwd: process.cwd(), out: (l) => process.stdout.write(`${l}\n`), err: (l) => process.stderr.write(`${l}\n`) });

export const kb = (bytes: number) => (bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} kB`);
export const ms = (n: number) => `${n.toFixed(0)} ms`;

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

export function table(rows: string[][]): string[] {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows.map((r) => `  ${r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ')}`);
}

export function printBuild(io: Io, result: BuildResult): void {
  io.out(`${pc.green('✔')} ${result.functions.length} function${result.functions.length === 1 ? '' : 's'} discovered in ${ms(result.discoverMs)}`);
  const rows = result.providers.map((p) => [
    pc.bold(p.provider),
    `${p.files.length} files`,
    kb(p.files.reduce((n, f) => n + f.bytes, 0)),
    ms(p.ms),
    `-> ${displayPath(io.cwd, p.dir)}${p.removed.length > 0 ? ` (${p.removed.length} stale removed)` : ''}${p.kept.length > 0 ? ` (${p.kept.length} stale kept: changed since written)` : ''}`,
  ]);
  for (const line of table(rows)) io.out(line);
  for (const warning of result.warnings) io.out(`${pc.yellow('!')} ${warning}`);
  io.out(`${pc.green('✔')} built in ${ms(result.ms)} for ${result.runtime}`);
}

/** Aborts when the user asks the process to stop (Ctrl-C, SIGTERM), unless a test gave its own signal. */
export function stopSignal(io: Io): AbortSignal {
  if (io.stopSignal) return io.stopSignal;
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return controller.signal;
}
