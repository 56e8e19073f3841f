/** The `faasport.json` of a generated AWS output, validated (pure: no file access here). */
import { DEFAULT_NODE_RUNTIME, type AuthLevel, type FunctionKind, type HttpMethod, type SecretRef } from '../../../core/types.js';
import { AWS_RUNTIMES } from '../../../codegen/platforms/aws.js';
import { ManifestError, isRecord, parseEntries, parseHttpOptions } from '../manifest.js';

/**
 * What the template tells Lambda about one function (`settings` in faasport.json, written by `faasport build`
 * from the same values as `Timeout`, `MemorySize` and `Environment` in template.yaml).
 */
export interface LambdaSettings {
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
  /** Plain values, and secrets by name (CloudFormation resolves those from Secrets Manager at deploy time). */
  readonly environment: Readonly<Record<string, string | SecretRef>>;
}

/**
 * What Lambda applies to a function created without Timeout or MemorySize: 3 s and 128 MB
 * (https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html). Only a hand-written faasport.json
 * lacks settings; `faasport build` always writes them.
 */
export const LAMBDA_DEFAULT_SETTINGS: LambdaSettings = { timeoutSeconds: 3, memoryMb: 128, environment: {} };

export interface ManifestFunction {
  readonly name: string;
  readonly kind: FunctionKind;
  readonly options: Readonly<Record<string, unknown>>;
  /** `<name>/index.mjs`, relative to the output dir. */
  readonly entry: string;
  /** Lambda handler string relative to the output dir, e.g. `<name>/index.handler`. */
  readonly handler: string;
  /** The function's CodeUri folder, relative to the output dir: what Lambda unpacks into /var/task. */
  readonly codeDir: string;
  /** The handler inside that folder, as the template's `Handler` says it: `index.handler`. */
  readonly codeHandler: string;
  readonly settings: LambdaSettings;
}

export interface HttpManifestFunction extends ManifestFunction {
  readonly kind: 'http';
  readonly route: string;
  /** Declared methods; undefined means every method. */
  readonly methods: readonly HttpMethod[] | undefined;
  /** Anything but 'anonymous' needs the platform's credentials at the front door. */
  readonly authLevel: AuthLevel;
}

export interface AwsManifest {
  /** Lambda's runtime id the template deploys (`nodejs24.x`): AWS_EXECUTION_ENV is `AWS_Lambda_<id>`. */
  readonly runtimeId: string;
  readonly functions: readonly ManifestFunction[];
}

export { ManifestError };

const positiveInteger = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value) && value > 0;

function parseSettings(at: string, raw: unknown): LambdaSettings {
  if (raw === undefined) return LAMBDA_DEFAULT_SETTINGS;
  if (!isRecord(raw)) throw new ManifestError(`${at}.settings must be an object with timeout, memory and environment`);
  const { timeout, memory, environment = {} } = raw;
  if (!positiveInteger(timeout)) throw new ManifestError(`${at}.settings.timeout must be a whole number of seconds`);
  if (!positiveInteger(memory)) throw new ManifestError(`${at}.settings.memory must be a whole number of MB`);
  if (!isRecord(environment)) throw new ManifestError(`${at}.settings.environment must be an object`);
  for (const [name, value] of Object.entries(environment)) {
    const isSecret = isRecord(value) && typeof value.secret === 'string' && (value.version === undefined || typeof value.version === 'string');
    if (typeof value !== 'string' && !isSecret) {
      throw new ManifestError(`${at}.settings.environment.${name} must be a string or { secret: "name", version?: "n" }`);
    }
  }
  return { timeoutSeconds: timeout, memoryMb: memory, environment: environment as LambdaSettings['environment'] };
}

function parseRuntimeId(json: unknown, where: string): string {
  const runtime = isRecord(json) ? json.runtime : undefined;
  // A hand-written manifest may say nothing: faasport's default runtime then.
  if (runtime === undefined) return AWS_RUNTIMES.find((r) => r.runtime === DEFAULT_NODE_RUNTIME)!.id;
  if (!isRecord(runtime) || typeof runtime.id !== 'string' || !/^nodejs\d+\.x$/.test(runtime.id)) {
    throw new ManifestError(`${where}: runtime.id must be a Lambda Node.js runtime id like "nodejs24.x"`);
  }
  return runtime.id;
}

export function parseManifest(json: unknown, where = 'faasport.json'): AwsManifest {
  const functions = parseEntries(json, 'aws', where, ({ at, name, kind, options, raw }): ManifestFunction => {
    const { entry, handler } = raw;
    if (typeof entry !== 'string') throw new ManifestError(`${at}.entry must be a string`);
    if (typeof handler !== 'string' || !/^[^.]+\.[^.]/.test(handler)) {
      throw new ManifestError(`${at}.handler must be a Lambda handler string like "${name}/index.handler"`);
    }
    // `<name>/index.handler` relative to the output dir is `CodeUri: <name>/` with `Handler: index.handler`.
    const slash = handler.lastIndexOf('/');
    const codeDir = slash === -1 ? '.' : handler.slice(0, slash);
    const codeHandler = handler.slice(slash + 1);
    const settings = parseSettings(at, raw.settings);
    const fn: ManifestFunction = { name, kind, options, entry, handler, codeDir, codeHandler, settings };
    return kind === 'http' ? { ...fn, kind: 'http', ...parseHttpOptions(at, options) } : fn;
  });
  return { runtimeId: parseRuntimeId(json, where), functions };
}

export const isHttpFunction = (fn: ManifestFunction): fn is HttpManifestFunction => fn.kind === 'http';

/**
 * The function's environment as Lambda gets it. A secret is a CloudFormation dynamic reference that only a
 * deployment resolves; locally the variable holds a placeholder naming the secret, and `env` can give it a value.
 */
export function functionEnvironment(environment: Readonly<Record<string, string | SecretRef>>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(environment)) {
    env[name] = typeof value === 'string' ? value : `${UNRESOLVED_SECRET_PREFIX}${value.secret}${value.version === undefined ? '' : `:${value.version}`}`;
  }
  return env;
}

/** What a function reads in a variable that holds a secret the emulator cannot resolve. */
export const UNRESOLVED_SECRET_PREFIX = 'faasport-emulator-unresolved-secret:';
