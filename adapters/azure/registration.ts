/**
 * What `register` hands to `app.*` for each faasport function (pure, so codegen and tests can look at it).
 * One faasport function may become more than one Azure function: a storage function that listens to deletes
 * gets an Event Grid function named `<name>-deleted` next to its blob trigger `<name>` (a "-" never occurs in
 * a JavaScript export name, so it cannot collide with another faasport function).
 */
import type {
  EventGridFunctionOptions,
  HttpFunctionOptions,
  HttpMethod as AzureHttpMethod,
  ServiceBusTopicFunctionOptions,
  StorageBlobFunctionOptions,
  StorageQueueFunctionOptions,
  TimerFunctionOptions,
} from '@azure/functions';
import { toAzureNcrontab } from '../../codegen/cron/translate.js';
import { HTTP_METHODS, type AnyFunction, type HttpFunction, type StorageFunction } from '../../core/types.js';
import { blobDeletedHandler } from './events/blob-deleted.js';
import { blobCreatedHandler } from './events/blob.js';
import { eventGridHandler } from './events/event-grid.js';
import { storageQueueHandler } from './events/queue.js';
import { serviceBusTopicHandler } from './events/service-bus.js';
import { timerHandler } from './events/timer.js';
import { httpHandler } from './http/handler.js';
import { toAzureRoute } from './route.js';
import type { RegisterOptions } from './types.js';

export const DEFAULT_STORAGE_CONNECTION = 'AzureWebJobsStorage';
export const DEFAULT_SERVICE_BUS_CONNECTION = 'ServiceBusConnection';
/** Suffix of the Event Grid function that carries a storage function's deletes. */
export const DELETED_SUFFIX = '-deleted';
/** What a storage function listens to when it does not say (as on the other providers). */
export const DEFAULT_STORAGE_EVENTS = ['created'] as const;
/**
 * How a blob trigger learns about new blobs when `register` is not told: the Event Grid source. The Flex
 * Consumption plan, faasport's Azure target, supports only this event-based blob trigger
 * (https://learn.microsoft.com/azure/azure-functions/functions-bindings-storage-blob-trigger, first tip; and the plan's
 * considerations, https://learn.microsoft.com/azure/azure-functions/flex-consumption-plan#considerations).
 * It needs an Event Grid subscription to the app's `blobs` extension webhook, which the generated deploy.sh creates.
 */
export const DEFAULT_BLOB_SOURCE = 'EventGrid' as const;

/**
 * Bytes, not text: with `dataType: 'binary'` the host binds queue, Service Bus and blob payloads to a byte array,
 * so `@azure/functions` hands a Buffer instead of JSON-parsing text that looks like JSON.
 */
const BINARY = { dataType: 'binary' } as const;

export type AzureRegistration =
  | { readonly trigger: 'http'; readonly name: string; readonly options: HttpFunctionOptions }
  | { readonly trigger: 'storageQueue'; readonly name: string; readonly options: StorageQueueFunctionOptions }
  | { readonly trigger: 'serviceBusTopic'; readonly name: string; readonly options: ServiceBusTopicFunctionOptions }
  | { readonly trigger: 'storageBlob'; readonly name: string; readonly options: StorageBlobFunctionOptions }
  | { readonly trigger: 'timer'; readonly name: string; readonly options: TimerFunctionOptions }
  | { readonly trigger: 'eventGrid'; readonly name: string; readonly options: EventGridFunctionOptions };

/** The methods the host routes to the function; HEAD comes with GET, as faasport's dispatch allows it. */
// Stryker disable next-line StringLiteral: an empty default is no method listed, which lets every method through as 'any' does
export function azureMethods(methods: RegisterOptions['methods'] = 'any'): AzureHttpMethod[] {
  if (methods === 'any' || methods.length === 0) return [...HTTP_METHODS];
  const list: AzureHttpMethod[] = [...methods];
  if (list.includes('GET') && !list.includes('HEAD')) list.push('HEAD');
  return list;
}

export function httpFunctionOptions(name: string, fn: HttpFunction, options: RegisterOptions = {}): HttpFunctionOptions {
  return httpOptionsWith(httpHandler, name, fn, options);
}

/** httpFunctionOptions with the handler made by `handlerOf` (bufferedHttpHandler links no stream-mode code). */
export function httpOptionsWith(handlerOf: typeof httpHandler, name: string, fn: HttpFunction, options: RegisterOptions): HttpFunctionOptions {
  return {
    route: toAzureRoute(fn.options.route),
    methods: azureMethods(options.methods),
    authLevel: fn.options.authLevel ?? 'anonymous',
    handler: handlerOf(fn, { name }),
  };
}

function storageRegistrations(name: string, fn: StorageFunction, options: RegisterOptions): AzureRegistration[] {
  const events = fn.options.events ?? DEFAULT_STORAGE_EVENTS;
  const out: AzureRegistration[] = [];
  if (events.includes('created')) {
    const blob: StorageBlobFunctionOptions & typeof BINARY = {
      path: `${fn.options.bucket}/{name}`,
      connection: options.connection ?? fn.options.connection ?? DEFAULT_STORAGE_CONNECTION,
      source: options.blobSource ?? DEFAULT_BLOB_SOURCE,
      ...BINARY,
      handler: blobCreatedHandler(fn, { name }),
    };
    out.push({ trigger: 'storageBlob', name, options: blob });
  }
  if (events.includes('deleted')) {
    out.push({ trigger: 'eventGrid', name: `${name}${DELETED_SUFFIX}`, options: { handler: blobDeletedHandler(fn, { name }) } });
  }
  return out;
}

/** Every Azure function one faasport function becomes, with the options for its `app.*` call. */
export function azureRegistrations(name: string, fn: AnyFunction, options: RegisterOptions = {}): AzureRegistration[] {
  switch (fn.kind) {
    case 'http':
      return [{ trigger: 'http', name, options: httpFunctionOptions(name, fn, options) }];
    case 'queue': {
      const queue: StorageQueueFunctionOptions & typeof BINARY = {
        queueName: fn.options.queue,
        connection: options.connection ?? fn.options.connection ?? DEFAULT_STORAGE_CONNECTION,
        ...BINARY,
        handler: storageQueueHandler(fn, { name }),
      };
      return [{ trigger: 'storageQueue', name, options: queue }];
    }
    case 'topic': {
      const topic: ServiceBusTopicFunctionOptions & typeof BINARY = {
        topicName: fn.options.topic,
        // Service Bus needs a subscription; without one named, the function's name is the subscription.
        subscriptionName: fn.options.subscription ?? name,
        connection: options.connection ?? fn.options.connection ?? DEFAULT_SERVICE_BUS_CONNECTION,
        ...BINARY,
        handler: serviceBusTopicHandler(fn, { name }),
      };
      return [{ trigger: 'serviceBusTopic', name, options: topic }];
    }
    case 'storage':
      return storageRegistrations(name, fn, options);
    case 'schedule':
      return [{ trigger: 'timer', name, options: { schedule: toAzureNcrontab(fn.options.cron), handler: timerHandler(fn, { name }) } }];
    case 'event':
      return [{ trigger: 'eventGrid', name, options: { handler: eventGridHandler(fn, { name }) } }];
    default:
      throw new TypeError(`faasport/azure: register() got a function of unknown kind "${String((fn as { kind: unknown }).kind)}"`);
  }
}
