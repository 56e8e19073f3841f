/** Google Cloud Run functions (Cloud Functions 2nd gen) facts: runtimes and limits, each row with its source. */
import type { PlatformLimit, PlatformRuntime, RetiredRuntime } from './types.js';
import type { TriggerNameRule } from './naming.js';

const GCP_RUNTIMES_PAGE = 'https://docs.cloud.google.com/run/docs/runtimes/function-runtimes (Node.js runtime support schedule)';

/** `endOfSupport` is Google's deprecation date, `deployBlocked` its decommission date. */
export const GCP_RUNTIMES: readonly PlatformRuntime[] = [
  { runtime: 'node22', id: 'nodejs22', endOfSupport: '2027-04-30', deployBlocked: '2027-10-31', source: GCP_RUNTIMES_PAGE },
  { runtime: 'node24', id: 'nodejs24', endOfSupport: '2028-04-30', deployBlocked: '2028-10-31', source: GCP_RUNTIMES_PAGE },
];

export const GCP_RETIRED_RUNTIMES: readonly RetiredRuntime[] = [
  { runtime: 'node20', id: 'nodejs20', ended: 'decommissioned on 2026-10-30 (no function can be created or updated on it)', source: GCP_RUNTIMES_PAGE },
];

const PUBSUB_NAMES = 'https://cloud.google.com/pubsub/docs/pubsub-basics#resource_names (Topic.name in google/pubsub/v1/pubsub.proto)';
const GCS_BUCKET_NAMES = 'https://cloud.google.com/storage/docs/buckets#naming';

const PUBSUB_RULE = '3 to 255 characters, starting with a letter: letters, digits, "-", "_", ".", "~", "+" and "%"; not starting with "goog"';
const PUBSUB_PATTERN = /^[A-Za-z][A-Za-z0-9._~+%-]*$/;
const NOT_GOOG = [{ test: /^goog/i, rule: 'must not start with "goog"' }];

/** Names of the resources GCP triggers use (deploy.sh creates `<topic>-dead-letter` topics). */
export const GCP_TRIGGER_NAMES: readonly TriggerNameRule[] = [
  { kind: 'queue', option: 'queue', resource: 'Pub/Sub topic', pattern: PUBSUB_PATTERN, min: 3, max: 255, suffix: '-dead-letter', forbidden: NOT_GOOG, rule: PUBSUB_RULE, source: PUBSUB_NAMES },
  { kind: 'topic', option: 'topic', resource: 'Pub/Sub topic', pattern: PUBSUB_PATTERN, min: 3, max: 255, forbidden: NOT_GOOG, rule: PUBSUB_RULE, source: PUBSUB_NAMES },
  {
    kind: 'storage',
    option: 'bucket',
    resource: 'Cloud Storage bucket',
    pattern: /^[a-z0-9][a-z0-9._-]*[a-z0-9]$/,
    min: 3,
    max: 222,
    forbidden: [
      { test: /^[^.]{64,}$|(^|\.)[^.]{64,}(\.|$)/, rule: 'at most 63 characters without a dot, and each dot-separated part at most 63' },
      { test: /^goog|g[o0]{2}gle/, rule: 'must not start with "goog" nor contain "google" or close misspellings' },
      { test: /^\d+\.\d+\.\d+\.\d+$/, rule: 'not an IP address in dotted-decimal notation' },
    ],
    rule: '3 to 63 characters (222 with dots): lower-case letters, digits, "-", "_" and ".", starting and ending with a letter or digit',
    source: GCS_BUCKET_NAMES,
  },
];

const GCP_TIMEOUT = 'https://cloud.google.com/functions/docs/configuring/timeout';

export const GCP_LIMITS = {
  /**
   * 2nd gen (Cloud Run) memory: 128 MiB to 32 GiB. faasport's MB are binary, as on Lambda and Azure, so the
   * flag says `--memory=<n>Mi`: for 2nd gen, gcloud reads "M"/"MB" as decimal (10^6 bytes) and "Mi" as binary
   * (https://cloud.google.com/sdk/gcloud/reference/functions/deploy#--memory).
   */
  memory: { min: 128, max: 32_768, unit: 'MB', source: 'https://cloud.google.com/functions/docs/configuring/memory' },
  /**
   * `--max-instances` (faasport's `concurrency`): Cloud Run's per-region baseline quota is 1,000 instances
   * (lower for instances above 1 vCPU or 2 GB; raisable on request).
   */
  maxInstances: {
    min: 1,
    max: 1_000,
    unit: 'instances',
    source: 'https://cloud.google.com/run/docs/configuring/max-instances-limits (regional baseline quota; raisable)',
  },
  /** HTTP functions: up to 3,600 s (60 minutes). */
  httpTimeout: { min: 1, max: 3_600, unit: 's', source: GCP_TIMEOUT },
  /** Event-driven functions: up to 540 s (9 minutes). */
  eventTimeout: { min: 1, max: 540, unit: 's', source: GCP_TIMEOUT },
  /** A push subscription's ack deadline (what a queue function's timeout becomes): 10 to 600 s. */
  ackDeadline: { min: 10, max: 600, unit: 's', source: 'https://cloud.google.com/pubsub/docs/lease-management (ack deadline 10 s to 600 s)' },
  /** Dead-letter policies: 5 to 100 delivery attempts. */
  maxDeliveryAttempts: { min: 5, max: 100, unit: 'delivery attempts', source: 'https://cloud.google.com/pubsub/docs/handling-failures (maximum delivery attempts)' },
} as const satisfies Readonly<Record<string, PlatformLimit>>;

/** What a function gets when it sets nothing (`gcloud functions deploy`: 60 s, 256 MB). */
export const GCP_DEFAULTS = { timeout: 60, memory: 256 } as const;
