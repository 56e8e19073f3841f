import { isFaasFunction } from '../../core/define.js';
import type {
  AnyFunction,
  EventFunction,
  HttpFunction,
  QueueFunction,
  ScheduleFunction,
  StorageFunction,
  TopicFunction,
} from '../../core/types.js';
import { adaptEvent } from './event.js';
import { adaptHttp, checkTimeoutMs } from './http.js';
import { adaptQueue } from './queue.js';
import { adaptSchedule } from './schedule.js';
import { adaptStorage } from './storage.js';
import { adaptTopic } from './topic.js';
import type { AdaptOptions, GcpCloudEventHandler, GcpHttpHandler } from './types.js';

/**
 * Turns a faasport function into the native functions-framework handler: `(req, res)` for HTTP and
 * queue (a Pub/Sub push subscription posts to an HTTP function), a CloudEvent function for topic,
 * storage, schedule and event (Eventarc triggers).
 */
export function adapt(fn: HttpFunction | QueueFunction, options?: AdaptOptions): GcpHttpHandler;
export function adapt(fn: TopicFunction | StorageFunction | ScheduleFunction | EventFunction, options?: AdaptOptions): GcpCloudEventHandler;
export function adapt(fn: AnyFunction, options?: AdaptOptions): GcpHttpHandler | GcpCloudEventHandler;
export function adapt(fn: AnyFunction, options: AdaptOptions = {}): GcpHttpHandler | GcpCloudEventHandler {
  if (!isFaasFunction(fn)) {
    throw new TypeError('faasport/gcp: adapt() needs a function defined with http(), queue(), topic(), storage(), schedule() or event()');
  }
  checkTimeoutMs(options.timeoutMs);
  switch (fn.kind) {
    case 'http':
      return adaptHttp(fn, options);
    case 'queue':
      return adaptQueue(fn, options);
    case 'topic':
      return adaptTopic(fn, options);
    case 'storage':
      return adaptStorage(fn, options);
    case 'schedule':
      return adaptSchedule(fn, options);
    case 'event':
      return adaptEvent(fn, options);
    default:
      throw new TypeError(
        `faasport/gcp: unknown function kind "${String((fn as { kind: unknown }).kind)}"` +
          `${options.name ? ` (function "${options.name}")` : ''}`,
      );
  }
}
