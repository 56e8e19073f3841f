import { utf8Encode } from './body.js';
import { createContext, releaseContext, type ContextInit } from './context.js';
import { dispatchHttp } from './http.js';
import { createMessage } from './message.js';
import type {
  CloudEvent,
  FaasFunction,
  FunctionKind,
  HttpFunction,
  Message,
  ScheduleEvent,
  StorageEvent,
} from './types.js';

/** Neutral input for `invoke`, per kind. HTTP accepts a Request or a URL path. */
export interface InvokeInput {
  http: Request | string;
  queue: MessageInput;
  topic: MessageInput;
  storage: Partial<StorageEvent> & Pick<StorageEvent, 'key'>;
  schedule: Partial<ScheduleEvent>;
  event: Partial<CloudEvent> & Pick<CloudEvent, 'type'>;
}

export interface MessageInput {
  body: string | Uint8Array | object;
  id?: string;
  attributes?: Record<string, string>;
  deliveryCount?: number;
}

export interface InvokeOptions {
  functionName?: string;
  timeoutMs?: number;
}

let counter = 0;

/** Strings are UTF-8, objects are JSON, bytes stay as they are. */
function bytesFrom(body: string | Uint8Array | object): Uint8Array {
  if (body instanceof Uint8Array) return body;
  if (typeof body === 'string') return utf8Encode(body);
  return utf8Encode(JSON.stringify(body));
}

/**
 * Runs a faasport function in-process with neutral input, as a unit test would.
 * HTTP goes through the same routing and error handling as every adapter (404, 405, 500).
 */
export async function invoke<K extends FunctionKind>(
  fn: FaasFunction<K>,
  input: InvokeInput[K],
  options: InvokeOptions = {},
): Promise<K extends 'http' ? Response : void> {
  const context: ContextInit<undefined> = {
    provider: 'local',
    functionName: options.functionName ?? fn.kind,
    invocationId: `local-${++counter}`,
    deadline: options.timeoutMs === undefined ? undefined : Date.now() + options.timeoutMs,
    native: undefined,
  };
  if (fn.kind === 'http') {
    const request = typeof input === 'string' ? new Request(new URL(input, 'http://localhost')) : (input as Request);
    const url = new URL(request.url);
    const response = await dispatchHttp(fn as unknown as HttpFunction, {
      method: request.method,
      path: url.pathname,
      request: () => request,
      context,
    });
    return response as K extends 'http' ? Response : void;
  }
  const ctx = createContext(context);
  const handler = fn.handler as (input: unknown, ctx: unknown) => Promise<void> | void;
  try {
    await handler(neutralInput(fn as unknown as FaasFunction, input), ctx);
  } finally {
    releaseContext(ctx);
  }
  return undefined as K extends 'http' ? Response : void;
}

function neutralInput(fn: FaasFunction, input: unknown): Message | StorageEvent | ScheduleEvent | CloudEvent {
  switch (fn.kind) {
    case 'queue':
    case 'topic': {
      const m = input as MessageInput;
      const source = fn.kind === 'queue' ? (fn as FaasFunction<'queue'>).options.queue : (fn as FaasFunction<'topic'>).options.topic;
      return createMessage({
        id: m.id ?? `local-message-${++counter}`,
        body: bytesFrom(m.body),
        attributes: m.attributes ?? {},
        deliveryCount: m.deliveryCount ?? 1,
        publishedAt: new Date(),
        source,
      });
    }
    case 'storage': {
      const s = input as InvokeInput['storage'];
      return { type: 'created', bucket: (fn as FaasFunction<'storage'>).options.bucket, time: new Date(), ...s };
    }
    case 'schedule':
      return { scheduledTime: new Date(), ...(input as Partial<ScheduleEvent>) };
    case 'event': {
      const e = input as InvokeInput['event'];
      return { id: `local-event-${++counter}`, source: 'faasport://local', specversion: '1.0', ...e } as CloudEvent;
    }
    default:
      throw new TypeError(`faasport: invoke() does not know the kind "${fn.kind}"`);
  }
}
