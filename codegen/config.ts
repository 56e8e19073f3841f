/**
 * `faasport.config.ts` (or .mts/.js/.mjs) in the project folder: bundled with esbuild so TypeScript needs no
 * loader, then imported; its default export (from `defineConfig`) is checked field by field.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { Node, Project, type ObjectLiteralExpression } from 'ts-morph';
import { SETTING_KEYS, type FaasportConfig } from '../core/types.js';
import { parseProviders } from './build.js';
import { CodegenError, type Problem, type SourceLocation } from './errors.js';
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

export type SettingKey = (typeof SETTING_KEYS)[number];

/** Where a setting's value is written in the config file. */
export interface ConfigValueLocation {
  readonly at: SourceLocation;
  /** The field, as the user wrote it: `defaults.timeout`, `functions.report.memory`. */
  readonly field: string;
}

/** Where the config's settings are written, so that a problem with one is reported at the config's line. */
export interface ConfigLocations {
  readonly defaults: Readonly<Partial<Record<SettingKey, ConfigValueLocation>>>;
  readonly functions: Readonly<Record<string, Partial<Record<SettingKey, ConfigValueLocation>>>>;
  /** The start of the file: where a value the syntax does not show (a spread, a computed object) is reported. */
  readonly file: SourceLocation;
}

/** The object literal the config exports: `export default defineConfig({...})`, `export default {...}`, or a const of either. */
function exportedObject(text: string, file: string): ObjectLiteralExpression | undefined {
  const source = new Project({ useInMemoryFileSystem: true }).createSourceFile(`/${file}`, text);
  const unwrap = (node: Node | undefined): ObjectLiteralExpression | undefined => {
    if (node === undefined) return undefined;
    if (Node.isObjectLiteralExpression(node)) return node;
    if (Node.isParenthesizedExpression(node) || Node.isAsExpression(node) || Node.isSatisfiesExpression(node)) return unwrap(node.getExpression());
    if (Node.isCallExpression(node)) return unwrap(node.getArguments()[0]);
    if (Node.isIdentifier(node)) return unwrap(source.getVariableDeclaration(node.getText())?.getInitializer());
    return undefined;
  };
  const assignment = source.getExportAssignments().find((a) => !a.isExportEquals());
  return unwrap(assignment?.getExpression());
}

/** Each setting's location in the config's source text (line and column of its value, 1-based). */
export function configLocations(text: string, file: string): ConfigLocations {
  const locations = { defaults: {} as Partial<Record<SettingKey, ConfigValueLocation>>, functions: {} as Record<string, Partial<Record<SettingKey, ConfigValueLocation>>>, file: { file, line: 1, column: 1 } };
  const root = exportedObject(text, file);
  if (!root) return locations;
  const at = (node: Node): SourceLocation => {
    const { line, column } = node.getSourceFile().getLineAndColumnAtPos(node.getStart());
    return { file, line, column };
  };
  const objectOf = (object: ObjectLiteralExpression, name: string): { node: Node; object?: ObjectLiteralExpression } | undefined => {
    const property = object.getProperty(name) ?? object.getProperty(JSON.stringify(name)) ?? object.getProperty(`'${name}'`);
    if (!property) return undefined;
    const value = Node.isPropertyAssignment(property) ? property.getInitializer() : undefined;
    return { node: property, ...(value && Node.isObjectLiteralExpression(value) ? { object: value } : {}) };
  };
  const settingsIn = (object: ObjectLiteralExpression | undefined, fallback: Node, prefix: string): Partial<Record<SettingKey, ConfigValueLocation>> => {
    const out: Partial<Record<SettingKey, ConfigValueLocation>> = {};
    for (const key of SETTING_KEYS) {
      const found = object ? objectOf(object, key) : undefined;
      out[key] = { at: at(found?.node ?? fallback), field: `${prefix}.${key}` };
    }
    return out;
  };
  const defaults = objectOf(root, 'defaults');
  if (defaults) locations.defaults = settingsIn(defaults.object, defaults.node, 'defaults');
  const functions = objectOf(root, 'functions');
  for (const property of functions?.object?.getProperties() ?? []) {
    if (!Node.isPropertyAssignment(property)) continue;
    const name = property.getNameNode().getText().replace(/^["']|["']$/g, '');
    const value = property.getInitializer();
    locations.functions[name] = settingsIn(value && Node.isObjectLiteralExpression(value) ? value : undefined, property, `functions.${name}`);
  }
  return locations;
}

/** The project's config and where its settings are written, or undefined when it has none. */
export async function loadConfigWithLocations(cwd: string, paths: FaasportPaths = faasportPaths()): Promise<{ file: string; config: FaasportConfig; locations: ConfigLocations } | undefined> {
  const loaded = await loadConfig(cwd, paths);
  if (!loaded) return undefined;
  return { ...loaded, locations: configLocations(await readFile(join(cwd, loaded.file), 'utf8'), loaded.file) };
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
