/** The conformance suite, loaded only by the verbs that run emulators, after their packages were checked. */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { faasportPaths } from '../codegen/faasport-paths.js';
import { missingPackage, SetupError } from './errors.js';

export type ConformanceModule = typeof import('../conformance-tests/index.js');

/** dist/conformance.js once built, the sources in this repository otherwise. */
export async function loadConformance(): Promise<ConformanceModule> {
  const paths = faasportPaths();
  const url = paths.mode === 'dist' ? pathToFileURL(join(paths.root, 'dist', 'conformance.js')).href : new URL('../conformance-tests/index.js', import.meta.url).href;
  try {
    return (await import(url)) as ConformanceModule;
  } catch (error) {
    const name = missingPackage(error);
    if (name) throw new SetupError(`the conformance suite needs the package ${name}, which is not installed`, ['npx faasport setup', `npm install --save-dev ${name}`]);
    throw error;
  }
}
