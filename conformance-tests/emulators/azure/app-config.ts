/**
 * What the emulated host reads from a Functions app folder: host.json (functionTimeout, routePrefix,
 * extensions.queues: maxDequeueCount, batchSize, newBatchThreshold, visibilityTimeout),
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
  /** host.json `extensions.queues`, with the host's defaults (see QueueSettings). */
  readonly queues: QueueSettings;
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

/**
 * The storage queue listener's settings (host.json `extensions.queues`), which the host also uses for the shared
 * queue behind Event Grid blob triggers. Defaults and rules from the WebJobs storage extension's QueuesOptions
 * (Azure/azure-sdk-for-net, sdk/storage, the WebJobs storage extensions' QueuesOptions.cs; the batch rule is QueueListener's
 * WaitForNewBatchThreshold):
 * batchSize 16 (1 to 32); newBatchThreshold, when not set, `(batchSize / 2) * processorCount` in integer
 * arithmetic, where processorCount is 1 on the Dynamic SKU and the machine's count elsewhere (the emulator takes 1);
 * visibilityTimeout 0 (the delay before a failed message is visible again); maxDequeueCount 5.
 */
export interface QueueSettings {
  readonly batchSize: number;
  readonly newBatchThreshold: number;
  readonly visibilityTimeoutMs: number;
  readonly maxDequeueCount: number;
}

export const DEFAULT_QUEUE_BATCH_SIZE = 16;
export const MAX_QUEUE_BATCH_SIZE = 32;

/**
 * The Flex Consumption plan's default `functionTimeout` (30 minutes; no maximum), which the emulator uses when
 * host.json sets none (https://learn.microsoft.com/azure/azure-functions/functions-scale#timeout, "Flex Consumption
 * plan: default 30, maximum unbounded"). Flex Consumption is faasport's Azure target.
 */
export const DEFAULT_FUNCTION_TIMEOUT_MS = 30 * 60_000;
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
  const queueSettings = readQueueSettings(queues as Record<string, unknown> | undefined, maxDequeueCount as number | undefined);
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
    queueMaxDequeueCount: queueSettings.maxDequeueCount,
    queues: queueSettings,
    manifest,
    dir,
    entry: path.resolve(dir, main),
    functionTimeoutMs: timeout === undefined ? DEFAULT_FUNCTION_TIMEOUT_MS : parseTimeSpan(timeout),
    routePrefix: routePrefix ?? DEFAULT_ROUTE_PREFIX,
    settings,
  };
}

function readQueueSettings(queues: Record<string, unknown> | undefined, maxDequeueCount: number | undefined): QueueSettings {
  const integer = (name: string, min: number, max: number): number | undefined => {
    const value = queues?.[name];
    if (value === undefined) return undefined;
    if (!Number.isInteger(value) || (value as number) < min || (value as number) > max) {
      throw new TypeError(`faasport azure emulator: host.json extensions.queues.${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(value)}`);
    }
    return value as number;
  };
  const batchSize = integer('batchSize', 1, MAX_QUEUE_BATCH_SIZE) ?? DEFAULT_QUEUE_BATCH_SIZE;
  const newBatchThreshold = integer('newBatchThreshold', 0, Number.MAX_SAFE_INTEGER) ?? Math.floor(batchSize / 2);
  const visibility = queues?.visibilityTimeout;
  if (visibility !== undefined && typeof visibility !== 'string') {
    throw new TypeError(`faasport azure emulator: host.json extensions.queues.visibilityTimeout must be a TimeSpan string like "00:00:30"`);
  }
  const visibilityTimeoutMs = visibility === undefined ? 0 : parseTimeSpan(visibility);
  if (!Number.isFinite(visibilityTimeoutMs)) throw new TypeError(`faasport azure emulator: host.json extensions.queues.visibilityTimeout cannot be "-1"`);
  return { batchSize, newBatchThreshold, visibilityTimeoutMs, maxDequeueCount: maxDequeueCount ?? DEFAULT_MAX_DEQUEUE_COUNT };
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
