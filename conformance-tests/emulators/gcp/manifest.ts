/** The `faasport.json` of a generated GCP output, validated (pure: no file access here). */
import type { AuthLevel, FunctionKind, HttpMethod } from '../../../core/types.js';
import { GCP_DEFAULTS, GCP_LIMITS } from '../../../codegen/platforms/gcp.js';
import { isRecord, ManifestError, parseEntries, parseHttpOptions } from '../manifest.js';

export interface ManifestFunction {
  readonly name: string;
  readonly kind: FunctionKind;
  readonly options: Readonly<Record<string, unknown>>;
  /** The shared bundle, `index.mjs`, relative to the output dir. */
  readonly entry: string;
  /**
   * The timeout `gcloud functions deploy --timeout` is given (`settings.timeout`, written by codegen); 60 s, the
   * platform's default, for a manifest without settings.
   */
  readonly timeoutSeconds: number;
  /** Plain values of `settings.environment` (`--set-env-vars`); secret references are not resolved locally. */
  readonly environment: Readonly<Record<string, string>>;
  /** Names of the variables `--set-secrets` fills from Secret Manager. */
  readonly secretNames: readonly string[];
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
  /** Deliveries before dead-lettering as deployed (`settings.maxAttempts`), else `options.maxAttempts` when set. */
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
    const settings = raw.settings === undefined ? {} : raw.settings;
    if (!isRecord(settings)) throw new ManifestError(`${at}.settings must be an object`);
    const { timeout = DEFAULT_TIMEOUT_SECONDS } = settings;
    if (!(typeof timeout === 'number' && Number.isFinite(timeout) && timeout > 0)) throw new ManifestError(`${at}.settings.timeout must be a positive number of seconds`);
    // The platform's ceiling (codegen refuses more; a hand-edited manifest gets the same answer here).
    const limit = kind === 'http' ? GCP_LIMITS.httpTimeout : GCP_LIMITS.eventTimeout;
    if (timeout > limit.max) {
      throw new ManifestError(`${at}.settings.timeout is ${timeout} s; Cloud Run functions allows at most ${limit.max} s for ${kind === 'http' ? 'HTTP' : 'event-driven'} functions (${limit.source})`);
    }
    const { environment, secretNames } = parseEnvironment(at, settings.environment);
    const fn: ManifestFunction = { name, kind, options, entry, timeoutSeconds: timeout, environment, secretNames };
    if (kind !== 'http') return parseEventFunction(at, fn, settings.maxAttempts);
    return { ...fn, kind: 'http', ...parseHttpOptions(at, options) } as HttpManifestFunction;
  });
  return { functions };
}

const SOURCE_OPTION = { queue: 'queue', topic: 'topic', storage: 'bucket', schedule: undefined, event: undefined } as const satisfies Record<
  EventKind,
  string | undefined
>;

function parseEnvironment(at: string, value: unknown): { environment: Record<string, string>; secretNames: string[] } {
  if (value === undefined) return { environment: {}, secretNames: [] };
  if (!isRecord(value)) throw new ManifestError(`${at}.settings.environment must be an object`);
  const environment: Record<string, string> = {};
  const secretNames: string[] = [];
  for (const [name, entry] of Object.entries(value)) {
    if (typeof entry === 'string') environment[name] = entry;
    else if (isRecord(entry) && typeof entry.secret === 'string') secretNames.push(name);
    else throw new ManifestError(`${at}.settings.environment.${name} must be a string or { secret }`);
  }
  return { environment, secretNames };
}

/** Cloud Run functions' timeout when none is set: 60 s (https://cloud.google.com/functions/docs/configuring/timeout). */
export const DEFAULT_TIMEOUT_SECONDS: number = GCP_DEFAULTS.timeout;

function parseEventFunction(at: string, fn: ManifestFunction, deployedAttempts: unknown): EventManifestFunction {
  const kind = fn.kind as EventKind;
  const key = SOURCE_OPTION[kind];
  const source = key === undefined ? undefined : fn.options[key];
  if (key !== undefined && (typeof source !== 'string' || source === '')) {
    throw new ManifestError(`${at}.options.${key} must name the ${kind === 'storage' ? 'bucket' : kind}`);
  }
  const maxAttempts = deployedAttempts ?? fn.options.maxAttempts;
  if (maxAttempts !== undefined && !(typeof maxAttempts === 'number' && Number.isInteger(maxAttempts) && maxAttempts >= 1)) {
    throw new ManifestError(`${at}.${deployedAttempts === undefined ? 'options' : 'settings'}.maxAttempts must be a positive integer`);
  }
  return { ...fn, kind, source: source as string | undefined, maxAttempts: maxAttempts as number | undefined };
}

export const isHttpFunction = (fn: ManifestFunction): fn is HttpManifestFunction => fn.kind === 'http';
export const isEventFunction = (fn: ManifestFunction): fn is EventManifestFunction => fn.kind !== 'http';
