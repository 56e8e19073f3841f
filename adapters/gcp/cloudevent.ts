/**
 * The functions-framework CloudEvent function shared by topic, storage, schedule and event kinds.
 *
 * The framework (5.0.5, build/src/function_wrappers.js) builds the event from the `ce-*` headers
 * (binary mode; the values are not percent-decoded, and `datacontenttype` comes only from a
 * `ce-datacontenttype` header) or takes the JSON body as is (structured mode), adds a `traceparent`
 * extension when that header is present, and converts legacy background events (Pub/Sub, Storage)
 * and raw Pub/Sub push envelopes to CloudEvents before we see them. When our handler resolves it
 * answers 204; when it rejects, 500 with `X-Google-Status: error` (body "Internal Server Error" under
 * NODE_ENV=production, else the error's message) and it prints the error's stack to stderr.
 * Eventarc delivers through a Pub/Sub push subscription, so any answer but 102/200/201/202/204 is a
 * nack: the event is redelivered with backoff (10 s to 600 s by default), up to the subscription's
 * dead-letter policy or its 24 h retention. A cloudEvent function cannot choose its status, so a
 * malformed event also gets 500: retried and logged, never silently acknowledged.
 */
import { createLogger } from '../../core/log.js';
import { BadEventError } from '../../core/errors.js';
import { DeliveryFailedError, runEvent, type EventFunction as CoreEventFunction, type EventInput } from '../../core/events.js';
import type { AnyFunction, HttpFunction } from '../../core/types.js';
import { deadlineOf, defaultFunctionName } from './http.js';
import { cloudLoggingSink } from './log.js';
import type { AdaptOptions, GcpCloudEvent, GcpCloudEventHandler, GcpCloudEventNative } from './types.js';

/** What a converter makes of one CloudEvent: the handler's input, or a reason to acknowledge it unrun. */
export type Conversion<I extends EventInput> = { readonly input: I } | { readonly skip: string; readonly fields?: Record<string, unknown> };

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Wraps a pure converter and the user's handler into the function `functions.cloudEvent` takes. */
export function cloudEventHandler<I extends EventInput>(
  fn: Exclude<AnyFunction, HttpFunction>,
  options: AdaptOptions,
  convert: (cloudEvent: GcpCloudEvent) => Conversion<I>,
): GcpCloudEventHandler {
  const functionName = options.name ?? defaultFunctionName();
  // One parameter: the framework picks its promise-style wrapper by the handler's arity.
  return async (cloudEvent: GcpCloudEvent): Promise<void> => {
    const deadline = deadlineOf(options, Date.now());
    const id = isRecord(cloudEvent) && typeof cloudEvent.id === 'string' && cloudEvent.id !== '' ? cloudEvent.id : undefined;
    const invocationId = id ?? crypto.randomUUID();
    const logSink = cloudLoggingSink({ function: functionName, invocationId });
    let conversion: Conversion<I>;
    try {
      if (!isRecord(cloudEvent)) throw new BadEventError('faasport: the framework handed over no CloudEvent object');
      conversion = convert(cloudEvent);
    } catch (error) {
      if (!(error instanceof BadEventError)) throw error;
      createLogger(logSink).error('faasport: malformed CloudEvent; answered 500 so the platform retries it rather than drop it', {
        reason: error.message,
        type: isRecord(cloudEvent) ? cloudEvent.type : undefined,
        source: isRecord(cloudEvent) ? cloudEvent.source : undefined,
      });
      throw error;
    }
    if ('skip' in conversion) {
      createLogger(logSink).debug(`faasport: acknowledged without running the handler: ${conversion.skip}`, conversion.fields);
      return;
    }
    // (runEvent takes any event kind; each converter makes the input its kind expects.)
    const settled = await runEvent<GcpCloudEventNative>(fn as CoreEventFunction, conversion.input, {
      provider: 'gcp',
      functionName,
      invocationId,
      deadline,
      native: { cloudEvent },
      logSink,
    });
    if (!settled.ok) {
      // A generic message: the framework prints it, and sends it as the body outside production.
      throw new DeliveryFailedError(`faasport: the ${fn.kind} handler failed on CloudEvent ${invocationId}; answering 500 so that it is redelivered`, {
        cause: settled.error,
      });
    }
  };
}

/** The required CloudEvents 1.0 context attributes, checked. */
export function requireAttributes(cloudEvent: GcpCloudEvent): void {
  for (const key of ['id', 'source', 'type', 'specversion'] as const) {
    const value = (cloudEvent as Record<string, unknown>)[key];
    if (typeof value !== 'string' || value === '') {
      throw new BadEventError(`faasport: the CloudEvent has no "${key}" attribute (required by CloudEvents 1.0)`);
    }
  }
}
