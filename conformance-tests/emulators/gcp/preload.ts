/**
 * The module each function process preloads with `node --import` (pure: builds source text).
 *
 * 1. A module.register() resolve hook: the app bundle imports '@google-cloud/functions-framework'
 *    as a bare specifier but the output dir usually has no node_modules. When normal resolution fails,
 *    the hook resolves the specifier again as if imported from inside the copy the CLI runs, so the
 *    app gets the very module instance whose registry the CLI reads `--target` from (ESM ignores
 *    NODE_PATH; nothing is written into the app dir).
 * 2. A watchdog: the process exits when its IPC channel to the emulator closes, so a killed emulator
 *    leaves no orphan behind.
 *
 * Both travel as data: URLs, so the published package needs no extra files.
 */

export interface PreloadOptions {
  /** Bare package names to resolve from `fallbackParentUrl` when the app cannot resolve them. */
  readonly packages: readonly string[];
  /** A file URL inside the package copy the CLI runs (its main module). */
  readonly fallbackParentUrl: string;
}

const dataUrl = (source: string) => `data:text/javascript,${encodeURIComponent(source)}`;

export function resolveHookSource({ packages, fallbackParentUrl }: PreloadOptions): string {
  return `const PACKAGES = ${JSON.stringify(packages)};
const FALLBACK_PARENT = ${JSON.stringify(fallbackParentUrl)};
const owns = (specifier) => PACKAGES.some((p) => specifier === p || specifier.startsWith(p + '/'));
export async function resolve(specifier, context, nextResolve) {
  try {
    return await nextResolve(specifier, context);
  } catch (error) {
    if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !owns(specifier)) throw error;
    return nextResolve(specifier, { ...context, parentURL: FALLBACK_PARENT });
  }
}
`;
}

export function preloadSource(options: PreloadOptions): string {
  return `import { register } from 'node:module';
register(${JSON.stringify(dataUrl(resolveHookSource(options)))});
if (process.channel) {
  process.channel.unref();
  process.once('disconnect', () => process.exit(0));
}
`;
}

/** The `--import` argument. */
export const preloadUrl = (options: PreloadOptions): string => dataUrl(preloadSource(options));
