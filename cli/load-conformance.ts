/** The conformance suite, loaded only by the verbs that run emulators. */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { faasportPaths } from '../codegen/faasport-paths.js';
import { InternalError } from './errors.js';

export type ConformanceModule = typeof import('../conformance-tests/index.js');

/** dist/conformance.js once built, the sources in this repository otherwise. */
export async function loadConformance(): Promise<ConformanceModule> {
  const paths = faasportPaths();
  const url = paths.mode === 'dist' ? pathToFileURL(join(paths.root, 'dist', 'conformance.js')).href : new URL('../conformance-tests/index.js', import.meta.url).href;
  try {
    return (await import(url)) as ConformanceModule;
  } catch (error) {
    throw new InternalError(`the conformance suite could not be loaded from ${url}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
