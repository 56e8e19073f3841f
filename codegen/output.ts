/**
 * Writing generated output safely: only inside `<out>/<provider>/`, never over or away files that faasport
 * did not write. Each provider folder keeps `.faasport-files.json`, the list of what the last build wrote with
 * each file's SHA-256; a later build removes a stale entry only when the file still holds those bytes (and
 * the folders it leaves empty), and never writes or deletes through a symbolic link.
 */
import { createHash } from 'node:crypto';
import { existsSync, realpathSync } from 'node:fs';
import { lstat, mkdir, readFile, readdir, rmdir, unlink, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, parse, relative, resolve, sep } from 'node:path';
import { CodegenError } from './errors.js';

export const FILE_LIST = '.faasport-files.json';

export interface OutputContents {
  readonly path: string;
  readonly contents: string | Uint8Array;
}

const isInside = (parent: string, child: string): boolean => {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
};

const real = (path: string): string => {
  // The nearest existing ancestor, resolved, plus the rest: works for folders not created yet.
  let existing = path;
  const rest: string[] = [];
  while (!existsSync(existing) && dirname(existing) !== existing) {
    rest.unshift(parse(existing).base);
    existing = dirname(existing);
  }
  return join(realpathSync(existing), ...rest);
};

/**
 * Refuses output folders that would mix generated files with the user's: the project folder itself or one
 * of its ancestors, a folder holding the sources, the file-system root or home folder, and (without
 * `force`) anything outside the project.
 */
export function checkOutDir(outDir: string, cwd: string, entries: readonly string[], force = false): void {
  const out = real(resolve(cwd, outDir));
  const project = real(cwd);
  const shown = relative(cwd, outDir) || '.';
  if (out === parse(out).root || out === real(homedir())) {
    throw new CodegenError({ message: `--out ${shown} is ${out === parse(out).root ? 'the file-system root' : 'your home folder'}; choose a dedicated folder such as .faasport` });
  }
  if (isInside(out, project)) {
    throw new CodegenError({ message: `--out ${shown} is the project folder${out === project ? '' : ' or contains it'}; faasport writes there only into a dedicated folder such as .faasport` });
  }
  for (const entry of entries) {
    if (isInside(out, real(resolve(cwd, entry)))) {
      throw new CodegenError({ message: `--out ${shown} contains your sources (${entry}); choose a folder of its own such as .faasport` });
    }
  }
  if (!force && !isInside(project, out)) {
    throw new CodegenError({ message: `--out ${shown} is outside the project folder (${cwd}); pass --force if you mean it` });
  }
}

function assertSafePath(path: string): void {
  const parts = path.split('/');
  if (path === '' || isAbsolute(path) || path.includes('\\') || parts.some((p) => p === '' || p === '.' || p === '..') || path === FILE_LIST) {
    throw new Error(`faasport: internal error: unsafe output path ${JSON.stringify(path)}`);
  }
}

/** What the previous build wrote: each path with the SHA-256 of its bytes (undefined in lists from before hashes). */
async function previousFiles(dir: string): Promise<Map<string, string | undefined> | undefined> {
  const listFile = join(dir, FILE_LIST);
  if (!existsSync(listFile)) return undefined;
  try {
    const parsed = JSON.parse(await readFile(listFile, 'utf8')) as { files?: unknown; sha256?: unknown };
    const files = Array.isArray(parsed.files) ? parsed.files : [];
    const hashes = typeof parsed.sha256 === 'object' && parsed.sha256 !== null ? (parsed.sha256 as Record<string, unknown>) : {};
    const out = new Map<string, string | undefined>();
    // Only well-formed relative paths: a hand-edited list cannot make us delete outside the folder.
    for (const f of files) {
      if (typeof f !== 'string') continue;
      try {
        assertSafePath(f);
      } catch {
        continue;
      }
      const hash = Object.hasOwn(hashes, f) ? hashes[f] : undefined;
      out.set(f, typeof hash === 'string' ? hash : undefined);
    }
    return out;
  } catch {
    throw new CodegenError({ message: `${listFile} is not valid JSON; faasport cannot tell which files it wrote. Delete the folder ${dir} and build again` });
  }
}

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** Whether every folder from `dir` down to `folder` is a real folder (no symbolic link on the way). */
async function noLinkBetween(dir: string, folder: string): Promise<boolean> {
  for (let at = folder; at !== dir; at = dirname(at)) {
    if (!isInside(dir, at)) return false;
    const stat = await lstat(at).catch(() => undefined);
    if (stat !== undefined && !stat.isDirectory()) return false;
  }
  return true;
}

const sameBytes = (a: Uint8Array, b: Uint8Array) => a.byteLength === b.byteLength && Buffer.compare(a, b) === 0;

export interface WriteResult {
  readonly written: string[];
  /** Files whose bytes changed (or were new). */
  readonly changed: string[];
  readonly removed: string[];
  /** Stale files left in place: changed since faasport wrote them (or listed without a hash), so not its to delete. */
  readonly kept: string[];
}

/** Writes `files` into `dir` (one provider's folder) and removes what the previous build wrote and this one did not. */
export async function writeOutput(dir: string, files: readonly OutputContents[], options: { force?: boolean } = {}): Promise<WriteResult> {
  for (const file of files) assertSafePath(file.path);
  const previous = await previousFiles(dir);
  if (previous === undefined && existsSync(dir) && !options.force) {
    const clashes = files.filter((f) => existsSync(join(dir, f.path))).map((f) => f.path);
    if (clashes.length > 0) {
      throw new CodegenError({
        message: `${dir} already holds ${clashes.slice(0, 3).join(', ')}${clashes.length > 3 ? ', ...' : ''}, which faasport did not write (no ${FILE_LIST}); choose another --out, remove them, or pass --force`,
      });
    }
  }
  if ((await lstat(dir).catch(() => undefined))?.isSymbolicLink()) {
    throw new CodegenError({ message: `${dir} is a symbolic link; faasport writes only into a real folder (remove the link and build again)` });
  }
  if ((await lstat(join(dir, FILE_LIST)).catch(() => undefined))?.isSymbolicLink()) {
    throw new CodegenError({ message: `${join(dir, FILE_LIST)} is a symbolic link; remove it and build again` });
  }
  await mkdir(dir, { recursive: true });
  const root = realpathSync(dir);
  const changed: string[] = [];
  const hashes: Record<string, string> = {};
  for (const file of files) {
    const target = join(dir, ...file.path.split('/'));
    // Checked before mkdir: creating the folders through a linked one would already write outside.
    if (!isInside(root, real(dirname(target))) || !(await noLinkBetween(dir, dirname(target)))) {
      throw new CodegenError({ message: `${dirname(target)} leads outside ${dir} (a symbolic link?); faasport will not write there` });
    }
    await mkdir(dirname(target), { recursive: true });
    const bytes = typeof file.contents === 'string' ? Buffer.from(file.contents, 'utf8') : file.contents;
    hashes[file.path] = sha256(bytes);
    const stat = await lstat(target).catch(() => undefined);
    if (stat?.isSymbolicLink() || stat?.isDirectory()) {
      throw new CodegenError({ message: `${target} is a ${stat.isDirectory() ? 'folder' : 'symbolic link'}, faasport expected to write a file there; remove it and build again` });
    }
    if (stat && sameBytes(await readFile(target), bytes)) continue; // unchanged: keep mtime for watchers
    // Deploy scripts are meant to be run: `./deploy.sh`.
    await writeFile(target, bytes, { mode: file.path.endsWith('.sh') ? 0o755 : 0o644 });
    changed.push(file.path);
  }
  const current = new Set(files.map((f) => f.path));
  const removed: string[] = [];
  const kept: string[] = [];
  for (const [stale, hash] of previous ?? []) {
    if (current.has(stale)) continue;
    const target = join(dir, ...stale.split('/'));
    // Never through a link: a linked folder inside the output would lead the unlink outside it.
    if (!(await noLinkBetween(dir, dirname(target)))) continue;
    const stat = await lstat(target).catch(() => undefined);
    if (!stat?.isFile()) continue;
    if (hash === undefined || sha256(await readFile(target)) !== hash) {
      kept.push(stale); // changed since faasport wrote it: someone else's now
      continue;
    }
    await unlink(target);
    removed.push(stale);
    // Remove the folders this leaves empty, up to (not including) the provider folder.
    for (let folder = dirname(target); folder !== dir && isInside(dir, folder); folder = dirname(folder)) {
      if ((await readdir(folder)).length > 0) break;
      await rmdir(folder);
    }
  }
  const written = [...current].sort();
  const sorted: Record<string, string> = {};
  for (const path of written) sorted[path] = hashes[path]!;
  await writeFile(join(dir, FILE_LIST), `${JSON.stringify({ generatedBy: 'faasport build', files: written, sha256: sorted }, null, 2)}\n`);
  return { written, changed, removed, kept };
}
