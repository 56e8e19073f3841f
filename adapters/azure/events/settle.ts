import type { ContextInit } from '../../../core/context.js';
import { DeliveryFailedError, runEvent, type EventFunction as CoreEventFunction, type EventInput } from '../../../core/events.js';
import type { FaasFunction } from '../../../core/types.js';

/**
 * Runs the handler on one input and, when it fails, throws out of the native handler: the Functions host
 * then counts the invocation as failed and applies the trigger's retry rule (queue: release and poison after
 * maxDequeueCount; Service Bus: abandon, dead-letter after MaxDeliveryCount; blob: retry, then poison queue;
 * Event Grid: the delivery is retried, then dead-lettered). Swallowing it would ack a failed message.
 */
export async function settle<N>(
  fn: FaasFunction<'queue'> | FaasFunction<'topic'> | FaasFunction<'storage'> | FaasFunction<'schedule'> | FaasFunction<'event'>, input: EventInput, init: ContextInit<N>, what: string): Promise<void> {
  // core's EventFunction is one FaasFunction over the union of kinds; each kind's function is one of its members.
  const settled = await runEvent(fn as CoreEventFunction, input, init);
  if (!settled.ok) {
    throw new DeliveryFailedError(`faasport/azure: the ${fn.kind} handler of "${init.functionName}" failed on ${what}`, { cause: settled.error });
  }
}
