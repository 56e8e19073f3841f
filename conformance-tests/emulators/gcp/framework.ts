/** Which functions-framework copy runs an app dir (touches the file system through module resolution). */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const FRAMEWORK_PACKAGE = '@google-cloud/functions-framework';

export interface FrameworkCopy {
  /** build/src/main.js: the `functions-framework` bin. */
  readonly cliPath: string;
  /** file: URL of the package's main module, for the resolve hook's fallback. */
  readonly mainUrl: string;
  /** Whether the copy is the app's own (its node_modules) rather than faasport's. */
  readonly fromApp: boolean;
}

// This file's location, in the ESM source, the ESM build and the CJS build alike.
const here = typeof __filename === 'string' ? __filename : fileURLToPath(import.meta.url);

function resolveFrom(base: string): string | undefined {
  try {
    return createRequire(base).resolve(FRAMEWORK_PACKAGE);
  } catch {
    return undefined;
  }
}

/**
 * The app's own copy when its dir resolves one (the app then imports that copy, so the CLI must be
 * that copy too), else faasport's. require.resolve returns the real path, as the ESM loader does,
 * so the CLI and the app load the same files and share the registry.
 */
export function locateFramework(appDir: string): FrameworkCopy {
  const own = resolveFrom(join(appDir, 'package.json'));
  const main = own ?? resolveFrom(here);
  if (!main) {
    throw new Error(
      `faasport gcp emulator: cannot find ${FRAMEWORK_PACKAGE} from ${appDir} or from faasport; install it (npm i -D ${FRAMEWORK_PACKAGE})`,
    );
  }
  return { cliPath: join(dirname(main), 'main.js'), mainUrl: pathToFileURL(main).href, fromApp: own !== undefined };
}
