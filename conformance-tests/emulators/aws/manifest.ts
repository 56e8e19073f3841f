/** The `faasport.json` of a generated AWS output, validated (pure: no file access here). */
import { FUNCTION_KINDS, HTTP_METHODS, type FunctionKind, type HttpMethod } from '../../../core/types.js';

export interface ManifestFunction {
  readonly name: string;
  readonly kind: FunctionKind;
  readonly options: Readonly<Record<string, unknown>>;
  /** `<name>/index.mjs`, relative to the output dir. */
  readonly entry: string;
  /** Lambda handler string relative to the task root, e.g. `<name>/index.handler`. */
  readonly handler: string;
}

export interface HttpManifestFunction extends ManifestFunction {
  readonly kind: 'http';
  readonly route: string;
  /** Declared methods; undefined means every method. */
  readonly methods: readonly HttpMethod[] | undefined;
}

export interface AwsManifest {
  readonly functions: readonly ManifestFunction[];
}

export class ManifestError extends Error {
  override name = 'ManifestError';
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export function parseManifest(json: unknown, where = 'faasport.json'): AwsManifest {
  if (!isRecord(json)) throw new ManifestError(`${where}: expected a JSON object`);
  if (json.provider !== undefined && json.provider !== 'aws') {
    throw new ManifestError(`${where}: provider is "${String(json.provider)}", the AWS emulator needs an "aws" output`);
  }
  if (!Array.isArray(json.functions)) throw new ManifestError(`${where}: "functions" must be an array`);
  const seen = new Set<string>();
  const functions = json.functions.map((raw: unknown, index): ManifestFunction => {
    const at = `${where}: functions[${index}]`;
    if (!isRecord(raw)) throw new ManifestError(`${at} must be an object`);
    const { name, kind, options, entry, handler } = raw;
    if (typeof name !== 'string' || name === '') throw new ManifestError(`${at}.name must be a non-empty string`);
    if (seen.has(name)) throw new ManifestError(`${at}: function "${name}" appears twice`);
    seen.add(name);
    if (typeof kind !== 'string' || !(FUNCTION_KINDS as readonly string[]).includes(kind)) {
      throw new ManifestError(`${at}.kind must be one of ${FUNCTION_KINDS.join(', ')}`);
    }
    if (!isRecord(options)) throw new ManifestError(`${at}.options must be an object`);
    if (typeof entry !== 'string') throw new ManifestError(`${at}.entry must be a string`);
    if (typeof handler !== 'string' || !/^[^.]+\.[^.]/.test(handler)) {
      throw new ManifestError(`${at}.handler must be a Lambda handler string like "${name}/index.handler"`);
    }
    if (kind === 'http') return parseHttpFunction(at, { name, kind, options, entry, handler });
    return { name, kind: kind as FunctionKind, options, entry, handler };
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

export const isHttpFunction = (fn: ManifestFunction): fn is HttpManifestFunction => fn.kind === 'http';
