/** The `faasport.json` of a generated GCP output, validated (pure: no file access here). */
import type { AuthLevel, FunctionKind, HttpMethod } from '../../../core/types.js';
import { ManifestError, parseEntries, parseHttpOptions } from '../manifest.js';

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
  /** Anything but 'anonymous' needs the platform's credentials at the front door. */
  readonly authLevel: AuthLevel;
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

export { ManifestError };

/** What the functions-framework accepts as a registered name (its isValidFunctionName). */
const FUNCTION_NAME = /^[A-Za-z](?:[-_A-Za-z0-9]{0,61}[A-Za-z0-9])?$/;

export function parseManifest(json: unknown, where = 'faasport.json'): GcpManifest {
  const functions = parseEntries(json, 'gcp', where, ({ at, name, kind, options, raw }): ManifestFunction => {
    if (!FUNCTION_NAME.test(name)) {
      throw new ManifestError(
        `${at}.name ${JSON.stringify(name)} is not a GCP function name (a letter, then letters, digits, "-" or "_", at most 63)`,
      );
    }
    const { entry } = raw;
    if (typeof entry !== 'string' || entry === '') throw new ManifestError(`${at}.entry must be a file name like "index.mjs"`);
    const fn: ManifestFunction = { name, kind, options, entry };
    return kind === 'http' ? { ...fn, kind: 'http', ...parseHttpOptions(at, options) } as HttpManifestFunction : parseEventFunction(at, fn);
  });
  return { functions };
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
