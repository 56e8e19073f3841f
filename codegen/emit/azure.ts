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
import { manifestFile, type DeployedSettings } from './manifest.js';
import type { EmitInput, OutputFile } from './types.js';
import { DEFAULT_MAX_ATTEMPTS, DEFAULT_STORAGE_EVENTS, json, shellComment, shellQuote } from './types.js';

export const AZURE_EXTENSION_BUNDLE = { id: 'Microsoft.Azure.Functions.ExtensionBundle', version: '[4.*, 5.0.0)' } as const;

/** Connection settings `register()` falls back to (adapters/azure/registration.ts). */
export const DEFAULT_STORAGE_CONNECTION = 'AzureWebJobsStorage';
export const DEFAULT_SERVICE_BUS_CONNECTION = 'ServiceBusConnection';
/** Suffix of the Event Grid function that carries a storage function's deletes (adapters/azure/registration.ts). */
export const DELETED_SUFFIX = '-deleted';
/** Azure Storage emulator (Azurite) connection, for local runs. */
export const LOCAL_STORAGE_CONNECTION = 'UseDevelopmentStorage=true';
/** The Service Bus emulator's documented connection string: a placeholder until a real namespace is set. */
export const LOCAL_SERVICE_BUS_CONNECTION =
  'Endpoint=sb://localhost;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=SAS_KEY_VALUE;UseDevelopmentEmulator=true;';
/** Event Grid retries a delivery at most 30 times. */
const EVENT_GRID_MAX_ATTEMPTS = 30;
/** Blob container that receives Event Grid events that could not be delivered. */
export const EVENT_GRID_DEAD_LETTER_CONTAINER = 'faasport-dead-letters';

const storageConnection = (connection: string | undefined) => connection ?? DEFAULT_STORAGE_CONNECTION;
const serviceBusConnection = (connection: string | undefined) => connection ?? DEFAULT_SERVICE_BUS_CONNECTION;

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

/**
 * A secret app setting is a Key Vault reference, which the platform resolves with the app's managed identity
 * (https://learn.microsoft.com/azure/app-service/app-service-key-vault-references).
 */
export const keyVaultReference = (ref: SecretRef, vault: string): string =>
  `@Microsoft.KeyVault(VaultName=${vault};SecretName=${ref.secret}${ref.version === undefined ? '' : `;SecretVersion=${ref.version}`})`;

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

/** The shell variable naming the storage account / Service Bus namespace behind a connection setting. */
export function accountVariable(kind: 'storage' | 'serviceBus', connection: string): string {
  const [base, fallback] = kind === 'storage' ? ['STORAGE_ACCOUNT', DEFAULT_STORAGE_CONNECTION] : ['SERVICEBUS_NAMESPACE', DEFAULT_SERVICE_BUS_CONNECTION];
  return connection === fallback ? base : `${base}_${connection.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}`;
}

const RG = '--resource-group "$RESOURCE_GROUP"';
/** Text safe inside a double-quoted shell word. */
const dq = (text: string) => text.replace(/[\\"$`]/g, (c) => `\\${c}`);

export function azureDeployScript(manifest: AzureDeployManifest): string {
  const lines = [
    '#!/usr/bin/env bash',
    '# Generated by faasport build: creates what the functions in this folder trigger on, sets the connection',
    '# settings, publishes the app (Azure Functions Core Tools) and subscribes its Event Grid functions.',
    `# Needs RESOURCE_GROUP, FUNCTION_APP (a Flex Consumption app on Node ${manifest.functionApp.runtimeVersion}: created in LOCATION, default the`,
    '# resource group\'s, with STORAGE_ACCOUNT when it does not exist) and the accounts named below.',
    'set -euo pipefail',
    'cd "$(dirname "$0")"',
    ': "${RESOURCE_GROUP:?set RESOURCE_GROUP to the resource group of the function app}"',
    ': "${FUNCTION_APP:?set FUNCTION_APP to the function app name}"',
  ];
  // Which account variables the script needs, with the connection each stands for.
  const needed = new Map<string, string>();
  const storageVar = (connection: string) => {
    const v = accountVariable('storage', connection);
    needed.set(v, `the storage account of the ${dq(connection).replace(/[{}]/g, '')} connection`);
    return v;
  };
  const busVar = (connection: string) => {
    const v = accountVariable('serviceBus', connection);
    needed.set(v, `the Service Bus namespace of the ${dq(connection).replace(/[{}]/g, '')} connection`);
    return v;
  };
  const body: string[] = [];
  const app = manifest.functionApp;
  const location = `"\${LOCATION:-$(az group show --name "$RESOURCE_GROUP" --query location --output tsv)}"`;
  const appStorage = storageVar(DEFAULT_STORAGE_CONNECTION);
  body.push(
    '# The app\'s storage account (AzureWebJobsStorage; it also holds the host\'s queues and the blob trigger poison queue), created when missing:',
    '# az storage account create, https://learn.microsoft.com/cli/azure/storage/account#az-storage-account-create',
    `if ! az storage account show --name "$${appStorage}" ${RG} --output none 2>/dev/null; then`,
    `  az storage account create --name "$${appStorage}" ${RG} --location ${location} --sku Standard_LRS --kind StorageV2 --allow-blob-public-access false --output none`,
    'fi',
  );
  // az functionapp create (Flex): https://learn.microsoft.com/cli/azure/functionapp#az-functionapp-create
  body.push(
    `if ! az functionapp show --name "$FUNCTION_APP" ${RG} --output none 2>/dev/null; then`,
    `  az functionapp create --name "$FUNCTION_APP" ${RG} --storage-account "$${storageVar(DEFAULT_STORAGE_CONNECTION)}" --flexconsumption-location ${location} ` +
      `--runtime ${app.runtime} --runtime-version ${app.runtimeVersion} --instance-memory ${app.instanceMemoryMb} --output none`,
    'fi',
    '# Flex Consumption apps declare their runtime in properties.functionAppConfig (ARM); other plans have none there.',
    `RUNTIME="$(az resource show --ids "$(az functionapp show --name "$FUNCTION_APP" ${RG} --query id --output tsv)" --query "join(' ', [properties.functionAppConfig.runtime.name, properties.functionAppConfig.runtime.version])" --output tsv 2>/dev/null || true)"`,
    `if [ "$RUNTIME" != "${app.runtime} ${app.runtimeVersion}" ]; then echo "deploy.sh: $FUNCTION_APP runs '\${RUNTIME:-not a Flex Consumption app}', this build targets a Flex Consumption app on ${app.runtime} ${app.runtimeVersion}: use another FUNCTION_APP, or rebuild with --runtime" >&2; exit 1; fi`,
  );
  for (const queue of manifest.storageQueues) {
    body.push(
      `# ${shellComment(`${queue.functions.join(', ')}: poisoned after ${queue.maxDequeueCount} deliveries into ${queue.poisonQueue} (created by the host).`)}`,
      `az storage queue create --name ${shellQuote(queue.name)} --account-name "$${storageVar(queue.connection)}" --auth-mode key --output none`,
    );
  }
  for (const container of manifest.blobContainers) {
    body.push(`az storage container create --name ${shellQuote(container.name)} --account-name "$${storageVar(container.connection)}" --auth-mode key --output none`);
  }
  for (const sub of manifest.serviceBusSubscriptions) {
    const ns = `--namespace-name "$${busVar(sub.connection)}"`;
    const topic = shellQuote(sub.topic);
    const name = shellQuote(sub.subscription);
    body.push(
      `az servicebus topic show ${RG} ${ns} --name ${topic} --output none 2>/dev/null || az servicebus topic create ${RG} ${ns} --name ${topic} --output none`,
      `# ${shellComment(`${sub.function}: Service Bus dead-letters a message after ${sub.maxDeliveryCount} deliveries.`)}`,
      `if az servicebus topic subscription show ${RG} ${ns} --topic-name ${topic} --name ${name} --output none 2>/dev/null; then ` +
        `az servicebus topic subscription update ${RG} ${ns} --topic-name ${topic} --name ${name} --max-delivery-count ${sub.maxDeliveryCount} --output none; ` +
        `else az servicebus topic subscription create ${RG} ${ns} --topic-name ${topic} --name ${name} --max-delivery-count ${sub.maxDeliveryCount} --output none; fi`,
    );
  }
  for (const setting of manifest.appSettings) {
    const value =
      setting.kind === 'storage'
        ? `$(az storage account show-connection-string --name "$${storageVar(setting.name)}" ${RG} --query connectionString --output tsv)`
        : `$(az servicebus namespace authorization-rule keys list ${RG} --namespace-name "$${busVar(setting.name)}" --name RootManageSharedAccessKey --query primaryConnectionString --output tsv)`;
    body.push(`az functionapp config appsettings set --name "$FUNCTION_APP" ${RG} --settings "${dq(setting.name)}=${value}" --output none`);
  }
  if (manifest.environment.length > 0) {
    const secretRef = (ref: SecretRef) => keyVaultReference({ secret: dq(ref.secret), ...(ref.version === undefined ? {} : { version: dq(ref.version) }) }, '$KEY_VAULT');
    const settings = manifest.environment.map((e) => `"${dq(e.name)}=${'value' in e ? dq(e.value) : secretRef(e.secret)}"`);
    if (manifest.environment.some((e) => 'secret' in e)) {
      // No apostrophe: the text goes inside "${KEY_VAULT:?...}", where bash would take it for a quote.
      needed.set('KEY_VAULT', 'the Key Vault holding the secrets (deploy.sh lets the managed identity of the app read them)');
      // Key Vault references resolve with the app's managed identity, which needs read access to the secrets
      // (https://learn.microsoft.com/azure/app-service/app-service-key-vault-references#grant-your-app-access-to-a-key-vault):
      // the "Key Vault Secrets User" role on an RBAC vault, a `get` secret access policy on an access-policy vault.
      body.push(
        '# az functionapp identity assign: https://learn.microsoft.com/cli/azure/functionapp/identity#az-functionapp-identity-assign',
        `PRINCIPAL_ID="$(az functionapp identity assign --name "$FUNCTION_APP" ${RG} --query principalId --output tsv)"`,
        'if [ "$(az keyvault show --name "$KEY_VAULT" --query properties.enableRbacAuthorization --output tsv)" = "true" ]; then',
        '  # az role assignment create: https://learn.microsoft.com/cli/azure/role/assignment#az-role-assignment-create',
        '  az role assignment create --assignee-object-id "$PRINCIPAL_ID" --assignee-principal-type ServicePrincipal --role "Key Vault Secrets User" ' +
          '--scope "$(az keyvault show --name "$KEY_VAULT" --query id --output tsv)" --output none',
        'else',
        '  # az keyvault set-policy: https://learn.microsoft.com/cli/azure/keyvault#az-keyvault-set-policy',
        '  az keyvault set-policy --name "$KEY_VAULT" --object-id "$PRINCIPAL_ID" --secret-permissions get --output none',
        'fi',
      );
    }
    body.push(`az functionapp config appsettings set --name "$FUNCTION_APP" ${RG} --settings ${settings.join(' ')} --output none`);
  }
  // Core Tools publishes to Flex Consumption with One Deploy (https://learn.microsoft.com/azure/azure-functions/functions-run-local#publish).
  body.push('func azure functionapp publish "$FUNCTION_APP"');
  /** Storage account variables whose dead-letter container this script already creates. */
  const deadLetterContainers = new Set<string>();
  if (manifest.blobTriggerSubscriptions.length > 0) {
    // The blobs_extension system key exists once the app with a blob trigger runs, so this comes after publishing
    // (https://learn.microsoft.com/azure/azure-functions/functions-event-grid-blob-trigger, "Build the endpoint URL").
    body.push(
      '# az functionapp keys list: https://learn.microsoft.com/cli/azure/functionapp/keys#az-functionapp-keys-list',
      `BLOBS_EXTENSION_KEY="$(az functionapp keys list --name "$FUNCTION_APP" ${RG} --query systemKeys.blobs_extension --output tsv)"`,
      `if [ -z "$BLOBS_EXTENSION_KEY" ]; then echo "deploy.sh: $FUNCTION_APP has no blobs_extension system key yet (the host creates it when the blob trigger starts): run deploy.sh again in a minute" >&2; exit 1; fi`,
      // Flex Consumption apps may have a unique default host name, not always <app>.azurewebsites.net.
      `APP_HOST="$(az functionapp show --name "$FUNCTION_APP" ${RG} --query defaultHostName --output tsv)"`,
    );
    const topics = new Set<string>();
    for (const sub of manifest.blobTriggerSubscriptions) {
      const account = storageVar(sub.connection);
      const topicVar = `SYSTEM_TOPIC_${account}`;
      if (!topics.has(account)) {
        topics.add(account);
        // A storage account has at most one system topic: reuse it when there is one.
        body.push(
          `SOURCE_ID="$(az storage account show --name "$${account}" ${RG} --query id --output tsv)"`,
          '# az eventgrid system-topic list/create: https://learn.microsoft.com/cli/azure/eventgrid/system-topic',
          `${topicVar}="$(az eventgrid system-topic list ${RG} --query "[?source=='$SOURCE_ID'].name | [0]" --output tsv)"`,
          `if [ -z "$${topicVar}" ]; then`,
          `  ${topicVar}="$${account}-events"`,
          `  az eventgrid system-topic create --name "$${topicVar}" ${RG} --location "$(az storage account show --name "$${account}" ${RG} --query location --output tsv)" ` +
            `--topic-type Microsoft.Storage.StorageAccounts --source "$SOURCE_ID" --output none`,
          'fi',
        );
      }
      const deadAccount = storageVar(sub.deadLetter.connection);
      if (!deadLetterContainers.has(deadAccount)) {
        deadLetterContainers.add(deadAccount);
        body.push(`az storage container create --name ${shellQuote(sub.deadLetter.container)} --account-name "$${deadAccount}" --auth-mode key --output none`);
      }
      const endpoint = `"https://$APP_HOST/runtime/webhooks/blobs?functionName=Host.Functions.${dq(sub.function)}&code=$BLOBS_EXTENSION_KEY"`;
      const args = [
        `--name ${shellQuote(sub.name)}`,
        RG,
        `--system-topic-name "$${topicVar}"`,
        `--endpoint ${endpoint}`,
        '--endpoint-type webhook',
        '--event-delivery-schema eventgridschema',
        `--included-event-types ${sub.includedEventTypes.join(' ')}`,
        `--subject-begins-with ${shellQuote(sub.subjectBeginsWith)}`,
        `--max-delivery-attempts ${sub.maxDeliveryAttempts}`,
        `--deadletter-endpoint "$(az storage account show --name "$${deadAccount}" ${RG} --query id --output tsv)/blobServices/default/containers/${sub.deadLetter.container}"`,
        '--output none',
      ];
      body.push(
        `# ${shellComment(`${sub.function}: blob trigger (Event Grid source) fed by BlobCreated events of ${sub.container}; its retries are the host's (host.json queues.maxDequeueCount), then webjobs-blobtrigger-poison.`)}`,
        '# az eventgrid system-topic event-subscription create: https://learn.microsoft.com/cli/azure/eventgrid/system-topic/event-subscription#az-eventgrid-system-topic-event-subscription-create',
        `az eventgrid system-topic event-subscription create ${args.join(' ')}`,
      );
    }
  }
  if (manifest.eventGridSubscriptions.length > 0) {
    body.push(`APP_ID="$(az functionapp show --name "$FUNCTION_APP" ${RG} --query id --output tsv)"`);
    for (const topic of manifest.eventGridTopics) {
      const t = shellQuote(topic);
      body.push(
        `# Publish the events of event() functions to this topic as CloudEvents.`,
        `az eventgrid topic show --name ${t} ${RG} --output none 2>/dev/null || az eventgrid topic create --name ${t} ${RG} ` +
          `--location "\${LOCATION:-$(az group show --name "$RESOURCE_GROUP" --query location --output tsv)}" --input-schema cloudeventschemav1_0 --output none`,
      );
    }
    for (const sub of manifest.eventGridSubscriptions) {
      const account = storageVar(sub.deadLetter.connection);
      if (!deadLetterContainers.has(account)) {
        deadLetterContainers.add(account);
        body.push(`az storage container create --name ${shellQuote(sub.deadLetter.container)} --account-name "$${account}" --auth-mode key --output none`);
      }
      const accountId = `$(az storage account show --name "$${account}" ${RG} --query id --output tsv)`;
      const source =
        sub.source.kind === 'storageAccount'
          ? `"$(az storage account show --name "$${storageVar(sub.source.connection)}" ${RG} --query id --output tsv)"`
          : `"$(az eventgrid topic show --name ${shellQuote(sub.source.topic)} ${RG} --query id --output tsv)"`;
      const args = [
        `--name ${shellQuote(sub.name)}`,
        `--source-resource-id ${source}`,
        `--endpoint "$APP_ID/functions/${dq(sub.function)}"`,
        '--endpoint-type azurefunction',
        `--event-delivery-schema ${sub.deliverySchema}`,
        `--included-event-types ${sub.includedEventTypes.map(shellQuote).join(' ')}`,
        ...(sub.subjectBeginsWith === undefined ? [] : [`--subject-begins-with ${shellQuote(sub.subjectBeginsWith)}`]),
        ...sub.advancedFilters.map((f) => `--advanced-filter ${shellQuote(f.key)} ${f.operator} ${f.values.map(shellQuote).join(' ')}`),
        `--max-delivery-attempts ${sub.maxDeliveryAttempts}`,
        `--deadletter-endpoint "${accountId}/blobServices/default/containers/${sub.deadLetter.container}"`,
        '--output none',
      ];
      body.push(`# ${shellComment(`${sub.function}: retried ${sub.maxDeliveryAttempts} times, then kept in ${sub.deadLetter.container}.`)}`, `az eventgrid event-subscription create ${args.join(' ')}`);
    }
  }
  for (const [variable, what] of needed) lines.push(`: "\${${variable}:?set ${variable} to ${what}}"`);
  return `${[...lines, ...body].join('\n')}\n`;
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
