/** Azure Functions facts (Flex Consumption plan, Node v4 programming model): runtimes and limits, each row with its source. */
import type { PlatformLimit, PlatformRuntime } from './types.js';

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
