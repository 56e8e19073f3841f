/** The `faasport.json` of a generated AWS output, validated (pure: no file access here). */
import type { AuthLevel, FunctionKind, HttpMethod } from '../../../core/types.js';
import { ManifestError, parseEntries, parseHttpOptions } from '../manifest.js';

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
  /** Anything but 'anonymous' needs the platform's credentials at the front door. */
  readonly authLevel: AuthLevel;
}

export interface AwsManifest {
  readonly functions: readonly ManifestFunction[];
}

export { ManifestError };

export function parseManifest(json: unknown, where = 'faasport.json'): AwsManifest {
  const functions = parseEntries(json, 'aws', where, ({ at, name, kind, options, raw }): ManifestFunction => {
    const { entry, handler } = raw;
    if (typeof entry !== 'string') throw new ManifestError(`${at}.entry must be a string`);
    if (typeof handler !== 'string' || !/^[^.]+\.[^.]/.test(handler)) {
      throw new ManifestError(`${at}.handler must be a Lambda handler string like "${name}/index.handler"`);
    }
    const fn: ManifestFunction = { name, kind, options, entry, handler };
    return kind === 'http' ? { ...fn, kind: 'http', ...parseHttpOptions(at, options) } : fn;
  });
  return { functions };
}

export const isHttpFunction = (fn: ManifestFunction): fn is HttpManifestFunction => fn.kind === 'http';
