/**
 * Loads a user's conformance cases (`faasport conformance src --cases conformance.ts`): the file is bundled
 * with esbuild so TypeScript works without a loader, and `faasport/*` imports point at the faasport that runs.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Plugin } from 'esbuild';
import type { ConformanceCase } from '../conformance-tests/invoker.js';
import { CodegenError } from '../codegen/errors.js';
import { faasportPaths, type FaasportModule, type FaasportPaths } from '../codegen/faasport-paths.js';

function conformanceModule(paths: FaasportPaths): string {
  return paths.mode === 'dist' ? join(paths.root, 'dist', 'conformance.js') : join(paths.root, 'conformance-tests', 'index.ts');
}

function faasportImports(paths: FaasportPaths): Plugin {
  return {
    name: 'faasport-imports',
    setup(b) {
      b.onResolve({ filter: /^faasport(\/[a-z]+)?$/ }, (args) => {
        if (args.path === 'faasport/conformance') {
          const file = conformanceModule(paths);
          // Built: share the one conformance module the CLI loaded. From source: bundle it in.
          return paths.mode === 'dist' ? { path: pathToFileURL(file).href, external: true } : { path: file };
        }
        const file = paths.modules[args.path as FaasportModule];
        if (!file) return { errors: [{ text: `"${args.path}" is not a faasport module` }] };
        return { path: file };
      });
    },
  };
}

function isCase(value: unknown): value is ConformanceCase {
  return typeof value === 'object' && value !== null && typeof (value as ConformanceCase).name === 'string' && typeof (value as ConformanceCase).run === 'function';
}

/** The cases a module exports: every exported array of `defineCase(...)`. */
export async function loadCases(file: string, cwd: string, paths: FaasportPaths = faasportPaths()): Promise<ConformanceCase[]> {
  const entry = resolve(cwd, file);
  const dir = await mkdtemp(join(tmpdir(), 'faasport-cases-'));
  try {
    const outfile = join(dir, 'cases.mjs');
    try {
      await build({
        entryPoints: [entry],
        outfile,
        bundle: true,
        format: 'esm',
        platform: 'node',
        target: 'node20',
        plugins: [faasportImports(paths)],
        logLevel: 'silent',
      });
    } catch (error) {
      const text = (error as { errors?: { text: string }[] }).errors?.map((e) => e.text).join('; ') ?? String(error);
      throw new CodegenError({ message: `--cases ${file} does not bundle: ${text}` });
    }
    const mod = (await import(pathToFileURL(outfile).href)) as Record<string, unknown>;
    // Every exported array of cases, in export order (`cases`, `default`, `shopCases`, ...).
    const cases = Object.values(mod).filter((v): v is ConformanceCase[] => Array.isArray(v) && v.length > 0 && v.every(isCase)).flat();
    if (cases.length === 0) {
      throw new CodegenError({
        message: `--cases ${file} exports no cases: export an array of defineCase(name, run) from 'faasport/conformance', e.g. \`export const cases = [...]\``,
      });
    }
    return cases;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
