/**
 * Google Cloud Functions (2nd gen): `package.json` (main `index.mjs`, dependency
 * `@google-cloud/functions-framework`), `deploy.json` (each function's `gcloud functions deploy` flags,
 * plus the Pub/Sub topics and Cloud Scheduler jobs it needs), `deploy.sh` running them, and `faasport.json`.
 * Every function is deployed from the same folder; `--entry-point` picks its `register()` name.
 */
import { toCloudSchedulerCron } from '../cron/translate.js';
import type { DiscoveredFunction } from '../discover.js';
import { deployedMethods, sharedRouteKeys } from '../routes.js';
import { manifestFile } from './manifest.js';
import { DEFAULT_MAX_ATTEMPTS, DEFAULT_STORAGE_EVENTS, json, type EmitInput, type OutputFile } from './types.js';

export const GCP_RUNTIME = 'nodejs20';
/** Pub/Sub dead-lettering accepts 5 to 100 delivery attempts. */
const PUBSUB_MIN_ATTEMPTS = 5;
const PUBSUB_MAX_ATTEMPTS = 100;

export type GcpTrigger =
  | { readonly type: 'http'; readonly route: string; readonly methods: 'any' | readonly string[] }
  | { readonly type: 'topic'; readonly topic: string; readonly deadLetter?: { readonly topic: string; readonly maxDeliveryAttempts: number } }
  | { readonly type: 'storage'; readonly bucket: string; readonly eventType: string }
  | { readonly type: 'schedule'; readonly topic: string; readonly job: string }
  | { readonly type: 'event'; readonly eventType: string; readonly source?: string };

/**
 * A function has one trigger on `gcloud functions deploy`; further event types (a storage function on
 * created and deleted, an event function on several types) are Eventarc triggers aimed at the function's
 * Cloud Run service, whose name is the function name in lower case.
 */
export interface GcpExtraTrigger {
  readonly name: string;
  readonly service: string;
  readonly eventFilters: Readonly<Record<string, string>>;
}

export interface GcpDeployFunction {
  readonly name: string;
  readonly entryPoint: string;
  readonly runtime: typeof GCP_RUNTIME;
  readonly gen2: true;
  readonly trigger: GcpTrigger;
  readonly extraTriggers: readonly GcpExtraTrigger[];
  readonly allowUnauthenticated: boolean;
  /** Flags after `gcloud functions deploy <name>` (region added by deploy.sh). */
  readonly flags: readonly string[];
}

export interface GcpSchedulerJob {
  readonly name: string;
  readonly schedule: string;
  readonly timeZone: string;
  readonly topic: string;
}

export interface GcpDeployManifest {
  readonly runtime: typeof GCP_RUNTIME;
  readonly source: '.';
  readonly topics: readonly string[];
  readonly schedulerJobs: readonly GcpSchedulerJob[];
  readonly functions: readonly GcpDeployFunction[];
}

const STORAGE_EVENT_TYPES = {
  created: 'google.cloud.storage.object.v1.finalized',
  deleted: 'google.cloud.storage.object.v1.deleted',
} as const;

const scheduleTopic = (name: string) => `faasport-schedule-${name}`;

function trigger(fn: DiscoveredFunction, shared: ReadonlySet<string>): GcpTrigger {
  switch (fn.kind) {
    case 'http':
      return { type: 'http', route: fn.options.route, methods: deployedMethods(fn, shared) };
    case 'queue':
    case 'topic': {
      // A queue is a Pub/Sub topic with a push subscription; a failed delivery is retried, then dead-lettered.
      const topic = fn.kind === 'queue' ? fn.options.queue : fn.options.topic;
      const attempts = fn.options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
      return {
        type: 'topic',
        topic,
        deadLetter: { topic: `${topic}-dead-letter`, maxDeliveryAttempts: Math.min(PUBSUB_MAX_ATTEMPTS, Math.max(PUBSUB_MIN_ATTEMPTS, attempts)) },
      };
    }
    case 'storage':
      return { type: 'storage', bucket: fn.options.bucket, eventType: STORAGE_EVENT_TYPES[(fn.options.events ?? DEFAULT_STORAGE_EVENTS)[0]!] };
    case 'schedule':
      return { type: 'schedule', topic: scheduleTopic(fn.name), job: fn.name };
    case 'event': {
      const type = typeof fn.options.type === 'string' ? fn.options.type : fn.options.type[0]!;
      return { type: 'event', eventType: type, ...(fn.options.source === undefined ? {} : { source: fn.options.source }) };
    }
  }
}

/** Eventarc trigger names: lower-case letters, digits and hyphens, starting with a letter. */
const triggerName = (name: string, suffix: string) => `${name.toLowerCase().replace(/_/g, '-')}-${suffix.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`.slice(0, 63).replace(/-+$/, '');

function extraTriggers(fn: DiscoveredFunction): GcpExtraTrigger[] {
  const service = fn.name.toLowerCase().replace(/_/g, '-');
  if (fn.kind === 'storage') {
    return (fn.options.events ?? DEFAULT_STORAGE_EVENTS).slice(1).map((event) => ({
      name: triggerName(fn.name, event),
      service,
      eventFilters: { type: STORAGE_EVENT_TYPES[event], bucket: fn.options.bucket },
    }));
  }
  if (fn.kind === 'event' && typeof fn.options.type !== 'string') {
    return fn.options.type.slice(1).map((type, index) => ({
      name: triggerName(fn.name, `type-${index + 2}`),
      service,
      eventFilters: { type, ...(fn.options.source === undefined ? {} : { source: fn.options.source }) },
    }));
  }
  return [];
}

function triggerFlags(t: GcpTrigger): string[] {
  switch (t.type) {
    case 'http':
      return ['--trigger-http'];
    case 'topic':
    case 'schedule':
      return [`--trigger-topic=${t.topic}`, ...(t.type === 'topic' ? ['--retry'] : [])];
    case 'storage':
      return [`--trigger-event-filters=type=${t.eventType}`, `--trigger-event-filters=bucket=${t.bucket}`, '--retry'];
    case 'event':
      return [`--trigger-event-filters=type=${t.eventType}`, ...(t.source === undefined ? [] : [`--trigger-event-filters=source=${t.source}`]), '--retry'];
  }
}

export function gcpDeployManifest(input: EmitInput): GcpDeployManifest {
  const shared = sharedRouteKeys(input.functions);
  const topics = new Set<string>();
  const schedulerJobs: GcpSchedulerJob[] = [];
  const functions = input.functions.map((fn): GcpDeployFunction => {
    const t = trigger(fn, shared);
    if (t.type === 'topic') topics.add(t.topic);
    if (t.type === 'schedule' && fn.kind === 'schedule') {
      topics.add(t.topic);
      const { schedule, timeZone } = toCloudSchedulerCron(fn.options.cron);
      schedulerJobs.push({ name: t.job, schedule, timeZone, topic: t.topic });
    }
    const allowUnauthenticated = fn.kind === 'http' && (fn.options.authLevel ?? 'anonymous') === 'anonymous';
    return {
      name: fn.name,
      entryPoint: fn.name,
      runtime: GCP_RUNTIME,
      gen2: true,
      trigger: t,
      extraTriggers: extraTriggers(fn),
      allowUnauthenticated,
      flags: [
        '--gen2',
        `--runtime=${GCP_RUNTIME}`,
        '--source=.',
        `--entry-point=${fn.name}`,
        ...triggerFlags(t),
        ...(fn.kind === 'http' ? [allowUnauthenticated ? '--allow-unauthenticated' : '--no-allow-unauthenticated'] : []),
      ],
    };
  });
  return { runtime: GCP_RUNTIME, source: '.', topics: [...topics].sort(), schedulerJobs, functions };
}

/** Single-quotes a shell word unless it is plainly safe. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

export function deployScript(manifest: GcpDeployManifest): string {
  const lines = [
    '#!/usr/bin/env bash',
    '# Generated by faasport build: deploys every function in this folder to Cloud Functions (2nd gen).',
    '# Uses the active gcloud project; set REGION to choose the region (default us-central1) and',
    '# TRIGGER_SERVICE_ACCOUNT for the Eventarc triggers of functions with several event types.',
    'set -euo pipefail',
    'cd "$(dirname "$0")"',
    'REGION="${REGION:-us-central1}"',
  ];
  for (const topic of manifest.topics) {
    const t = shellQuote(topic);
    lines.push(`gcloud pubsub topics describe ${t} >/dev/null 2>&1 || gcloud pubsub topics create ${t}`);
  }
  for (const fn of manifest.functions) {
    lines.push(`gcloud functions deploy ${shellQuote(fn.name)} --region="$REGION" ${fn.flags.map(shellQuote).join(' ')}`);
    if (fn.trigger.type === 'topic' && fn.trigger.deadLetter) {
      const { topic, maxDeliveryAttempts } = fn.trigger.deadLetter;
      const t = shellQuote(topic);
      lines.push(
        `gcloud pubsub topics describe ${t} >/dev/null 2>&1 || gcloud pubsub topics create ${t}`,
        `# The trigger's subscription is created by the deploy above; dead-letter it after ${maxDeliveryAttempts} attempts.`,
        `SUBSCRIPTION="$(gcloud eventarc triggers describe "$(gcloud functions describe ${shellQuote(fn.name)} --region="$REGION" --format='value(eventTrigger.trigger.basename())')" --location="$REGION" --format='value(transport.pubsub.subscription)')"`,
        `gcloud pubsub subscriptions update "$SUBSCRIPTION" --dead-letter-topic=${t} --max-delivery-attempts=${maxDeliveryAttempts}`,
      );
    }
  }
  for (const fn of manifest.functions) {
    for (const extra of fn.extraTriggers) {
      const filters = Object.entries(extra.eventFilters).map(([k, v]) => `--event-filters=${shellQuote(`${k}=${v}`)}`);
      lines.push(
        `gcloud eventarc triggers describe ${shellQuote(extra.name)} --location="$REGION" >/dev/null 2>&1 || ` +
          `gcloud eventarc triggers create ${shellQuote(extra.name)} --location="$REGION" --destination-run-service=${shellQuote(extra.service)} ` +
          `--destination-run-region="$REGION" ${filters.join(' ')} ` +
          '${TRIGGER_SERVICE_ACCOUNT:+--service-account="$TRIGGER_SERVICE_ACCOUNT"}',
      );
    }
  }
  for (const job of manifest.schedulerJobs) {
    const args = `${shellQuote(job.name)} --location="$REGION" --schedule=${shellQuote(job.schedule)} --time-zone=${shellQuote(job.timeZone)} --topic=${shellQuote(job.topic)} --message-body='{}'`;
    lines.push(`gcloud scheduler jobs describe ${shellQuote(job.name)} --location="$REGION" >/dev/null 2>&1 && gcloud scheduler jobs update pubsub ${args} || gcloud scheduler jobs create pubsub ${args}`);
  }
  return `${lines.join('\n')}\n`;
}

export function gcpPackageJson(input: EmitInput): Record<string, unknown> {
  return {
    name: input.appName,
    version: '1.0.0',
    private: true,
    type: 'module',
    main: 'index.mjs',
    engines: { node: '20.x' },
    dependencies: { '@google-cloud/functions-framework': input.versions.functionsFramework },
  };
}

export function gcpFiles(input: EmitInput): OutputFile[] {
  const deploy = gcpDeployManifest(input);
  return [
    { path: 'package.json', contents: json(gcpPackageJson(input)) },
    { path: 'deploy.json', contents: json(deploy) },
    { path: 'deploy.sh', contents: deployScript(deploy) },
    manifestFile('gcp', input.functions),
  ];
}
