/**
 * Azure Functions (Node v4 programming model): `host.json`, `package.json` (main `index.mjs`, dependency
 * `@azure/functions`), `local.settings.json` for local runs, `deploy.json` (machine-readable: what must exist
 * outside the app for its triggers to fire), `deploy.sh` (the `az` commands that create it and publish the app)
 * and `faasport.json`. The entry bundle that calls `register()` for every function comes from bundle.ts.
 *
 * Triggers, as `register()` in faasport/azure creates them (adapters/azure/registration.ts):
 * - queue: a Storage queue trigger; the host moves a message to `<queue>-poison` after `maxDequeueCount`
 *   (host.json, one value per app) failed deliveries;
 * - topic: a Service Bus topic trigger on subscription `options.subscription ?? <name>`, dead-lettered by Service
 *   Bus after the subscription's `maxDeliveryCount` (= maxAttempts);
 * - storage: a blob trigger `<name>` for `created` with the Event Grid source (the only one Flex Consumption runs),
 *   fed by an Event Grid subscription of the storage account's system topic to the app's blobs extension webhook
 *   (`https://<host>/runtime/webhooks/blobs?functionName=Host.Functions.<name>&code=<blobs_extension key>`), and an
 *   Event Grid function `<name>-deleted` that needs an Event Grid subscription to `Microsoft.Storage.BlobDeleted`;
 * - schedule: a timer trigger (nothing outside the app);
 * - event: an Event Grid function that needs an Event Grid subscription (CloudEvents schema) to a topic.
 */
import type { DiscoveredFunction } from '../discover.js';
import type { SecretRef } from '../../core/types.js';
import { AZURE_DEFAULT_TIMEOUT_SECONDS, FLEX_INSTANCE_MEMORY_MB } from '../platforms/azure.js';
import { platformRuntime } from '../runtime.js';
import { azureDeployScript } from './azure-deploy-script.js';
import {
  DEFAULT_STORAGE_CONNECTION,
  LOCAL_SERVICE_BUS_CONNECTION,
  LOCAL_STORAGE_CONNECTION,
  serviceBusConnection,
  storageConnection,
} from './azure-connections.js';
import { manifestFile, type DeployedSettings } from './manifest.js';
import type { EmitInput, OutputFile } from './types.js';
import { DEFAULT_MAX_ATTEMPTS, DEFAULT_STORAGE_EVENTS, json } from './types.js';

export const AZURE_EXTENSION_BUNDLE = { id: 'Microsoft.Azure.Functions.ExtensionBundle', version: '[4.*, 5.0.0)' } as const;

/** Suffix of the Event Grid function that carries a storage function's deletes (adapters/azure/registration.ts). */
export const DELETED_SUFFIX = '-deleted';
/** Event Grid retries a delivery at most 30 times. */
const EVENT_GRID_MAX_ATTEMPTS = 30;
/** Blob container that receives Event Grid events that could not be delivered. */
export const EVENT_GRID_DEAD_LETTER_CONTAINER = 'faasport-dead-letters';

/** The largest timeout any function sets, and which one: Azure has one functionTimeout per app. */
export function appTimeout(input: EmitInput): { seconds: number; from?: string } {
  let best: { seconds: number; from?: string } = { seconds: AZURE_DEFAULT_TIMEOUT_SECONDS };
  let set = false;
  for (const fn of input.functions) {
    const t = fn.options.timeout;
    if (t !== undefined && (!set || t > best.seconds)) {
      best = { seconds: t, from: fn.name };
      set = true;
    }
  }
  return best;
}

/** The Flex Consumption instance size that fits the most memory any function asks for (one size per app). */
export function appInstanceMemory(input: EmitInput): { mb: number; from?: string } {
  const asks = input.functions.flatMap((fn) => (fn.options.memory === undefined ? [] : [{ mb: fn.options.memory, from: fn.name }]));
  if (asks.length === 0) return { mb: FLEX_INSTANCE_MEMORY_MB[0] };
  const most = asks.reduce((a, b) => (b.mb > a.mb ? b : a));
  // Validation refuses more than the largest size.
  return { mb: FLEX_INSTANCE_MEMORY_MB.find((size) => size >= most.mb) ?? FLEX_INSTANCE_MEMORY_MB.at(-1)!, from: most.from };
}

/** host.json `functionTimeout` is "hh:mm:ss". */
export const hostTimeout = (seconds: number): string =>
  [Math.floor(seconds / 3600), Math.floor((seconds % 3600) / 60), seconds % 60].map((n) => String(n).padStart(2, '0')).join(':');

/** What the build output tells the user about settings that are one per app on Azure. */
export function azureAppWideNotes(input: EmitInput): string[] {
  const notes: string[] = [];
  const timeout = appTimeout(input);
  if (timeout.from !== undefined && input.functions.length > 1) {
    notes.push(`azure: functionTimeout is one per app: ${hostTimeout(timeout.seconds)}, the largest (from ${timeout.from}), applies to every function`);
  }
  const memory = appInstanceMemory(input);
  if (memory.from !== undefined) notes.push(`azure: instance memory is one per app: ${memory.mb} MB (Flex Consumption size fitting ${memory.from}) for every function`);
  return notes;
}

/** Environment of every function, as one set of app settings (validation refuses conflicting values). */
export function appEnvironment(input: EmitInput): Record<string, string | SecretRef> {
  const environment: Record<string, string | SecretRef> = {};
  for (const fn of input.functions) Object.assign(environment, fn.options.environment ?? {});
  return Object.fromEntries(Object.entries(environment).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** What the app is told about a function (faasport.json, read by the emulator): app-wide values on Azure. */
export function azureSettingsOf(input: EmitInput): (fn: DiscoveredFunction) => DeployedSettings {
  const timeout = appTimeout(input).seconds;
  const memory = appInstanceMemory(input).mb;
  const environment = appEnvironment(input);
  const queueAttempts = input.functions.find((fn) => fn.kind === 'queue')?.options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  return (fn) => ({
    timeout,
    memory,
    environment,
    ...(fn.kind === 'queue' ? { maxAttempts: queueAttempts } : fn.kind === 'topic' ? { maxAttempts: fn.options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS } : {}),
  });
}

export function hostJson(input: EmitInput): Record<string, unknown> {
  const timeout = appTimeout(input);
  const queueAttempts = input.functions.flatMap((fn) => (fn.kind === 'queue' ? [fn.options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS] : []));
  const hasTopics = input.functions.some((fn) => fn.kind === 'topic');
  return {
    version: '2.0',
    ...(timeout.from === undefined ? {} : { functionTimeout: hostTimeout(timeout.seconds) }),
    logging: {
      logLevel: { default: 'Information' },
      applicationInsights: { samplingSettings: { isEnabled: true, excludedTypes: 'Request' } },
    },
    extensionBundle: AZURE_EXTENSION_BUNDLE,
    extensions: {
      // Routes are the same paths as on the other clouds: no "/api" prefix.
      http: { routePrefix: '' },
      // One poison threshold per app; validation makes sure the queue functions agree on it.
      ...(queueAttempts.length > 0 ? { queues: { maxDequeueCount: queueAttempts[0] } } : {}),
      // The adapter signals failure by throwing: the host then abandons the message (redelivered, and
      // dead-lettered by Service Bus after maxDeliveryCount) and completes it on success. That is the
      // default; written out so that nobody turns it off without seeing why it matters.
      ...(hasTopics ? { serviceBus: { autoCompleteMessages: true } } : {}),
    },
  };
}

export function azurePackageJson(input: EmitInput): Record<string, unknown> {
  return {
    name: input.appName,
    version: '1.0.0',
    private: true,
    type: 'module',
    main: 'index.mjs',
    dependencies: { '@azure/functions': input.versions.azureFunctions },
  };
}

/** Every connection setting the functions use, pointed at the local emulators. */
export function localSettings(input: EmitInput): Record<string, unknown> {
  const values: Record<string, string> = { FUNCTIONS_WORKER_RUNTIME: 'node', [DEFAULT_STORAGE_CONNECTION]: LOCAL_STORAGE_CONNECTION };
  for (const fn of input.functions) {
    if (fn.kind === 'queue' || (fn.kind === 'storage' && (fn.options.events ?? DEFAULT_STORAGE_EVENTS).includes('created'))) {
      values[storageConnection(fn.options.connection)] = LOCAL_STORAGE_CONNECTION;
    }
    if (fn.kind === 'topic') values[serviceBusConnection(fn.options.connection)] = LOCAL_SERVICE_BUS_CONNECTION;
  }
  // Plain values as they deploy; a secret's value is not known here, so it is left for the user to fill in.
  for (const [name, value] of Object.entries(appEnvironment(input))) values[name] = typeof value === 'string' ? value : '';
  return { IsEncrypted: false, Values: values };
}

// ---------------------------------------------------------------------------------------------------------
// deploy.json: what must exist outside the app.

export interface AzureStorageQueue {
  readonly name: string;
  /** App setting holding the storage account's connection. */
  readonly connection: string;
  readonly functions: readonly string[];
  /** Created by the host when the first message is poisoned. */
  readonly poisonQueue: string;
  readonly maxDequeueCount: number;
}

export interface AzureBlobContainer {
  readonly name: string;
  readonly connection: string;
  readonly functions: readonly string[];
}

export interface AzureServiceBusSubscription {
  readonly topic: string;
  readonly subscription: string;
  readonly connection: string;
  readonly function: string;
  /** Deliveries before Service Bus dead-letters a message (`<topic>/Subscriptions/<sub>/$DeadLetterQueue`). */
  readonly maxDeliveryCount: number;
}

export type AzureEventGridSource =
  /** The storage account behind a connection setting (system topic events such as BlobDeleted). */
  | { readonly kind: 'storageAccount'; readonly connection: string }
  /** An Event Grid custom topic with CloudEvents input, created when missing. */
  | { readonly kind: 'customTopic'; readonly topic: string };

export interface AzureEventGridSubscription {
  /** Event subscription name: 3 to 64 letters, digits and hyphens. */
  readonly name: string;
  /** The Azure function it delivers to (`--endpoint-type azurefunction`). */
  readonly function: string;
  readonly faasportFunction: string;
  readonly source: AzureEventGridSource;
  readonly includedEventTypes: readonly string[];
  readonly subjectBeginsWith?: string;
  /** `--advanced-filter <key> StringIn <values>`. */
  readonly advancedFilters: readonly { readonly key: string; readonly operator: 'StringIn'; readonly values: readonly string[] }[];
  readonly deliverySchema: 'eventgridschema' | 'cloudeventschemav1_0';
  readonly maxDeliveryAttempts: number;
  /** Undeliverable events go to this blob container of the storage account behind `connection`. */
  readonly deadLetter: { readonly connection: string; readonly container: string };
}

/**
 * A blob trigger with the Event Grid source: the storage account's system topic delivers BlobCreated events of the
 * container to the app's blobs extension webhook. Endpoint and key as in "Tutorial: Trigger Azure Functions on blob
 * containers using an event subscription" (https://learn.microsoft.com/azure/azure-functions/functions-event-grid-blob-trigger):
 * `https://<app host>/runtime/webhooks/blobs?functionName=Host.Functions.<name>&code=<blobs_extension system key>`.
 */
export interface AzureBlobTriggerSubscription {
  /** Event subscription name: 3 to 64 letters, digits and hyphens. */
  readonly name: string;
  /** The blob trigger function; the webhook names it `Host.Functions.<function>`. */
  readonly function: string;
  readonly container: string;
  /** The storage account (behind this connection setting) whose system topic sends the events. */
  readonly connection: string;
  readonly includedEventTypes: readonly ['Microsoft.Storage.BlobCreated'];
  readonly subjectBeginsWith: string;
  readonly maxDeliveryAttempts: number;
  readonly deadLetter: { readonly connection: string; readonly container: string };
}

/** The Flex Consumption app deploy.sh creates when missing, or checks (https://learn.microsoft.com/azure/azure-functions/flex-consumption-how-to). */
export interface AzureFunctionApp {
  readonly plan: 'FlexConsumption';
  /** `az functionapp create --runtime node --runtime-version <n>`. */
  readonly runtime: 'node';
  readonly runtimeVersion: string;
  /** `--instance-memory`, one size per app. */
  readonly instanceMemoryMb: number;
}

export interface AzureDeployManifest {
  readonly functionApp: AzureFunctionApp;
  /** App settings from the functions' `environment`: plain values, or Key Vault references to secrets in `$KEY_VAULT`. */
  readonly environment: readonly ({ readonly name: string; readonly value: string } | { readonly name: string; readonly secret: SecretRef })[];
  readonly storageQueues: readonly AzureStorageQueue[];
  readonly blobContainers: readonly AzureBlobContainer[];
  readonly serviceBusSubscriptions: readonly AzureServiceBusSubscription[];
  readonly eventGridTopics: readonly string[];
  readonly eventGridSubscriptions: readonly AzureEventGridSubscription[];
  /** Blob triggers (Event Grid source) and the subscriptions to the blobs webhook that feed them. */
  readonly blobTriggerSubscriptions: readonly AzureBlobTriggerSubscription[];
  /** App settings (other than AzureWebJobsStorage, which every function app has) the functions read. */
  readonly appSettings: readonly { readonly name: string; readonly kind: 'storage' | 'serviceBus' }[];
}

/** Event Grid subscription names: letters, digits and hyphens, 3 to 64 characters. */
const eventSubscriptionName = (name: string) => name.replace(/[^A-Za-z0-9-]+/g, '-').slice(0, 64).replace(/-+$/, '');

/** Event Grid custom topic names: letters, digits and hyphens, 3 to 50 characters. */
export function eventTopicName(appName: string): string {
  const base = appName.replace(/[^A-Za-z0-9-]+/g, '-').replace(/^-+/, '').slice(0, 43).replace(/-+$/, '');
  return `${base || 'faasport'}-events`;
}

function pushTo<T>(map: Map<string, T>, key: string, make: () => T): T {
  const known = map.get(key);
  if (known) return known;
  const made = make();
  map.set(key, made);
  return made;
}

export function azureDeployManifest(input: EmitInput): AzureDeployManifest {
  const queues = new Map<string, AzureStorageQueue & { functions: string[] }>();
  const containers = new Map<string, AzureBlobContainer & { functions: string[] }>();
  const serviceBusSubscriptions: AzureServiceBusSubscription[] = [];
  const eventGridSubscriptions: AzureEventGridSubscription[] = [];
  const blobTriggerSubscriptions: AzureBlobTriggerSubscription[] = [];
  const appSettings = new Map<string, 'storage' | 'serviceBus'>();
  const topic = eventTopicName(input.appName);
  const eventGridTopics = new Set<string>();
  const storageSetting = (connection: string) => {
    if (connection !== DEFAULT_STORAGE_CONNECTION) appSettings.set(connection, 'storage');
  };
  for (const fn of input.functions as readonly DiscoveredFunction[]) {
    switch (fn.kind) {
      case 'queue': {
        const connection = storageConnection(fn.options.connection);
        storageSetting(connection);
        const queue = pushTo(queues, `${connection}\n${fn.options.queue}`, () => ({
          name: fn.options.queue,
          connection,
          functions: [] as string[],
          poisonQueue: `${fn.options.queue}-poison`,
          maxDequeueCount: fn.options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
        }));
        queue.functions.push(fn.name);
        break;
      }
      case 'topic': {
        const connection = serviceBusConnection(fn.options.connection);
        appSettings.set(connection, 'serviceBus');
        serviceBusSubscriptions.push({
          topic: fn.options.topic,
          subscription: fn.options.subscription ?? fn.name,
          connection,
          function: fn.name,
          maxDeliveryCount: fn.options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
        });
        break;
      }
      case 'storage': {
        const connection = storageConnection(fn.options.connection);
        const events = fn.options.events ?? DEFAULT_STORAGE_EVENTS;
        if (events.includes('created')) {
          storageSetting(connection);
          blobTriggerSubscriptions.push({
            name: eventSubscriptionName(`${fn.name}-blobs`),
            function: fn.name,
            container: fn.options.bucket,
            connection,
            includedEventTypes: ['Microsoft.Storage.BlobCreated'],
            subjectBeginsWith: `/blobServices/default/containers/${fn.options.bucket}/`,
            // Event Grid's default; the blob trigger's own retries are the host's (queues.maxDequeueCount).
            maxDeliveryAttempts: EVENT_GRID_MAX_ATTEMPTS,
            deadLetter: { connection, container: EVENT_GRID_DEAD_LETTER_CONTAINER },
          });
        }
        pushTo(containers, `${connection}\n${fn.options.bucket}`, () => ({ name: fn.options.bucket, connection, functions: [] as string[] })).functions.push(fn.name);
        if (events.includes('deleted')) {
          eventGridSubscriptions.push({
            name: eventSubscriptionName(`${fn.name}${DELETED_SUFFIX}`),
            function: `${fn.name}${DELETED_SUFFIX}`,
            faasportFunction: fn.name,
            source: { kind: 'storageAccount', connection },
            includedEventTypes: ['Microsoft.Storage.BlobDeleted'],
            subjectBeginsWith: `/blobServices/default/containers/${fn.options.bucket}/`,
            advancedFilters: [],
            deliverySchema: 'eventgridschema',
            maxDeliveryAttempts: DEFAULT_MAX_ATTEMPTS,
            deadLetter: { connection, container: EVENT_GRID_DEAD_LETTER_CONTAINER },
          });
        }
        break;
      }
      case 'event': {
        eventGridTopics.add(topic);
        eventGridSubscriptions.push({
          name: eventSubscriptionName(`${fn.name}-events`),
          function: fn.name,
          faasportFunction: fn.name,
          source: { kind: 'customTopic', topic },
          includedEventTypes: typeof fn.options.type === 'string' ? [fn.options.type] : [...fn.options.type],
          advancedFilters: fn.options.source === undefined ? [] : [{ key: 'source', operator: 'StringIn', values: [fn.options.source] }],
          // The events are CloudEvents: a CloudEvents topic can only deliver CloudEvents.
          deliverySchema: 'cloudeventschemav1_0',
          maxDeliveryAttempts: Math.min(EVENT_GRID_MAX_ATTEMPTS, DEFAULT_MAX_ATTEMPTS),
          deadLetter: { connection: DEFAULT_STORAGE_CONNECTION, container: EVENT_GRID_DEAD_LETTER_CONTAINER },
        });
        break;
      }
      case 'http':
      case 'schedule':
        break;
    }
  }
  return {
    functionApp: { plan: 'FlexConsumption', runtime: 'node', runtimeVersion: platformRuntime('azure', input.runtime).id, instanceMemoryMb: appInstanceMemory(input).mb },
    environment: Object.entries(appEnvironment(input)).map(([name, value]) => (typeof value === 'string' ? { name, value } : { name, secret: value })),
    storageQueues: [...queues.values()],
    blobContainers: [...containers.values()],
    serviceBusSubscriptions,
    eventGridTopics: [...eventGridTopics],
    eventGridSubscriptions,
    blobTriggerSubscriptions,
    appSettings: [...appSettings].map(([name, kind]) => ({ name, kind })),
  };
}

export function azureFiles(input: EmitInput): OutputFile[] {
  const deploy = azureDeployManifest(input);
  return [
    { path: 'host.json', contents: json(hostJson(input)) },
    { path: 'package.json', contents: json(azurePackageJson(input)) },
    { path: 'local.settings.json', contents: json(localSettings(input)) },
    { path: 'deploy.json', contents: json(deploy) },
    { path: 'deploy.sh', contents: azureDeployScript(deploy) },
    manifestFile('azure', input.functions, input.runtime, azureSettingsOf(input)),
  ];
}
