/**
 * What each provider's local emulator needs in the user's project, and how to get it: the packages (installed
 * as devDependencies at the versions faasport is tested with) and the system tools aws-lambda-ric compiles with.
 * Only looks: `setup` installs, `doctor` reports, `dev` and `conformance` refuse to start without them.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Provider } from '../core/types.js';
import { faasportPaths, testedRange, type FaasportPaths } from '../codegen/faasport-paths.js';

export interface EmulatorPackage {
  readonly name: string;
  /** What the emulator does with it (shown by doctor). */
  readonly role: string;
  /** Used when faasport's package.json does not name it (never in the published package). */
  readonly fallbackRange: string;
  /** A file inside the package that must exist once its install finished (a native build's output). */
  readonly builtFile?: string;
}

export const EMULATOR_PACKAGES: Readonly<Record<Provider, readonly EmulatorPackage[]>> = {
  aws: [
    { name: '@aws-sdk/client-lambda', role: 'calls functions through the Lambda Invoke API', fallbackRange: '^3.1164.0' },
    // The native client is built at install; dist/rapid-client.node is its output (aws-lambda-ric 3.3.0, binding.gyp).
    { name: 'aws-lambda-ric', role: "AWS's runtime interface client, each function's process", fallbackRange: '^3.3.0', builtFile: 'dist/rapid-client.node' },
  ],
  azure: [
    { name: '@azure/functions', role: 'the Functions programming model your app registers with', fallbackRange: '^4.16.5' },
    // Azurite 3.36 declares engines.node >=21 and 3.37 >=22 in its package.json (https://registry.npmjs.org/azurite,
    // `npm view azurite@3.36.0 engines`): ~3.35 is the newest line that installs and runs on Node 20.
    { name: 'azurite', role: "Microsoft's storage emulator (queues, blobs)", fallbackRange: '~3.35.0' },
  ],
  gcp: [{ name: '@google-cloud/functions-framework', role: "Google's functions-framework, the HTTP and CloudEvent server", fallbackRange: '^5.0.5' }],
};

/**
 * Debian packages aws-lambda-ric's install compiles with: g++, make and cmake (its README, "Install
 * aws-lambda-cpp build dependencies"), autoconf, automake and libtool for the bundled curl (scripts/preinstall.sh
 * runs curl's ./buildconf), python3 for node-gyp. Source: aws/aws-lambda-nodejs-runtime-interface-client 3.3.0.
 */
export const RIC_BUILD_TOOLS: readonly { readonly debianPackage: string; readonly command: string }[] = [
  { debianPackage: 'autoconf', command: 'autoconf' },
  { debianPackage: 'automake', command: 'automake' },
  { debianPackage: 'libtool', command: 'libtoolize' },
  { debianPackage: 'cmake', command: 'cmake' },
  { debianPackage: 'make', command: 'make' },
  { debianPackage: 'g++', command: 'g++' },
  { debianPackage: 'python3', command: 'python3' },
];

export interface PackageState {
  readonly pkg: EmulatorPackage;
  /** The range `setup` installs, e.g. `^3.3.0`. */
  readonly range: string;
  /** The installed version, when found. */
  readonly version?: string;
  /** Why it is not usable: not installed, or installed without its native build. */
  readonly problem?: string;
}

export interface ProviderState {
  readonly provider: Provider;
  readonly packages: readonly PackageState[];
  /** Build tools missing for a package that still has to be compiled (aws only). */
  readonly missingTools: readonly string[];
  readonly ready: boolean;
}

/** `name` as the emulators find it: the node_modules folders from faasport's own root upwards. */
function findPackage(name: string, from: string): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

const onPath = (command: string) => spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;

export function missingBuildTools(has: (command: string) => boolean = onPath): string[] {
  return RIC_BUILD_TOOLS.filter((tool) => !has(tool.command)).map((tool) => tool.debianPackage);
}

export function installSpec(state: PackageState): string {
  return `${state.pkg.name}@${state.range}`;
}

/** Looks at what each provider needs, from where faasport is installed (where its emulators resolve packages). */
export function inspect(providers: readonly Provider[], paths: FaasportPaths = faasportPaths(), has?: (command: string) => boolean): ProviderState[] {
  return providers.map((provider) => {
    const packages = EMULATOR_PACKAGES[provider].map((pkg): PackageState => {
      const range = testedRange(pkg.name, paths) ?? pkg.fallbackRange;
      const dir = findPackage(pkg.name, paths.root);
      if (!dir) return { pkg, range, problem: 'not installed' };
      const version = (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version?: string }).version;
      if (pkg.builtFile && !existsSync(join(dir, pkg.builtFile))) return { pkg, range, ...(version ? { version } : {}), problem: `installed but not built (${pkg.builtFile} is missing)` };
      return { pkg, range, ...(version ? { version } : {}) };
    });
    const needsBuild = packages.some((p) => p.problem && p.pkg.builtFile);
    const missingTools = needsBuild ? missingBuildTools(has) : [];
    return { provider, packages, missingTools, ready: packages.every((p) => !p.problem) };
  });
}

/** The command that installs the Debian packages `missing`, as root or through sudo. */
export function aptCommand(missing: readonly string[]): string {
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  return `${root ? '' : 'sudo '}apt-get install -y ${missing.join(' ')}`;
}

export type PackageManager = 'npm' | 'pnpm' | 'yarn';

/** The user's package manager, from the lock file in the project. */
export function packageManager(projectDir: string): PackageManager {
  if (existsSync(join(projectDir, 'pnpm-lock.yaml'))) return 'pnpm';
  if (existsSync(join(projectDir, 'yarn.lock'))) return 'yarn';
  return 'npm';
}

export function addDevCommand(manager: PackageManager, specs: readonly string[]): string[] {
  switch (manager) {
    case 'pnpm':
      return ['pnpm', 'add', '-D', ...specs];
    case 'yarn':
      return ['yarn', 'add', '-D', ...specs];
    case 'npm':
      return ['npm', 'install', '--save-dev', '--no-fund', '--no-audit', ...specs];
  }
}

/** The project folder: the nearest folder holding a package.json, from `cwd` upwards. */
export function projectRoot(cwd: string): string | undefined {
  for (let dir = cwd; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

/** A shell-ready command line (specs with ^ or ~ quoted). */
export const shellLine = (argv: readonly string[]) => argv.map((a) => (/^[\w@./:=-]+$/.test(a) ? a : `'${a}'`)).join(' ');
