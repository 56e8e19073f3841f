/**
 * What the emulated host reads from a Functions app folder: host.json (functionTimeout, routePrefix,
 * queues.maxDequeueCount),
 * package.json (`main`), local.settings.json (`Values`, exported to the worker as Core Tools does), and faasport.json
 * (each function's kind and options, for event delivery) when present.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';

export interface AppConfig {
  readonly dir: string;
  /** Absolute path of package.json `main`. */
  readonly entry: string;
  /** ms; Infinity when host.json says "-1". */
  readonly functionTimeoutMs: number;
  readonly routePrefix: string;
  readonly settings: Readonly<Record<string, string>>;
  /** host.json `extensions.queues.maxDequeueCount` (the host's default is 5). */
  readonly queueMaxDequeueCount: number;
  /** faasport.json `functions`, when the folder has one (a `faasport build` output). */
  readonly manifest: readonly ManifestFunction[] | undefined;
}

/** One function of faasport.json, as far as the emulator reads it. */
export interface ManifestFunction {
  readonly name: string;
  readonly kind: string;
  readonly options: Readonly<Record<string, unknown>>;
}

export const DEFAULT_MAX_DEQUEUE_COUNT = 5;

/** The Consumption plan default, which the emulator uses when host.json sets none. */
export const DEFAULT_FUNCTION_TIMEOUT_MS = 5 * 60_000;
/** The host's default `extensions.http.routePrefix`. */
export const DEFAULT_ROUTE_PREFIX = 'api';

/** Parses a .NET TimeSpan as host.json writes it: `[d.]hh:mm:ss[.fffffff]`, or "-1" for no limit. */
export function parseTimeSpan(text: string): number {
  if (text.trim() === '-1') return Number.POSITIVE_INFINITY;
  const m = /^\s*(?:(\d+)\.)?(\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.(\d{1,7}))?\s*$/.exec(text);
  if (!m) throw new TypeError(`host.json functionTimeout "${text}" is not a TimeSpan like "00:05:00"`);
  const [, days = '0', hours = '0', minutes = '0', seconds = '0', fraction = ''] = m;
  const ms = Number(`0.${fraction || '0'}`) * 1000;
  return ((Number(days) * 24 + Number(hours)) * 60 + Number(minutes)) * 60_000 + Number(seconds) * 1000 + Math.round(ms);
}

async function readJson(file: string, required: boolean): Promise<Record<string, unknown> | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (!required && (error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`faasport azure emulator: cannot read ${file}`, { cause: error });
  }
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new TypeError('not a JSON object');
    return value as Record<string, unknown>;
  } catch (error) {
    throw new Error(`faasport azure emulator: ${file} is not a JSON object`, { cause: error });
  }
}

/** Pure: the config from the three files' parsed contents. */
export function toAppConfig(
  dir: string,
  hostJson: Record<string, unknown> | undefined,
  packageJson: Record<string, unknown>,
  localSettings: Record<string, unknown> | undefined,
  manifestJson?: Record<string, unknown>,
): AppConfig {
  const main = packageJson.main;
  if (typeof main !== 'string' || main === '') {
    throw new TypeError(`faasport azure emulator: ${path.join(dir, 'package.json')} needs a "main" naming the app entry (e.g. "index.mjs")`);
  }
  const timeout = hostJson?.functionTimeout;
  if (timeout !== undefined && typeof timeout !== 'string') {
    throw new TypeError(`faasport azure emulator: host.json functionTimeout must be a string like "00:05:00"`);
  }
  const http = (hostJson?.extensions as { http?: { routePrefix?: unknown } } | undefined)?.http;
  const routePrefix = http?.routePrefix;
  if (routePrefix !== undefined && typeof routePrefix !== 'string') {
    throw new TypeError(`faasport azure emulator: host.json extensions.http.routePrefix must be a string`);
  }
  const settings: Record<string, string> = {};
  const values = localSettings?.Values;
  if (values && typeof values === 'object') {
    for (const [key, value] of Object.entries(values)) if (typeof value === 'string') settings[key] = value;
  }
  const queues = (hostJson?.extensions as { queues?: { maxDequeueCount?: unknown } } | undefined)?.queues;
  const maxDequeueCount = queues?.maxDequeueCount;
  if (maxDequeueCount !== undefined && !(Number.isInteger(maxDequeueCount) && (maxDequeueCount as number) >= 1)) {
    throw new TypeError(`faasport azure emulator: host.json extensions.queues.maxDequeueCount must be a positive integer`);
  }
  let manifest: ManifestFunction[] | undefined;
  if (manifestJson) {
    const functions = manifestJson.functions;
    if (!Array.isArray(functions)) throw new TypeError(`faasport azure emulator: ${path.join(dir, 'faasport.json')} has no "functions" list`);
    manifest = functions.map((entry: unknown) => {
      const fn = entry as { name?: unknown; kind?: unknown; options?: unknown };
      if (typeof fn.name !== 'string' || typeof fn.kind !== 'string') {
        throw new TypeError(`faasport azure emulator: every faasport.json function needs a "name" and a "kind"`);
      }
      const options = typeof fn.options === 'object' && fn.options !== null ? (fn.options as Record<string, unknown>) : {};
      return { name: fn.name, kind: fn.kind, options };
    });
  }
  return {
    queueMaxDequeueCount: (maxDequeueCount as number | undefined) ?? DEFAULT_MAX_DEQUEUE_COUNT,
    manifest,
    dir,
    entry: path.resolve(dir, main),
    functionTimeoutMs: timeout === undefined ? DEFAULT_FUNCTION_TIMEOUT_MS : parseTimeSpan(timeout),
    routePrefix: routePrefix ?? DEFAULT_ROUTE_PREFIX,
    settings,
  };
}

export async function readAppConfig(dir: string): Promise<AppConfig> {
  const abs = path.resolve(dir);
  const [hostJson, packageJson, localSettings, manifest] = await Promise.all([
    readJson(path.join(abs, 'host.json'), true),
    readJson(path.join(abs, 'package.json'), true),
    readJson(path.join(abs, 'local.settings.json'), false),
    readJson(path.join(abs, 'faasport.json'), false),
  ]);
  return toAppConfig(abs, hostJson, packageJson!, localSettings, manifest);
}
