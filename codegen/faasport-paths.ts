/**
 * Where faasport's own code is, so generated bundles use the adapters of the faasport that runs the build:
 * built (`dist/cli.js` next to `dist/aws.js`, ...) or, under vitest, the TypeScript sources of this repo.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export type FaasportModule = 'faasport' | 'faasport/aws' | 'faasport/azure' | 'faasport/gcp' | 'faasport/testing';

export interface FaasportPaths {
  readonly mode: 'dist' | 'source';
  /** The package root (holds package.json). */
  readonly root: string;
  readonly modules: Readonly<Record<FaasportModule, string>>;
}

/** `here` is this module's folder: `dist/` once built (tsup bundles codegen into dist/*.js), `codegen/` in the repo. */
export function faasportPaths(here: string = dirname(fileURLToPath(import.meta.url))): FaasportPaths {
  if (basename(here) === 'dist') {
    const root = dirname(here);
    const file = (name: string) => join(here, `${name}.js`);
    return {
      mode: 'dist',
      root,
      modules: {
        faasport: file('index'),
        'faasport/aws': file('aws'),
        'faasport/azure': file('azure'),
        'faasport/gcp': file('gcp'),
        'faasport/testing': file('testing'),
      },
    };
  }
  const root = dirname(here);
  return {
    mode: 'source',
    root,
    modules: {
      faasport: join(root, 'core/index.ts'),
      'faasport/aws': join(root, 'adapters/aws/index.ts'),
      'faasport/azure': join(root, 'adapters/azure/index.ts'),
      'faasport/gcp': join(root, 'adapters/gcp/index.ts'),
      'faasport/testing': join(root, 'core/testing.ts'),
    },
  };
}

export interface ProviderVersions {
  readonly azureFunctions: string;
  readonly functionsFramework: string;
}

/** Used when faasport's package.json cannot be read (it always can in the published package). */
const FALLBACK_VERSIONS: ProviderVersions = { azureFunctions: '^4.16.5', functionsFramework: '^5.0.5' };

/** The range of `name` faasport was built and tested against, from its own package.json; undefined when unknown. */
export function testedRange(name: string, paths: FaasportPaths = faasportPaths()): string | undefined {
  const file = join(paths.root, 'package.json');
  if (!existsSync(file)) return undefined;
  const pkg = JSON.parse(readFileSync(file, 'utf8')) as { dependencies?: Record<string, string>; devDependencies?: Record<string, string>; peerDependencies?: Record<string, string> };
  // The range faasport was built and tested against (devDependencies) is narrower than what it accepts (peer).
  return pkg.devDependencies?.[name] ?? pkg.dependencies?.[name] ?? pkg.peerDependencies?.[name];
}

/** The version ranges of the provider packages faasport was built and tested against. */
export function providerVersions(paths: FaasportPaths = faasportPaths()): ProviderVersions {
  return {
    azureFunctions: testedRange('@azure/functions', paths) ?? FALLBACK_VERSIONS.azureFunctions,
    functionsFramework: testedRange('@google-cloud/functions-framework', paths) ?? FALLBACK_VERSIONS.functionsFramework,
  };
}

export function faasportVersion(paths: FaasportPaths = faasportPaths()): string {
  const file = join(paths.root, 'package.json');
  return existsSync(file) ? ((JSON.parse(readFileSync(file, 'utf8')) as { version?: string }).version ?? '0.0.0') : '0.0.0';
}
