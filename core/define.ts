import { compileRoute } from './route.js';
import {
  HTTP_METHODS,
  type EventOptions,
  type FaasFunction,
  type FaasportConfig,
  type FunctionKind,
  type Handler,
  type HttpOptions,
  type KindMap,
  type QueueOptions,
  type ScheduleOptions,
  type StorageOptions,
  type TopicOptions,
} from './types.js';

function define<K extends FunctionKind>(kind: K, options: KindMap[K]['options'], handler: Handler<K>): FaasFunction<K> {
  if (typeof handler !== 'function') {
    throw new TypeError(`faasport: ${kind}() needs a handler function as its second argument, got ${typeof handler}`);
  }
  const frozen = Object.freeze({ ...(options as object) }) as KindMap[K]['options'];
  return Object.freeze({ kind, options: frozen, handler });
}

export function http(options: HttpOptions, handler: Handler<'http'>): FaasFunction<'http'> {
  compileRoute(options.route); // fail at definition time on a bad route
  for (const method of options.methods ?? []) {
    if (!(HTTP_METHODS as readonly string[]).includes(method)) {
      throw new TypeError(`faasport: http() method "${method}" is not one of ${HTTP_METHODS.join(', ')}`);
    }
  }
  return define('http', options, handler);
}

export const queue = (options: QueueOptions, handler: Handler<'queue'>) => define('queue', options, handler);
export const topic = (options: TopicOptions, handler: Handler<'topic'>) => define('topic', options, handler);
export const storage = (options: StorageOptions, handler: Handler<'storage'>) => define('storage', options, handler);
export const schedule = (options: ScheduleOptions, handler: Handler<'schedule'>) => define('schedule', options, handler);
export const event = (options: EventOptions, handler: Handler<'event'>) => define('event', options, handler);

export function isFaasFunction(value: unknown): value is FaasFunction {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as FaasFunction).kind === 'string' &&
    typeof (value as FaasFunction).handler === 'function' &&
    typeof (value as FaasFunction).options === 'object'
  );
}

/** Types a `faasport.config.ts` (`export default defineConfig({ ... })`); returns it unchanged. */
export const defineConfig = (config: FaasportConfig): FaasportConfig => config;
