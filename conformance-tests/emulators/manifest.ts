/** What every emulator reads from a generated `faasport.json` (pure: no file access here). */
import { FUNCTION_KINDS, HTTP_METHODS, type AuthLevel, type FunctionKind, type HttpMethod, type Provider } from '../../core/types.js';

export class ManifestError extends Error {
  override name = 'ManifestError';
}

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The fields every provider's manifest entry has, checked; `raw` keeps the provider-specific rest. */
export interface ManifestEntry {
  readonly at: string;
  readonly name: string;
  readonly kind: FunctionKind;
  readonly options: Readonly<Record<string, unknown>>;
  readonly raw: Readonly<Record<string, unknown>>;
}

/** Checks the envelope and the common fields, then hands each entry to `toFunction`. */
export function parseEntries<F>(
  json: unknown,
  provider: Provider,
  where: string,
  toFunction: (entry: ManifestEntry) => F,
): F[] {
  if (!isRecord(json)) throw new ManifestError(`${where}: expected a JSON object`);
  if (json.provider !== undefined && json.provider !== provider) {
    throw new ManifestError(`${where}: provider is "${String(json.provider)}", the emulator for ${provider} needs an output built with --provider ${provider}`);
  }
  if (!Array.isArray(json.functions)) throw new ManifestError(`${where}: "functions" must be an array`);
  const seen = new Set<string>();
  return json.functions.map((raw: unknown, index) => {
    const at = `${where}: functions[${index}]`;
    if (!isRecord(raw)) throw new ManifestError(`${at} must be an object`);
    const { name, kind, options } = raw;
    if (typeof name !== 'string' || name === '') throw new ManifestError(`${at}.name must be a non-empty string`);
    if (seen.has(name)) throw new ManifestError(`${at}: function "${name}" appears twice`);
    seen.add(name);
    if (typeof kind !== 'string' || !(FUNCTION_KINDS as readonly string[]).includes(kind)) {
      throw new ManifestError(`${at}.kind must be one of ${FUNCTION_KINDS.join(', ')}`);
    }
    if (!isRecord(options)) throw new ManifestError(`${at}.options must be an object`);
    return toFunction({ at, name, kind: kind as FunctionKind, options, raw });
  });
}

const AUTH_LEVELS: readonly AuthLevel[] = ['anonymous', 'function', 'admin'];

/** An HTTP function's route, declared methods (undefined: every method) and auth level. */
export function parseHttpOptions(
  at: string,
  options: Readonly<Record<string, unknown>>,
): { route: string; methods: readonly HttpMethod[] | undefined; authLevel: AuthLevel } {
  const { route, methods, authLevel = 'anonymous' } = options;
  if (typeof route !== 'string' || !route.startsWith('/')) {
    throw new ManifestError(`${at}.options.route must be a path starting with "/"`);
  }
  if (methods !== undefined) {
    const valid = Array.isArray(methods) && methods.every((m) => (HTTP_METHODS as readonly unknown[]).includes(m));
    if (!valid) throw new ManifestError(`${at}.options.methods must list methods among ${HTTP_METHODS.join(', ')}`);
  }
  if (!(AUTH_LEVELS as readonly unknown[]).includes(authLevel)) {
    throw new ManifestError(`${at}.options.authLevel must be one of ${AUTH_LEVELS.join(', ')}`);
  }
  const declared = methods as readonly HttpMethod[] | undefined;
  return { route, methods: declared && declared.length > 0 ? declared : undefined, authLevel: authLevel as AuthLevel };
}
