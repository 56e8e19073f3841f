/** `faasport build`: deployable output per provider. */
import type { CAC } from 'cac';
import { awsHttpEventsFlag, flagValue, providersFlag } from './flags.js';
import { build, DEFAULT_OUT_DIR } from '../codegen/build.js';
import { loadConfigWithLocations } from '../codegen/config.js';
import { parseRuntime } from '../codegen/runtime.js';
import { printBuild, type Io, type Run } from './io.js';

export const ENTRIES_HELP = 'ENTRY: source files or folders (default: src if it exists, else .)';

export interface BuildFlags {
  provider?: string;
  out?: string;
  sourcemap?: boolean;
  /** false with --no-minify. */
  minify?: boolean;
  force?: boolean;
  /** --aws-http-events (a string, or several when repeated). */
  awsHttpEvents?: string | string[];
  /** --runtime node22|node24. */
  runtime?: string;
}

/** Flags win over faasport.config.ts; a flag left at its default gives way to the config. */
export async function runBuild(io: Io, entries: string[], flags: BuildFlags): Promise<number> {
  const loaded = await loadConfigWithLocations(io.cwd);
  const config = loaded?.config ?? {};
  const providerFlag = flags.provider === undefined || flags.provider === 'all' ? undefined : flags.provider;
  const outFlag = flags.out === undefined || flags.out === DEFAULT_OUT_DIR ? undefined : flags.out;
  // A config's runtime was checked when it loaded; a bad flag is a usage error.
  const runtime = flags.runtime === undefined ? config.runtime : flagValue(() => parseRuntime(flags.runtime));
  const result = await build({
    entries: entries.length > 0 ? entries : [...(config.entries ?? [])],
    providers: providerFlag === undefined && config.providers ? [...config.providers] : providersFlag(providerFlag),
    awsHttpEvents: awsHttpEventsFlag(flags.awsHttpEvents),
    ...(runtime === undefined ? {} : { runtime }),
    ...(config.defaults ? { defaults: config.defaults } : {}),
    ...(config.functions ? { functions: config.functions } : {}),
    ...(loaded ? { configLocations: loaded.locations } : {}),
    outDir: outFlag ?? config.outDir ?? DEFAULT_OUT_DIR,
    cwd: io.cwd,
    sourcemap: flags.sourcemap === true,
    minify: flags.minify !== false,
    force: flags.force === true,
  });
  printBuild(io, result);
  return 0;
}

export function buildCommand(cli: CAC, io: Io, run: Run): void {
  cli
    .command('build [...entries]', `Generate deployable output per provider. ${ENTRIES_HELP}`)
    .option('--provider <provider>', 'aws, azure, gcp, a comma list, or all', { default: 'all' })
    .option('--out <dir>', 'Output folder; each provider writes <dir>/<provider>/', { default: DEFAULT_OUT_DIR })
    .option('--sourcemap', 'Write source maps next to the bundles')
    .option('--minify', 'Minify bundles; --no-minify keeps them readable (whitespace and identifiers as written)', { default: true })
    .option('--force', 'Allow an output folder outside the project, or over files faasport did not write')
    .option(
      '--aws-http-events <events>',
      'Lambda HTTP events the AWS bundles read (only these are bundled): apigw-v2 (HTTP API, Function URL), apigw-v1 (REST API), alb, a comma list, or all',
      { default: 'apigw-v2' },
    )
    .option('--runtime <runtime>', 'Node version the deployments and bundles target: node24 (default) or node22')
    .example('faasport build src --provider all')
    .example('faasport build src --provider aws --aws-http-events apigw-v2,alb')
    .action((entries: string[], flags: BuildFlags) => run(() => runBuild(io, entries, flags)));
}
