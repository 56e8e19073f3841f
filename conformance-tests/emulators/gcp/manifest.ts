/** The `faasport.json` of a generated GCP output, validated (pure: no file access here). */
import { FUNCTION_KINDS, HTTP_METHODS, type FunctionKind, type HttpMethod } from '../../../core/types.js';

export interface ManifestFunction {
  readonly name: string;
  readonly kind: FunctionKind;
  readonly options: Readonly<Record<string, unknown>>;
  /** The shared bundle, `index.mjs`, relative to the output dir. */
  readonly entry: string;
}

export interface HttpManifestFunction extends ManifestFunction {
  readonly kind: 'http';
  readonly route: string;
  /** Declared methods; undefined means every method. */
  readonly methods: readonly HttpMethod[] | undefined;
}

export const EVENT_KINDS = ['queue', 'topic', 'storage', 'schedule', 'event'] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

export interface EventManifestFunction extends ManifestFunction {
  readonly kind: EventKind;
  /** Queue or topic name, bucket, or undefined (schedule, event). */
  readonly source: string | undefined;
  /** `options.maxAttempts` when set (queue, topic). */
  readonly maxAttempts: number | undefined;
}

export interface GcpManifest {
  readonly functions: readonly ManifestFunction[];
}

export class ManifestError extends Error {
  override name = 'ManifestError';
}

/** What the functions-framework accepts as a registered name (its isValidFunctionName). */
const FUNCTION_NAME = /^[A-Za-z](?:[-_A-Za-z0-9]{0,61}[A-Za-z0-9])?$/;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export function parseManifest(json: unknown, where = 'faasport.json'): GcpManifest {
  if (!isRecord(json)) throw new ManifestError(`${where}: expected a JSON object`);
  if (json.provider !== undefined && json.provider !== 'gcp') {
    throw new ManifestError(`${where}: provider is "${String(json.provider)}", the GCP emulator needs a "gcp" output`);
  }
  if (!Array.isArray(json.functions)) throw new ManifestError(`${where}: "functions" must be an array`);
  const seen = new Set<string>();
  const functions = json.functions.map((raw: unknown, index): ManifestFunction => {
    const at = `${where}: functions[${index}]`;
    if (!isRecord(raw)) throw new ManifestError(`${at} must be an object`);
    const { name, kind, options, entry } = raw;
    if (typeof name !== 'string' || !FUNCTION_NAME.test(name)) {
      throw new ManifestError(
        `${at}.name ${JSON.stringify(name)} is not a GCP function name (a letter, then letters, digits, "-" or "_", at most 63)`,
      );
    }
    if (seen.has(name)) throw new ManifestError(`${at}: function "${name}" appears twice`);
    seen.add(name);
    if (typeof kind !== 'string' || !(FUNCTION_KINDS as readonly string[]).includes(kind)) {
      throw new ManifestError(`${at}.kind must be one of ${FUNCTION_KINDS.join(', ')}`);
    }
    if (!isRecord(options)) throw new ManifestError(`${at}.options must be an object`);
    if (typeof entry !== 'string' || entry === '') throw new ManifestError(`${at}.entry must be a file name like "index.mjs"`);
    const fn: ManifestFunction = { name, kind: kind as FunctionKind, options, entry };
    return kind === 'http' ? parseHttpFunction(at, fn) : parseEventFunction(at, fn);
  });
  return { functions };
}

function parseHttpFunction(at: string, fn: ManifestFunction): HttpManifestFunction {
  const { route, methods } = fn.options;
  if (typeof route !== 'string' || !route.startsWith('/')) {
    throw new ManifestError(`${at}.options.route must be a path starting with "/"`);
  }
  if (methods !== undefined) {
    const valid = Array.isArray(methods) && methods.every((m) => (HTTP_METHODS as readonly unknown[]).includes(m));
    if (!valid) throw new ManifestError(`${at}.options.methods must list methods among ${HTTP_METHODS.join(', ')}`);
  }
  const declared = methods as readonly HttpMethod[] | undefined;
  return { ...fn, kind: 'http', route, methods: declared && declared.length > 0 ? declared : undefined };
}

const SOURCE_OPTION = { queue: 'queue', topic: 'topic', storage: 'bucket', schedule: undefined, event: undefined } as const satisfies Record<
  EventKind,
  string | undefined
>;

function parseEventFunction(at: string, fn: ManifestFunction): EventManifestFunction {
  const kind = fn.kind as EventKind;
  const key = SOURCE_OPTION[kind];
  const source = key === undefined ? undefined : fn.options[key];
  if (key !== undefined && (typeof source !== 'string' || source === '')) {
    throw new ManifestError(`${at}.options.${key} must name the ${kind === 'storage' ? 'bucket' : kind}`);
  }
  const { maxAttempts } = fn.options;
  if (maxAttempts !== undefined && !(typeof maxAttempts === 'number' && Number.isInteger(maxAttempts) && maxAttempts >= 1)) {
    throw new ManifestError(`${at}.options.maxAttempts must be a positive integer`);
  }
  return { ...fn, kind, source: source as string | undefined, maxAttempts: maxAttempts as number | undefined };
}

export const isHttpFunction = (fn: ManifestFunction): fn is HttpManifestFunction => fn.kind === 'http';
export const isEventFunction = (fn: ManifestFunction): fn is EventManifestFunction => fn.kind !== 'http';
