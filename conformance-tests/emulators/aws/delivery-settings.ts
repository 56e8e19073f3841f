/**
 * How each event function's trigger is deployed, read from `settings` in faasport.json (`faasport build` copies
 * them from the resources of template.yaml: codegen/emit/aws.ts `withDeployedDelivery`). The emulator delivers
 * with these values, never with the source's wish, and refuses values AWS itself would refuse. Pure: no I/O.
 *
 * Limits (each with its source):
 * - BatchSize 1..10,000 for standard queues, at most 10 for FIFO; above 10 needs MaximumBatchingWindowInSeconds
 *   >= 1; the window is 0..300 s, 0 by default, and not supported for FIFO queues
 *   (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-parameters.html; the Lambda API's
 *   MaximumBatchingWindowInSeconds reference).
 * - The function timeout must not exceed the queue's visibility timeout: Lambda refuses such a mapping
 *   (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html).
 * - maxReceiveCount of a redrive policy: 1..1,000 (SQS SetQueueAttributes, RedrivePolicy).
 * - MaximumRetryAttempts of an asynchronous invocation: 0..2
 *   (https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html).
 *
 * Times are seconds, as in the template. A test build may write fractions of a second to run quickly; AWS
 * takes whole seconds only, which `faasport build` always writes.
 */
import { isRecord } from '../manifest.js';
import { isFifoQueue } from './sqs-queue.js';

export interface SqsDeliverySettings {
  readonly batchSize: number;
  readonly batchingWindowMs: number;
  readonly visibilityTimeoutMs: number;
  readonly maxReceiveCount: number;
  readonly fifo: boolean;
  readonly contentBasedDeduplication: boolean;
}

export interface DeliverySettings {
  /** queue functions. */
  readonly sqs?: SqsDeliverySettings;
  /** Attempts of an asynchronous invocation (MaximumRetryAttempts + 1): topic, storage, schedule, event. */
  readonly asyncAttempts?: number;
}

export class DeliverySettingsError extends Error {
  override name = 'DeliverySettingsError';
}

export const MAX_STANDARD_BATCH_SIZE = 10_000;
export const MAX_FIFO_BATCH_SIZE = 10;
export const MAX_BATCHING_WINDOW_SECONDS = 300;
export const MAX_RECEIVE_COUNT = 1000;
export const MAX_ASYNC_RETRIES = 2;
/** Lambda's default for asynchronous invocations: the first try and 2 retries. */
export const DEFAULT_ASYNC_ATTEMPTS = MAX_ASYNC_RETRIES + 1;

const ASYNC_KINDS = new Set(['topic', 'storage', 'schedule', 'event']);

// Stryker disable next-line ConditionalExpression: Number.isFinite is false for anything but a number, so the typeof test only narrows the type
const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

/**
 * The deployed delivery settings of one function from its faasport.json entry (`kind`, `options.queue`, `settings`).
 * Throws a DeliverySettingsError naming the value and the limit when the manifest holds what AWS would refuse,
 * or lacks what `faasport build` writes.
 */
export function parseDeliverySettings(name: string, kind: string, options: Readonly<Record<string, unknown>>, settings: unknown): DeliverySettings {
  const at = `faasport.json: function "${name}"`;
  const raw = isRecord(settings) ? settings : {};
  if (kind === 'queue') return { sqs: parseSqs(at, options, raw) };
  if (!ASYNC_KINDS.has(kind)) return {};
  const retries = raw.maximumRetryAttempts;
  // A manifest without the field (hand-written) gets what Lambda applies when EventInvokeConfig says nothing.
  if (retries === undefined) return { asyncAttempts: DEFAULT_ASYNC_ATTEMPTS };
  if (!isNumber(retries) || !Number.isInteger(retries) || retries < 0 || retries > MAX_ASYNC_RETRIES) {
    throw new DeliverySettingsError(
      `${at}: settings.maximumRetryAttempts is ${JSON.stringify(retries)}; Lambda retries an asynchronous invocation 0 to ${MAX_ASYNC_RETRIES} times`,
    );
  }
  return { asyncAttempts: retries + 1 };
}

function parseSqs(at: string, options: Readonly<Record<string, unknown>>, raw: Readonly<Record<string, unknown>>): SqsDeliverySettings {
  const sqs = raw.sqs;
  if (!isRecord(sqs)) {
    throw new DeliverySettingsError(`${at}: settings.sqs is missing (how its queue and event source mapping are deployed); rebuild with faasport build`);
  }
  const { batchSize, maximumBatchingWindowInSeconds: window = 0, visibilityTimeout, maxReceiveCount, fifo, contentBasedDeduplication = false } = sqs;
  const queueName = typeof options.queue === 'string' ? options.queue : '';
  const isFifo = fifo === undefined ? isFifoQueue(queueName) : fifo;
  if (typeof isFifo !== 'boolean') throw new DeliverySettingsError(`${at}: settings.sqs.fifo must be true or false`);
  if (isFifo !== isFifoQueue(queueName)) {
    throw new DeliverySettingsError(`${at}: settings.sqs.fifo is ${isFifo} but queue "${queueName}" ${isFifo ? 'does not end' : 'ends'} in ".fifo"; SQS requires FIFO queue names to end in ".fifo"`);
  }
  const maxBatch = isFifo ? MAX_FIFO_BATCH_SIZE : MAX_STANDARD_BATCH_SIZE;
  if (!isNumber(batchSize) || !Number.isInteger(batchSize) || batchSize < 1 || batchSize > maxBatch) {
    throw new DeliverySettingsError(`${at}: settings.sqs.batchSize is ${JSON.stringify(batchSize)}; a ${isFifo ? 'FIFO' : 'standard'} queue takes 1 to ${maxBatch}`);
  }
  if (!isNumber(window) || window < 0 || window > MAX_BATCHING_WINDOW_SECONDS) {
    throw new DeliverySettingsError(`${at}: settings.sqs.maximumBatchingWindowInSeconds is ${JSON.stringify(window)}; Lambda takes 0 to ${MAX_BATCHING_WINDOW_SECONDS}`);
  }
  if (isFifo && window > 0) throw new DeliverySettingsError(`${at}: a FIFO queue's event source mapping has no batching window (got ${window} s)`);
  if (batchSize > 10 && window <= 0) {
    throw new DeliverySettingsError(`${at}: settings.sqs.batchSize ${batchSize} needs a batching window (maximumBatchingWindowInSeconds of at least 1)`);
  }
  if (!isNumber(visibilityTimeout) || visibilityTimeout <= 0) {
    throw new DeliverySettingsError(`${at}: settings.sqs.visibilityTimeout must be a positive number of seconds`);
  }
  const timeout = raw.timeout;
  if (isNumber(timeout) && timeout > visibilityTimeout) {
    throw new DeliverySettingsError(
      `${at}: the queue's visibility timeout (${visibilityTimeout} s) is shorter than the function timeout (${timeout} s); Lambda refuses such an event source mapping`,
    );
  }
  if (!isNumber(maxReceiveCount) || !Number.isInteger(maxReceiveCount) || maxReceiveCount < 1 || maxReceiveCount > MAX_RECEIVE_COUNT) {
    throw new DeliverySettingsError(`${at}: settings.sqs.maxReceiveCount is ${JSON.stringify(maxReceiveCount)}; a redrive policy takes 1 to ${MAX_RECEIVE_COUNT}`);
  }
  if (typeof contentBasedDeduplication !== 'boolean') throw new DeliverySettingsError(`${at}: settings.sqs.contentBasedDeduplication must be true or false`);
  if (contentBasedDeduplication && !isFifo) throw new DeliverySettingsError(`${at}: content-based deduplication exists for FIFO queues only`);
  return {
    batchSize,
    batchingWindowMs: window * 1000,
    visibilityTimeoutMs: visibilityTimeout * 1000,
    maxReceiveCount,
    fifo: isFifo,
    contentBasedDeduplication,
  };
}

/** Every function's delivery settings from a parsed faasport.json; an unusable entry maps to its error. */
export function deliverySettingsOf(manifest: unknown): Map<string, DeliverySettings | DeliverySettingsError> {
  const out = new Map<string, DeliverySettings | DeliverySettingsError>();
  // Stryker disable next-line ArrayDeclaration: the loop skips entries that are not function records, so a fallback list of strings reads as empty too
  const functions = isRecord(manifest) && Array.isArray(manifest.functions) ? (manifest.functions as unknown[]) : [];
  for (const entry of functions) {
    if (!isRecord(entry) || typeof entry.name !== 'string' || typeof entry.kind !== 'string') continue;
    try {
      out.set(entry.name, parseDeliverySettings(entry.name, entry.kind, isRecord(entry.options) ? entry.options : {}, entry.settings));
    } catch (err) {
      if (!(err instanceof DeliverySettingsError)) throw err;
      out.set(entry.name, err);
    }
  }
  return out;
}
