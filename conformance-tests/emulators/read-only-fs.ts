/**
 * A read-only filesystem for a function process, as the platforms deploy code:
 * - Lambda: "the only writable directory is /tmp", 512 MB by default
 *   (https://docs.aws.amazon.com/lambda/latest/dg/configuration-ephemeral-storage.html); the code in /var/task is
 *   read-only. The AWS emulator makes /tmp writable and the output folder read-only.
 * - Azure Functions running from a package (the default, and only, way on Flex Consumption): "the wwwroot folder
 *   becomes read-only and you'll receive an error when writing files to this directory"
 *   (https://learn.microsoft.com/azure/azure-functions/run-functions-from-deployment-package). The Azure emulator
 *   makes the app folder read-only.
 * An emulator preloads this module (`node --import <data: URL>`) into the function process: it wraps every
 * `node:fs` call that creates, changes or removes a file (sync, callback and promise forms, and `open` with a
 * write flag, which `createWriteStream` and `FileHandle` go through) so that a path outside the writable roots, or
 * inside a read-only one, fails as Linux fails a write on a read-only mount: an Error with code 'EROFS', errno
 * -30, the syscall and the path. Relative paths resolve against the cwd and symlinks are followed, so `../x` or a
 * link in /tmp that points elsewhere do not get around it.
 *
 * Not caught: writes by native addons, by child processes (`child_process` runs programs outside Node's fs),
 * and through a file descriptor opened before this module ran (stdout, stderr). The size of /tmp is not limited.
 *
 * Pure: builds the module's source text; it runs in the function process, not here.
 */

export interface ReadOnlyFsOptions {
  /** Where writes may go (Lambda: /tmp). */
  readonly writable: readonly string[];
  /** Read-only even inside a writable root: the deployed code (locally it may sit under /tmp). */
  readonly readOnly: readonly string[];
}

export function readOnlyFsSource({ writable, readOnly }: ReadOnlyFsOptions): string {
  return `import fs from 'node:fs';
import path from 'node:path';
import { syncBuiltinESMExports } from 'node:module';
import { fileURLToPath } from 'node:url';

const WRITABLE = ${JSON.stringify(writable)};
const READ_ONLY = ${JSON.stringify(readOnly)};
const EROFS_ERRNO = -30;
const { realpathSync, existsSync } = fs;
const within = (p, root) => p === root || p.startsWith(root.endsWith('/') ? root : root + '/');
const realRoot = (root) => { try { return realpathSync.native(root); } catch { return root; } };
const writableRoots = WRITABLE.map(realRoot);
const readOnlyRoots = READ_ONLY.map(realRoot);

// The path as the kernel would meet it: absolute, with every symlink of its existing part followed.
function realTarget(target) {
  let p = path.resolve(typeof target === 'string' ? target : target instanceof URL ? fileURLToPath(target) : Buffer.from(target).toString());
  const rest = [];
  while (!existsSync(p)) {
    const parent = path.dirname(p);
    if (parent === p) break;
    rest.unshift(path.basename(p));
    p = parent;
  }
  try { p = realpathSync.native(p); } catch {}
  return path.join(p, ...rest);
}

function isWritable(target) {
  if (typeof target === 'number') return true; // a descriptor: its open was checked
  const real = realTarget(target);
  return writableRoots.some((root) => within(real, root)) && !readOnlyRoots.some((root) => within(real, root));
}

function erofs(syscall, target, dest) {
  const shown = typeof target === 'string' ? target : target instanceof URL ? fileURLToPath(target) : Buffer.from(target).toString();
  const error = new Error(\`EROFS: read-only file system, \${syscall} '\${shown}'\${dest === undefined ? '' : \` -> '\${String(dest)}'\`}\`);
  error.errno = EROFS_ERRNO;
  error.code = 'EROFS';
  error.syscall = syscall;
  error.path = shown;
  if (dest !== undefined) error.dest = String(dest);
  Error.captureStackTrace(error, erofs);
  return error;
}

const { O_WRONLY, O_RDWR, O_CREAT, O_TRUNC, O_APPEND } = fs.constants;
function writesWith(flags) {
  if (flags === undefined || flags === null) return false;
  if (typeof flags === 'number') return (flags & (O_WRONLY | O_RDWR | O_CREAT | O_TRUNC | O_APPEND)) !== 0;
  return /[wa+]/.test(String(flags));
}

// Which arguments name paths the call writes to, and whether it writes at all given its arguments.
const CALLS = {
  open: { syscall: 'open', paths: [0], writes: (args) => writesWith(args[1]) },
  writeFile: { syscall: 'open', paths: [0] },
  appendFile: { syscall: 'open', paths: [0] },
  truncate: { syscall: 'open', paths: [0] },
  // mkdir of an existing directory reports EEXIST (or, recursive, succeeds) on a read-only mount too.
  mkdir: { syscall: 'mkdir', paths: [0], writes: (args) => !existsSync(args[0]) },
  mkdtemp: { syscall: 'mkdtemp', paths: [0] },
  rm: { syscall: 'rm', paths: [0] },
  rmdir: { syscall: 'rmdir', paths: [0] },
  unlink: { syscall: 'unlink', paths: [0] },
  rename: { syscall: 'rename', paths: [0, 1] },
  copyFile: { syscall: 'copyfile', paths: [1] },
  cp: { syscall: 'cp', paths: [1] },
  symlink: { syscall: 'symlink', paths: [1] },
  link: { syscall: 'link', paths: [1] },
  chmod: { syscall: 'chmod', paths: [0] },
  lchmod: { syscall: 'lchmod', paths: [0] },
  chown: { syscall: 'chown', paths: [0] },
  lchown: { syscall: 'lchown', paths: [0] },
  utimes: { syscall: 'utime', paths: [0] },
  lutimes: { syscall: 'lutime', paths: [0] },
};

function refusal(spec, args) {
  if (spec.writes && !spec.writes(args)) return undefined;
  for (const index of spec.paths) {
    const target = args[index];
    if (target !== undefined && !isWritable(target)) return erofs(spec.syscall, target, spec.paths.length > 1 ? args[spec.paths[1]] : undefined);
  }
  return undefined;
}

for (const [name, spec] of Object.entries(CALLS)) {
  const callback = fs[name];
  if (typeof callback === 'function') {
    fs[name] = { [name](...args) {
      const error = refusal(spec, args);
      if (!error) return callback.apply(this, args);
      const done = args.findLast((a) => typeof a === 'function');
      if (typeof done !== 'function') throw error;
      process.nextTick(done, error);
    } }[name];
  }
  const sync = fs[name + 'Sync'];
  if (typeof sync === 'function') {
    fs[name + 'Sync'] = { [name + 'Sync'](...args) {
      const error = refusal(spec, args);
      if (error) throw error;
      return sync.apply(this, args);
    } }[name + 'Sync'];
  }
  const promised = fs.promises[name];
  if (typeof promised === 'function') {
    fs.promises[name] = { [name](...args) {
      const error = refusal(spec, args);
      return error ? Promise.reject(error) : promised.apply(this, args);
    } }[name];
  }
}
// Named imports of node:fs and node:fs/promises see the wrapped functions too.
syncBuiltinESMExports();
`;
}

const dataUrl = (source: string): string => `data:text/javascript,${encodeURIComponent(source)}`;

/** The `--import` argument. */
export const readOnlyFsImport = (options: ReadOnlyFsOptions): string => dataUrl(readOnlyFsSource(options));
