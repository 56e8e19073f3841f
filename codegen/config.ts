/**
 * `faasport.config.ts` (or .mts/.js/.mjs) in the project folder: bundled with esbuild so TypeScript needs no
 * loader, then imported; its default export (from `defineConfig`) is checked field by field.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import type { FaasportConfig } from '../core/types.js';
import { parseProviders } from './build.js';
import { CodegenError, type Problem } from './errors.js';
import { faasportPaths, type FaasportModule, type FaasportPaths } from './faasport-paths.js';
import { SETTING_SPECS } from './options.js';
import { parseRuntime } from './runtime.js';
import type { StaticValue } from './static-value.js';

export const CONFIG_FILES = ['faasport.config.ts', 'faasport.config.mts', 'faasport.config.js', 'faasport.config.mjs'] as const;
const CONFIG_KEYS = ['entries', 'outDir', 'providers', 'runtime', 'defaults', 'functions'] as const;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function settingsProblems(value: unknown, where: string, problems: Problem[]): void {
  if (!isObject(value)) {
    problems.push({ message: `${where} must be an object of function settings (${Object.keys(SETTING_SPECS).join(', ')})` });
    return;
  }
  for (const [key, setting] of Object.entries(value)) {
    const spec = (SETTING_SPECS as Record<string, { check: (v: StaticValue) => string | undefined }>)[key];
    if (!spec) problems.push({ message: `${where} has no setting "${key}"; known settings: ${Object.keys(SETTING_SPECS).join(', ')}` });
    else {
      const why = spec.check(setting as StaticValue);
      if (why) problems.push({ message: `${where}.${key} ${why}` });
    }
  }
}

/** Checks a loaded config; every problem names the field and the file. */
export function checkConfig(value: unknown, file: string): FaasportConfig {
  const problems: Problem[] = [];
  if (!isObject(value)) throw new CodegenError({ message: `${file} must export default defineConfig({ ... }) from 'faasport'` });
  for (const key of Object.keys(value)) {
    if (!(CONFIG_KEYS as readonly string[]).includes(key)) problems.push({ message: `${file}: unknown field "${key}"; known fields: ${CONFIG_KEYS.join(', ')}` });
  }
  const { entries, outDir, providers, runtime, defaults, functions } = value;
  if (entries !== undefined && !(Array.isArray(entries) && entries.every((e) => typeof e === 'string' && e !== ''))) problems.push({ message: `${file}: entries must be an array of files or folders` });
  if (outDir !== undefined && (typeof outDir !== 'string' || outDir === '')) problems.push({ message: `${file}: outDir must be a folder name` });
  const collect = (run: () => unknown) => {
    try {
      run();
    } catch (error) {
      if (!(error instanceof CodegenError)) throw error;
      problems.push(...error.problems.map((p) => ({ message: `${file}: ${p.message}` })));
    }
  };
  if (providers !== undefined) collect(() => parseProviders(providers as string[]));
  if (runtime !== undefined) collect(() => parseRuntime(runtime, 'runtime'));
  if (defaults !== undefined) settingsProblems(defaults, `${file}: defaults`, problems);
  if (functions !== undefined) {
    if (!isObject(functions)) problems.push({ message: `${file}: functions must map function names to settings` });
    else for (const [name, settings] of Object.entries(functions)) settingsProblems(settings, `${file}: functions.${name}`, problems);
  }
  if (problems.length > 0) throw new CodegenError(problems);
  return value as FaasportConfig;
}

/** The project's config, or undefined when it has none. */
export async function loadConfig(cwd: string, paths: FaasportPaths = faasportPaths()): Promise<{ file: string; config: FaasportConfig } | undefined> {
  const file = CONFIG_FILES.find((name) => existsSync(join(cwd, name)));
  if (!file) return undefined;
  const dir = await mkdtemp(join(tmpdir(), 'faasport-config-'));
  try {
    const outfile = join(dir, 'config.mjs');
    try {
      await build({
        entryPoints: [join(cwd, file)],
        outfile,
        bundle: true,
        format: 'esm',
        platform: 'node',
        logLevel: 'silent',
        plugins: [
          {
            name: 'faasport-modules',
            setup(b) {
              b.onResolve({ filter: /^faasport(\/[a-z]+)?$/ }, (args) => {
                const module = paths.modules[args.path as FaasportModule];
                return module ? { path: module } : { errors: [{ text: `"${args.path}" is not a faasport module a config can import` }] };
              });
            },
          },
        ],
      });
    } catch (error) {
      const text = (error as { errors?: { text: string }[] }).errors?.map((e) => e.text).join('; ') ?? String(error);
      throw new CodegenError({ message: `${file} does not bundle: ${text}` });
    }
    const mod = (await import(pathToFileURL(outfile).href)) as { default?: unknown };
    return { file, config: checkConfig(mod.default, file) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
