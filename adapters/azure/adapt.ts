import type { InvocationContext } from '@azure/functions';
import { isFaasFunction } from '../../core/define.js';
import type { AnyFunction, EventFunction, HttpFunction, QueueFunction, ScheduleFunction, StorageFunction, TopicFunction } from '../../core/types.js';
import { withDeadline } from './context.js';
import { blobCreatedHandler } from './events/blob.js';
import { eventGridHandler } from './events/event-grid.js';
import { storageQueueHandler } from './events/queue.js';
import { serviceBusTopicHandler } from './events/service-bus.js';
import { timerHandler } from './events/timer.js';
import { httpHandler } from './http/handler.js';
import type { AdaptOptions, AzureEventHandler, AzureHttpHandler } from './types.js';

/**
 * Turns a faasport function into a native Azure Functions v4 handler `(trigger, context)`.
 * One branch per kind; each kind's handler lives in its own module. A storage function adapts to its blob
 * trigger ('created'); its Event Grid delete handler is `blobDeletedHandler` (register wires both).
 */
export function adapt(fn: HttpFunction, options?: AdaptOptions): AzureHttpHandler;
export function adapt(fn: QueueFunction | TopicFunction | StorageFunction | ScheduleFunction | EventFunction, options?: AdaptOptions): AzureEventHandler<never>;
export function adapt(fn: AnyFunction, options?: AdaptOptions): (trigger: never, context: InvocationContext) => Promise<unknown>;
export function adapt(fn: AnyFunction, options: AdaptOptions = {}): (trigger: never, context: InvocationContext) => Promise<unknown> {
  return withDeadline(adaptKind(fn, options), options.timeoutMs);
}

function adaptKind(fn: AnyFunction, options: AdaptOptions): (trigger: never, context: InvocationContext) => Promise<unknown> {
  if (!isFaasFunction(fn)) {
    throw new TypeError(
      `faasport/azure: adapt() needs a function made by http(), queue(), topic(), storage(), schedule() or event(); got ${fn === null ? 'null' : typeof fn}`,
    );
  }
  switch (fn.kind) {
    case 'http':
      return httpHandler(fn, options);
    case 'queue':
      return storageQueueHandler(fn, options);
    case 'topic':
      return serviceBusTopicHandler(fn, options);
    case 'storage':
      return blobCreatedHandler(fn, options);
    case 'schedule':
      return timerHandler(fn, options);
    case 'event':
      return eventGridHandler(fn, options);
    default:
      throw new TypeError(`faasport/azure: adapt() got a function of unknown kind "${String((fn as { kind: unknown }).kind)}"`);
  }
}
