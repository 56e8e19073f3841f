/** Google Cloud Run functions (Cloud Functions 2nd gen) facts: runtimes and limits, each row with its source. */
import type { PlatformLimit, PlatformRuntime } from './types.js';

const GCP_RUNTIMES_PAGE = 'https://docs.cloud.google.com/run/docs/runtimes/function-runtimes (Node.js runtime support schedule)';

/** `endOfSupport` is Google's deprecation date, `deployBlocked` its decommission date. */
export const GCP_RUNTIMES: readonly PlatformRuntime[] = [
  { runtime: 'node22', id: 'nodejs22', endOfSupport: '2027-04-30', deployBlocked: '2027-10-31', source: GCP_RUNTIMES_PAGE },
  { runtime: 'node24', id: 'nodejs24', endOfSupport: '2028-04-30', deployBlocked: '2028-10-31', source: GCP_RUNTIMES_PAGE },
];
