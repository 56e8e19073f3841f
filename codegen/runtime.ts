/** The Node runtime a build targets: each provider's id for it, and whether the platform still supports it. */
import { NODE_RUNTIMES, type NodeRuntime, type Provider } from '../core/types.js';
import { CodegenError } from './errors.js';
import { AWS_RETIRED_RUNTIMES, AWS_RUNTIMES } from './platforms/aws.js';
import { AZURE_RETIRED_RUNTIMES, AZURE_RUNTIMES } from './platforms/azure.js';
import { GCP_RETIRED_RUNTIMES, GCP_RUNTIMES } from './platforms/gcp.js';
import type { PlatformRuntime, RetiredRuntime } from './platforms/types.js';

export const RUNTIME_TABLES: Readonly<Record<Provider, readonly PlatformRuntime[]>> = { aws: AWS_RUNTIMES, azure: AZURE_RUNTIMES, gcp: GCP_RUNTIMES };
/** Node versions the platforms no longer run, so that asking for one gets the dates and the fix. */
export const RETIRED_RUNTIME_TABLES: Readonly<Record<Provider, readonly RetiredRuntime[]>> = { aws: AWS_RETIRED_RUNTIMES, azure: AZURE_RETIRED_RUNTIMES, gcp: GCP_RETIRED_RUNTIMES };

/** A build warns when a platform ends support for its runtime within this many days. */
export const RUNTIME_WARNING_DAYS = 90;
const DAY_MS = 86_400_000;

export function isNodeRuntime(value: unknown): value is NodeRuntime {
  return typeof value === 'string' && (NODE_RUNTIMES as readonly string[]).includes(value);
}

/** `--runtime` / config `runtime`: one of NODE_RUNTIMES, or a clear error. */
export function parseRuntime(value: unknown, where = '--runtime'): NodeRuntime {
  if (isNodeRuntime(value)) return value;
  const retired = (Object.entries(RETIRED_RUNTIME_TABLES) as [Provider, readonly RetiredRuntime[]][]).flatMap(([provider, rows]) =>
    rows.filter((row) => row.runtime === value).map((row) => `${provider} ${row.id} ${row.ended} (${row.source})`),
  );
  if (retired.length > 0) {
    const newest = NODE_RUNTIMES.at(-1)!;
    throw new CodegenError({
      message: `${where} ${JSON.stringify(value)}: the platforms no longer run it: ${retired.join('; ')}. Build with --runtime ${newest} (or runtime: '${newest}' in faasport.config.ts)`,
    });
  }
  throw new CodegenError({ message: `${where} ${JSON.stringify(value)} is not a runtime faasport builds for; use ${NODE_RUNTIMES.join(' or ')}` });
}

export function platformRuntime(provider: Provider, runtime: NodeRuntime): PlatformRuntime {
  const row = RUNTIME_TABLES[provider].find((r) => r.runtime === runtime);
  if (!row) throw new CodegenError({ message: `${provider} has no ${runtime} runtime in faasport's table (codegen/platforms/${provider}.ts)` });
  return row;
}

/** The newest runtime every provider still supports on `today`, for the fix in an error message. */
function newestSupported(providers: readonly Provider[], today: Date): NodeRuntime | undefined {
  return [...NODE_RUNTIMES].reverse().find((r) => providers.every((p) => Date.parse(platformRuntime(p, r).endOfSupport) > today.getTime()));
}

/**
 * Refuses a runtime a target platform no longer supports on `today` (date and fix in the message) and returns
 * a warning per platform whose end of support is less than RUNTIME_WARNING_DAYS away.
 */
export function checkRuntime(runtime: NodeRuntime, providers: readonly Provider[], today: Date): string[] {
  const warnings: string[] = [];
  const ended: string[] = [];
  for (const provider of providers) {
    const row = platformRuntime(provider, runtime);
    const left = Math.ceil((Date.parse(row.endOfSupport) - today.getTime()) / DAY_MS);
    if (left <= 0) ended.push(`${provider} ended support for ${row.id} on ${row.endOfSupport} (${row.source})`);
    else if (left < RUNTIME_WARNING_DAYS) warnings.push(`${provider} ends support for ${row.id} on ${row.endOfSupport}, in ${left} days (${row.source})`);
  }
  if (ended.length > 0) {
    const newest = newestSupported(providers, today);
    const fix = newest ? `build with --runtime ${newest} (or runtime: '${newest}' in faasport.config.ts)` : 'no runtime faasport knows is still supported there: update faasport';
    throw new CodegenError(ended.map((message) => ({ message: `runtime ${runtime}: ${message}; ${fix}` })));
  }
  return warnings;
}
