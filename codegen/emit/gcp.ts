/**
 * Google Cloud Functions (2nd gen): `package.json` (main `index.mjs`, dependency
 * `@google-cloud/functions-framework`), `deploy.json` (machine-readable: each function's `gcloud functions
 * deploy` flags and every Pub/Sub, Eventarc and Cloud Scheduler resource its trigger needs), `deploy.sh`
 * running it, and `faasport.json`. Every function is deployed from the same folder; `--entry-point` picks its
 * `register()` name.
 *
 * Triggers, as the faasport/gcp adapter expects them (adapters/gcp/README.md):
 * - http: an HTTP function;
 * - queue: an HTTP function fed by a Pub/Sub **push** subscription with a dead-letter policy (the adapter
 *   answers push envelopes; `deliveryAttempt` only exists with a dead-letter policy). Push authenticates with
 *   an OIDC token of a service account that may invoke the function, so the function is not public;
 * - topic, storage, schedule, event: Eventarc triggers (CloudEvent functions) with `--retry`; a schedule is a
 *   Cloud Scheduler job publishing `{}` to a topic. Eventarc creates a Pub/Sub subscription per trigger;
 *   deploy.sh gives it a dead-letter policy afterwards, so a failing event is retried and then dead-lettered
 *   instead of being retried for the whole retry window.
 */
import { toCloudSchedulerCron } from '../cron/translate.js';
import type { DiscoveredFunction } from '../discover.js';
import { deployedMethods, sharedRouteKeys } from '../routes.js';
import { GCP_DEFAULTS, GCP_LIMITS } from '../platforms/gcp.js';
import { platformRuntime } from '../runtime.js';
import { manifestFile, type DeployedSettings } from './manifest.js';
import { DEFAULT_MAX_ATTEMPTS, DEFAULT_STORAGE_EVENTS, json, shellComment, shellQuote, type EmitInput, type OutputFile } from './types.js';

export { shellQuote } from './types.js';

/**
 * The 2nd gen default timeout, written out for queue functions: a push subscription's ack deadline is how
 * long Pub/Sub waits for the answer, so it must not be shorter than the function may run.
 */
export const GCP_QUEUE_TIMEOUT_SECONDS = GCP_DEFAULTS.timeout;
/** Pub/Sub dead-lettering accepts 5 to 100 delivery attempts. */
export const PUBSUB_MIN_ATTEMPTS = 5;
export const PUBSUB_MAX_ATTEMPTS = 100;
/** Pub/Sub's backoff between redeliveries of a nacked message (its allowed range is 0 to 600 s). */
export const PUBSUB_RETRY_DELAY = { min: '10s', max: '600s' } as const;

export interface GcpDeadLetterPolicy {
  readonly topic: string;
  /** `maxAttempts` within Pub/Sub's 5..100. */
  readonly maxDeliveryAttempts: number;
}

export type GcpTrigger =
  | { readonly type: 'http'; readonly route: string; readonly methods: 'any' | readonly string[] }
  /** An HTTP function that a push subscription (see `pushSubscriptions`) posts envelopes to. */
  | { readonly type: 'pubsub-push'; readonly topic: string; readonly subscription: string }
  | { readonly type: 'topic'; readonly topic: string }
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
  readonly runtime: string;
  readonly gen2: true;
  readonly trigger: GcpTrigger;
  readonly extraTriggers: readonly GcpExtraTrigger[];
  readonly allowUnauthenticated: boolean;
  /** Flags after `gcloud functions deploy <name>` (region added by deploy.sh). */
  readonly flags: readonly string[];
  /** Where the deployment differs from what the options ask, and steps deploy.sh cannot know how to do. */
  readonly notes: readonly string[];
}

/** The push subscription of a queue function: `gcloud pubsub subscriptions create <name> --topic=<topic> ...`. */
export interface GcpPushSubscription {
  readonly name: string;
  readonly topic: string;
  readonly function: string;
  /** deploy.sh reads the endpoint after the deploy: `gcloud functions describe <function> --format='value(serviceConfig.uri)'`. */
  readonly pushEndpointFrom: 'serviceConfig.uri';
  /**
   * Push requests carry an OIDC token of this service account (deploy.sh: `$PUSH_SERVICE_ACCOUNT`, default the
   * Compute Engine default service account), which is granted `roles/run.invoker` on the function.
   */
  readonly pushAuthServiceAccount: '$PUSH_SERVICE_ACCOUNT';
  readonly ackDeadlineSeconds: number;
  readonly minRetryDelay: string;
  readonly maxRetryDelay: string;
  readonly deadLetter: GcpDeadLetterPolicy;
}

/**
 * The dead-letter policy deploy.sh puts on the Pub/Sub subscription Eventarc created for a trigger: the
 * function's own trigger (`gcloud functions describe <function> --format='value(eventTrigger.trigger)'`) or an
 * extra trigger by name, then `gcloud eventarc triggers describe <trigger> --format='value(transport.pubsub.subscription)'`
 * and `gcloud pubsub subscriptions update <subscription> --dead-letter-topic=... --max-delivery-attempts=...`.
 */
export interface GcpEventarcDeadLetter {
  readonly function: string;
  /** Undefined for the function's own trigger; else the extra trigger's name. */
  readonly trigger?: string;
  readonly deadLetter: GcpDeadLetterPolicy;
}

export interface GcpSchedulerJob {
  readonly name: string;
  readonly schedule: string;
  readonly timeZone: string;
  readonly topic: string;
  readonly messageBody: '{}';
}

export interface GcpDeployManifest {
  readonly runtime: string;
  readonly source: '.';
  /** Topics created when missing: trigger topics, schedule topics and dead-letter topics. */
  readonly topics: readonly string[];
  /**
   * Dead-letter topics: each gets a pull subscription of the same name (Pub/Sub drops messages published to a
   * topic without subscriptions) and the Pub/Sub service agent gets `roles/pubsub.publisher` on it.
   */
  readonly deadLetterTopics: readonly string[];
  readonly pushSubscriptions: readonly GcpPushSubscription[];
  readonly eventarcDeadLetters: readonly GcpEventarcDeadLetter[];
  readonly schedulerJobs: readonly GcpSchedulerJob[];
  readonly functions: readonly GcpDeployFunction[];
}

const STORAGE_EVENT_TYPES = {
  created: 'google.cloud.storage.object.v1.finalized',
  deleted: 'google.cloud.storage.object.v1.deleted',
} as const;

const scheduleTopic = (name: string) => `faasport-schedule-${name}`;
export const pushSubscriptionName = (name: string) => `${name}-push`;
const deadLetterTopicOf = (name: string) => `${name}-dead-letter`;

/** `maxAttempts` within Pub/Sub's range, and a note when it had to move. */
export function pubsubAttempts(maxAttempts: number): { attempts: number; note?: string } {
  const attempts = Math.min(PUBSUB_MAX_ATTEMPTS, Math.max(PUBSUB_MIN_ATTEMPTS, maxAttempts));
  if (attempts === maxAttempts) return { attempts };
  return {
    attempts,
    note: `maxAttempts ${maxAttempts} is outside Pub/Sub's ${PUBSUB_MIN_ATTEMPTS} to ${PUBSUB_MAX_ATTEMPTS} delivery attempts: messages are dead-lettered after ${attempts}`,
  };
}

function trigger(fn: DiscoveredFunction, shared: ReadonlySet<string>): GcpTrigger {
  switch (fn.kind) {
    case 'http':
      return { type: 'http', route: fn.options.route, methods: deployedMethods(fn, shared) };
    case 'queue':
      return { type: 'pubsub-push', topic: fn.options.queue, subscription: pushSubscriptionName(fn.name) };
    case 'topic':
      return { type: 'topic', topic: fn.options.topic };
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
    case 'pubsub-push':
      return ['--trigger-http'];
    // `--retry`: a failed CloudEvent is redelivered (2nd gen: for up to 24 h) instead of dropped.
    case 'topic':
    case 'schedule':
      return [`--trigger-topic=${t.topic}`, '--retry'];
    case 'storage':
      return [`--trigger-event-filters=type=${t.eventType}`, `--trigger-event-filters=bucket=${t.bucket}`, '--retry'];
    case 'event':
      return [`--trigger-event-filters=type=${t.eventType}`, ...(t.source === undefined ? [] : [`--trigger-event-filters=source=${t.source}`]), '--retry'];
  }
}

/**
 * Who may call the function: anonymous HTTP functions are public; every other function is private (push
 * subscriptions and Eventarc authenticate with a service account).
 */
const isPublic = (fn: DiscoveredFunction): boolean => fn.kind === 'http' && (fn.options.authLevel ?? 'anonymous') === 'anonymous';

/** Deliveries before dead-lettering: the option where the kind has one, else the neutral default. */
const maxAttemptsOf = (fn: DiscoveredFunction): number => (fn.kind === 'queue' || fn.kind === 'topic' ? (fn.options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS) : DEFAULT_MAX_ATTEMPTS);

/** A queue function's push subscription waits as long as the function may run, within Pub/Sub's ack deadline range. */
const ackDeadlineOf = (fn: DiscoveredFunction): number =>
  Math.min(GCP_LIMITS.ackDeadline.max, Math.max(GCP_LIMITS.ackDeadline.min, fn.options.timeout ?? GCP_QUEUE_TIMEOUT_SECONDS));

/**
 * A gcloud list flag (`--set-env-vars=A=1,B=2`); when a value holds a comma, gcloud's `^DELIM^` prefix picks
 * another delimiter (https://cloud.google.com/sdk/gcloud/reference/topic/escaping).
 */
export function gcloudList(items: readonly string[]): string {
  if (!items.some((item) => item.includes(','))) return items.join(',');
  const delimiter = ['|', ';', '#', '~', '@'].find((d) => !items.some((item) => item.includes(d)));
  if (!delimiter) throw new Error(`faasport: no gcloud list delimiter fits ${JSON.stringify(items)}`);
  return `^${delimiter}^${items.join(delimiter)}`;
}

/**
 * `gcloud functions deploy` flags of a function's settings (https://cloud.google.com/sdk/gcloud/reference/functions/deploy):
 * --memory, --timeout (queue functions always say it: their push subscription's ack deadline follows it),
 * --set-env-vars, --set-secrets (Secret Manager, `NAME=secret:version`), --max-instances (2nd gen instances
 * take one request at a time by default, so instances bound the concurrency).
 */
function settingsFlags(fn: DiscoveredFunction): string[] {
  const { memory, timeout, concurrency, environment = {} } = fn.options;
  const plain = Object.entries(environment).flatMap(([name, value]) => (typeof value === 'string' ? [`${name}=${value}`] : []));
  const secrets = Object.entries(environment).flatMap(([name, value]) => (typeof value === 'string' ? [] : [`${name}=${value.secret}:${value.version ?? 'latest'}`]));
  const seconds = timeout ?? (fn.kind === 'queue' ? GCP_QUEUE_TIMEOUT_SECONDS : undefined);
  return [
    // Mi, not MB: gcloud reads 2nd gen "MB" as 10^6 bytes (reference: --memory); faasport's MB are binary.
    ...(memory === undefined ? [] : [`--memory=${memory}Mi`]),
    ...(seconds === undefined ? [] : [`--timeout=${seconds}s`]),
    ...(plain.length > 0 ? [`--set-env-vars=${gcloudList(plain)}`] : []),
    ...(secrets.length > 0 ? [`--set-secrets=${gcloudList(secrets)}`] : []),
    ...(concurrency === undefined ? [] : [`--max-instances=${concurrency}`]),
  ];
}

/** What `gcloud functions deploy` is told about a function (faasport.json, read by the emulator). */
export function gcpSettings(fn: DiscoveredFunction): DeployedSettings {
  const { memory, timeout, concurrency, environment } = fn.options;
  return {
    timeout: timeout ?? GCP_DEFAULTS.timeout,
    memory: memory ?? GCP_DEFAULTS.memory,
    environment: environment ?? {},
    ...(concurrency === undefined ? {} : { concurrency }),
    ...(fn.kind === 'http' ? {} : { maxAttempts: pubsubAttempts(maxAttemptsOf(fn)).attempts }),
  };
}

export function gcpDeployManifest(input: EmitInput): GcpDeployManifest {
  const shared = sharedRouteKeys(input.functions);
  const topics = new Set<string>();
  const deadLetterTopics = new Set<string>();
  const pushSubscriptions: GcpPushSubscription[] = [];
  const eventarcDeadLetters: GcpEventarcDeadLetter[] = [];
  const schedulerJobs: GcpSchedulerJob[] = [];
  const runtime = platformRuntime('gcp', input.runtime).id;
  const functions = input.functions.map((fn): GcpDeployFunction => {
    const t = trigger(fn, shared);
    const extra = extraTriggers(fn);
    const notes: string[] = [];
    if (t.type !== 'http') {
      const { attempts, note } = pubsubAttempts(maxAttemptsOf(fn));
      if (note) notes.push(note);
      // Queue and topic functions share a dead-letter topic per queue/topic; other kinds get their own.
      const deadLetter = { topic: deadLetterTopicOf(t.type === 'pubsub-push' || t.type === 'topic' ? t.topic : fn.name), maxDeliveryAttempts: attempts };
      deadLetterTopics.add(deadLetter.topic);
      if (t.type === 'pubsub-push') {
        topics.add(t.topic);
        pushSubscriptions.push({
          name: t.subscription,
          topic: t.topic,
          function: fn.name,
          pushEndpointFrom: 'serviceConfig.uri',
          pushAuthServiceAccount: '$PUSH_SERVICE_ACCOUNT',
          ackDeadlineSeconds: ackDeadlineOf(fn),
          minRetryDelay: PUBSUB_RETRY_DELAY.min,
          maxRetryDelay: PUBSUB_RETRY_DELAY.max,
          deadLetter,
        });
      } else {
        eventarcDeadLetters.push({ function: fn.name, deadLetter }, ...extra.map((x) => ({ function: fn.name, trigger: x.name, deadLetter })));
      }
    }
    if (t.type === 'topic') topics.add(t.topic);
    if (t.type === 'schedule' && fn.kind === 'schedule') {
      topics.add(t.topic);
      const { schedule, timeZone } = toCloudSchedulerCron(fn.options.cron);
      schedulerJobs.push({ name: t.job, schedule, timeZone, topic: t.topic, messageBody: '{}' });
    }
    if (t.type === 'storage') {
      notes.push('Eventarc receives Cloud Storage events in the bucket\'s location: if the bucket is not in $REGION, add --trigger-location=<bucket location>');
    }
    const allowUnauthenticated = isPublic(fn);
    return {
      name: fn.name,
      entryPoint: fn.name,
      runtime,
      gen2: true,
      trigger: t,
      extraTriggers: extra,
      allowUnauthenticated,
      flags: [
        '--gen2',
        `--runtime=${runtime}`,
        '--source=.',
        `--entry-point=${fn.name}`,
        ...triggerFlags(t),
        ...settingsFlags(fn),
        ...(t.type === 'http' || t.type === 'pubsub-push' ? [allowUnauthenticated ? '--allow-unauthenticated' : '--no-allow-unauthenticated'] : []),
      ],
      notes,
    };
  });
  for (const topic of deadLetterTopics) topics.add(topic);
  return {
    runtime,
    source: '.',
    topics: [...topics].sort(),
    deadLetterTopics: [...deadLetterTopics].sort(),
    pushSubscriptions,
    eventarcDeadLetters,
    schedulerJobs,
    functions,
  };
}

const PUBSUB_AGENT_MEMBER = '--member="serviceAccount:$PUBSUB_AGENT"';

/** Lines that give a subscription a dead-letter policy; `$subscription` is a shell expression. */
function deadLetterLines(subscription: string, policy: GcpDeadLetterPolicy): string[] {
  return [
    `gcloud pubsub subscriptions update ${subscription} --dead-letter-topic=${shellQuote(policy.topic)} --max-delivery-attempts=${policy.maxDeliveryAttempts} ` +
      `--min-retry-delay=${PUBSUB_RETRY_DELAY.min} --max-retry-delay=${PUBSUB_RETRY_DELAY.max}`,
    // Dead-lettering is done by the Pub/Sub service agent: it must be able to pull from the subscription.
    `gcloud pubsub subscriptions add-iam-policy-binding ${subscription} ${PUBSUB_AGENT_MEMBER} --role=roles/pubsub.subscriber >/dev/null`,
  ];
}

export function deployScript(manifest: GcpDeployManifest): string {
  const lines = [
    '#!/usr/bin/env bash',
    '# Generated by faasport build: deploys every function in this folder to Cloud Functions (2nd gen), with the',
    '# Pub/Sub topics, push subscriptions, dead-letter policies, Eventarc triggers and Cloud Scheduler jobs they need.',
    '# Uses the active gcloud project (or PROJECT); REGION (default us-central1); PUSH_SERVICE_ACCOUNT, the identity',
    '# push subscriptions call queue functions with (default: the Compute Engine default service account);',
    '# TRIGGER_SERVICE_ACCOUNT for the Eventarc triggers of functions with several event types.',
    '# Projects created before 2021-04-08: the Pub/Sub service agent also needs roles/iam.serviceAccountTokenCreator',
    '# on PUSH_SERVICE_ACCOUNT to sign push tokens.',
    'set -euo pipefail',
    'cd "$(dirname "$0")"',
    'REGION="${REGION:-us-central1}"',
    'PROJECT="${PROJECT:-$(gcloud config get-value project 2>/dev/null)}"',
    ': "${PROJECT:?set PROJECT or run gcloud config set project}"',
    '# Every gcloud command below works in PROJECT (without changing the gcloud configuration).',
    'export CLOUDSDK_CORE_PROJECT="$PROJECT"',
    'PROJECT_NUMBER="$(gcloud projects describe "$PROJECT" --format=\'value(projectNumber)\')"',
    '# The Pub/Sub service agent moves failed messages to dead-letter topics.',
    'PUBSUB_AGENT="service-${PROJECT_NUMBER}@gcp-sa-pubsub.iam.gserviceaccount.com"',
    'PUSH_SERVICE_ACCOUNT="${PUSH_SERVICE_ACCOUNT:-${PROJECT_NUMBER}-compute@developer.gserviceaccount.com}"',
  ];
  for (const topic of manifest.topics) {
    const t = shellQuote(topic);
    lines.push(`gcloud pubsub topics describe ${t} >/dev/null 2>&1 || gcloud pubsub topics create ${t}`);
  }
  for (const topic of manifest.deadLetterTopics) {
    const t = shellQuote(topic);
    lines.push(
      `gcloud pubsub subscriptions describe ${t} >/dev/null 2>&1 || gcloud pubsub subscriptions create ${t} --topic=${t}`,
      `gcloud pubsub topics add-iam-policy-binding ${t} ${PUBSUB_AGENT_MEMBER} --role=roles/pubsub.publisher >/dev/null`,
    );
  }
  for (const fn of manifest.functions) {
    lines.push(`gcloud functions deploy ${shellQuote(fn.name)} --region="$REGION" ${fn.flags.map(shellQuote).join(' ')}`);
  }
  for (const sub of manifest.pushSubscriptions) {
    const name = shellQuote(sub.name);
    const fn = shellQuote(sub.function);
    const { topic, maxDeliveryAttempts } = sub.deadLetter;
    const args =
      `--push-endpoint="$URL" --push-auth-service-account="$PUSH_SERVICE_ACCOUNT" --ack-deadline=${sub.ackDeadlineSeconds} ` +
      `--dead-letter-topic=${shellQuote(topic)} --max-delivery-attempts=${maxDeliveryAttempts} --min-retry-delay=${sub.minRetryDelay} --max-retry-delay=${sub.maxRetryDelay}`;
    lines.push(
      `# ${shellComment(`${sub.function}: Pub/Sub pushes each message of "${sub.topic}" to the function, then dead-letters it after ${maxDeliveryAttempts} attempts.`)}`,
      `URL="$(gcloud functions describe ${fn} --gen2 --region="$REGION" --format='value(${sub.pushEndpointFrom})')"`,
      `gcloud functions add-invoker-policy-binding ${fn} --region="$REGION" --member="serviceAccount:$PUSH_SERVICE_ACCOUNT" >/dev/null`,
      `if gcloud pubsub subscriptions describe ${name} >/dev/null 2>&1; then gcloud pubsub subscriptions update ${name} ${args}; ` +
        `else gcloud pubsub subscriptions create ${name} --topic=${shellQuote(sub.topic)} ${args}; fi`,
      `gcloud pubsub subscriptions add-iam-policy-binding ${name} ${PUBSUB_AGENT_MEMBER} --role=roles/pubsub.subscriber >/dev/null`,
    );
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
  for (const entry of manifest.eventarcDeadLetters) {
    const { topic, maxDeliveryAttempts } = entry.deadLetter;
    lines.push(`# ${shellComment(`${entry.function}${entry.trigger ? ` (${entry.trigger})` : ''}: Eventarc's subscription retries, then dead-letters to ${topic} after ${maxDeliveryAttempts} attempts.`)}`);
    if (entry.trigger === undefined) {
      lines.push(`TRIGGER="$(gcloud functions describe ${shellQuote(entry.function)} --gen2 --region="$REGION" --format='value(eventTrigger.trigger)')"`);
    } else {
      lines.push(`TRIGGER=${shellQuote(entry.trigger)}`);
    }
    lines.push(`SUBSCRIPTION="$(gcloud eventarc triggers describe "\${TRIGGER##*/}" --location="$REGION" --format='value(transport.pubsub.subscription)')"`);
    lines.push(...deadLetterLines('"${SUBSCRIPTION##*/}"', entry.deadLetter));
  }
  for (const job of manifest.schedulerJobs) {
    const args =
      `${shellQuote(job.name)} --location="$REGION" --schedule=${shellQuote(job.schedule)} --time-zone=${shellQuote(job.timeZone)} ` +
      `--topic=${shellQuote(job.topic)} --message-body=${shellQuote(job.messageBody)}`;
    lines.push(
      `if gcloud scheduler jobs describe ${shellQuote(job.name)} --location="$REGION" >/dev/null 2>&1; then gcloud scheduler jobs update pubsub ${args}; ` +
        `else gcloud scheduler jobs create pubsub ${args}; fi`,
    );
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
    engines: { node: `${input.runtime.slice('node'.length)}.x` },
    dependencies: { '@google-cloud/functions-framework': input.versions.functionsFramework },
  };
}

export function gcpFiles(input: EmitInput): OutputFile[] {
  const deploy = gcpDeployManifest(input);
  return [
    { path: 'package.json', contents: json(gcpPackageJson(input)) },
    { path: 'deploy.json', contents: json(deploy) },
    { path: 'deploy.sh', contents: deployScript(deploy) },
    manifestFile('gcp', input.functions, input.runtime, gcpSettings),
  ];
}
