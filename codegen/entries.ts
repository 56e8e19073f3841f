/** Turns ENTRY arguments (files or folders) into the list of source files discovery reads. */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CodegenError } from './errors.js';

export const SOURCE_EXTENSIONS = ['.ts', '.mts', '.tsx', '.js', '.mjs'] as const;

/** Folders never scanned: dependencies, build output, faasport output (`.faasport`, `.faasport-test`, ...). */
const SKIPPED_DIRS = new Set(['node_modules', 'dist', 'coverage']);

export function isSourceFile(name: string): boolean {
  if (name.endsWith('.d.ts') || name.endsWith('.d.mts')) return false;
  if (/\.(test|spec)\.[^.]+$/.test(name)) return false;
  return SOURCE_EXTENSIONS.some((ext) => name.endsWith(ext));
}

function skipDir(name: string): boolean {
  // Hidden folders (.git, .faasport, .faasport-*) and dependency/build folders.
  return name.startsWith('.') || SKIPPED_DIRS.has(name);
}

function walk(dir: string, exclude: ReadonlySet<string>, out: string[]): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!skipDir(entry.name) && !exclude.has(path)) walk(path, exclude, out);
    } else if (entry.isFile() && isSourceFile(entry.name)) {
      out.push(path);
    }
  }
}

/** Default ENTRY: `src` when the project has one, else the project folder. */
export function defaultEntries(cwd: string): string[] {
  return existsSync(join(cwd, 'src')) ? ['src'] : ['.'];
}

/**
 * Absolute, sorted, de-duplicated source files. A file named explicitly is read even if it looks like a
 * test; folders skip tests, declaration files, hidden and dependency folders and `exclude` (the output dir).
 */
export function expandEntries(entries: readonly string[], cwd: string, exclude: readonly string[] = []): string[] {
  const excluded = new Set(exclude.map((p) => resolve(cwd, p)));
  const files: string[] = [];
  const missing: string[] = [];
  for (const entry of entries) {
    const path = resolve(cwd, entry);
    if (!existsSync(path)) {
      missing.push(entry);
      continue;
    }
    if (statSync(path).isDirectory()) walk(path, excluded, files);
    else files.push(path);
  }
  if (missing.length > 0) {
    throw new CodegenError(
      missing.map((m) => ({ message: `entry "${m}" does not exist (give source files or folders, e.g. "faasport build src")` })),
    );
  }
  return [...new Set(files)].sort();
}
