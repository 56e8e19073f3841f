/** Azure Functions facts (Flex Consumption plan, Node v4 programming model): runtimes and limits, each row with its source. */
import type { PlatformLimit, PlatformRuntime, RetiredRuntime } from './types.js';
import type { TriggerNameRule } from './naming.js';

/**
 * Functions retires a language version on the community's end-of-life date
 * (https://learn.microsoft.com/azure/azure-functions/language-support-policy); Node's dates are in
 * https://github.com/nodejs/Release (22: 2027-04-30, 24: 2028-04-30). `id` is `--runtime-version` of
 * `az functionapp create --runtime node`.
 */
const AZURE_NODE = 'https://learn.microsoft.com/azure/azure-functions/language-support-policy + https://github.com/nodejs/Release';

export const AZURE_RUNTIMES: readonly PlatformRuntime[] = [
  { runtime: 'node22', id: '22', endOfSupport: '2027-04-30', source: AZURE_NODE },
  { runtime: 'node24', id: '24', endOfSupport: '2028-04-30', source: AZURE_NODE },
];

export const AZURE_RETIRED_RUNTIMES: readonly RetiredRuntime[] = [{ runtime: 'node20', id: 'Node 20', ended: 'support ended on 2026-04-30', source: AZURE_NODE }];

const QUEUE_NAMES = 'https://learn.microsoft.com/rest/api/storageservices/naming-queues-and-metadata';
const CONTAINER_NAMES = 'https://learn.microsoft.com/rest/api/storageservices/naming-and-referencing-containers--blobs--and-metadata';
const SERVICE_BUS_NAMES = 'https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules#microsoftservicebus';

/** Names of the resources Azure triggers use (the host creates `<queue>-poison`). */
export const AZURE_TRIGGER_NAMES: readonly TriggerNameRule[] = [
  {
    kind: 'queue',
    option: 'queue',
    resource: 'Storage queue',
    pattern: /^[a-z0-9](?:[a-z0-9]|-(?!-))*[a-z0-9]$/,
    min: 3,
    max: 63,
    suffix: '-poison',
    rule: '3 to 63 characters: lower-case letters, digits and "-", starting and ending with a letter or digit, no two "-" in a row',
    source: QUEUE_NAMES,
  },
  {
    kind: 'storage',
    option: 'bucket',
    resource: 'Blob container',
    pattern: /^[a-z0-9](?:[a-z0-9]|-(?!-))*[a-z0-9]$/,
    min: 3,
    max: 63,
    rule: '3 to 63 characters: lower-case letters, digits and "-", starting with a letter or digit, each "-" between letters or digits',
    source: CONTAINER_NAMES,
  },
  {
    kind: 'topic',
    option: 'topic',
    resource: 'Service Bus topic',
    pattern: /^[A-Za-z0-9](?:[A-Za-z0-9._/-]*[A-Za-z0-9])?$/,
    min: 1,
    max: 260,
    rule: '1 to 260 characters: letters, digits, ".", "-", "_" and "/", starting and ending with a letter or digit',
    source: SERVICE_BUS_NAMES,
  },
  {
    kind: 'topic',
    option: 'subscription',
    resource: 'Service Bus subscription',
    pattern: /^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$/,
    min: 1,
    max: 50,
    rule: '1 to 50 characters: letters, digits, ".", "-" and "_", starting and ending with a letter or digit',
    source: SERVICE_BUS_NAMES,
  },
];

/** Flex Consumption instance sizes (`az functionapp create --instance-memory`): memory is chosen per app. */
export const FLEX_INSTANCE_MEMORY_MB = [2048, 4096] as const;
export const FLEX_INSTANCE_MEMORY_SOURCE = 'https://learn.microsoft.com/azure/azure-functions/flex-consumption-plan#instance-memory';

export const AZURE_LIMITS = {
  memory: { min: 1, max: 4096, unit: 'MB', source: FLEX_INSTANCE_MEMORY_SOURCE },
  /** host.json functionTimeout on Flex Consumption: default 30 minutes, no upper bound. */
  timeout: { min: 1, max: Number.MAX_SAFE_INTEGER, unit: 's', source: 'https://learn.microsoft.com/azure/azure-functions/functions-scale#timeout' },
} as const satisfies Readonly<Record<string, PlatformLimit>>;

/**
 * However long functionTimeout is, an HTTP-triggered function has 230 s to answer: the Azure Load Balancer's
 * idle timeout; the caller then gets an error while the function may run on.
 */
export const AZURE_HTTP_RESPONSE_LIMIT = {
  seconds: 230,
  source: 'https://learn.microsoft.com/azure/azure-functions/functions-scale#timeout (HTTP trigger: 230 seconds, the load balancer idle timeout)',
} as const;

/** functionTimeout when no function sets one (Flex Consumption's default, 30 minutes). */
export const AZURE_DEFAULT_TIMEOUT_SECONDS = 1800;
