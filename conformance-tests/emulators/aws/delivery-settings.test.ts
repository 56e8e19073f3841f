import { describe, expect, it } from 'vitest';
import { DEFAULT_ASYNC_ATTEMPTS, DeliverySettingsError, deliverySettingsOf, parseDeliverySettings } from './delivery-settings.js';

const sqs = (more: Record<string, unknown> = {}) => ({
  timeout: 30,
  sqs: { batchSize: 10, maximumBatchingWindowInSeconds: 0, visibilityTimeout: 180, maxReceiveCount: 5, fifo: false, contentBasedDeduplication: false, ...more },
});
const queue = (settings: unknown, name = 'orders') => parseDeliverySettings('onOrder', 'queue', { queue: name }, settings);

describe('parseDeliverySettings', () => {
  it('reads what the template deploys for a queue, times in ms', () => {
    expect(queue(sqs({ batchSize: 100, maximumBatchingWindowInSeconds: 1, visibilityTimeout: 181 })).sqs).toEqual({
      batchSize: 100,
      batchingWindowMs: 1000,
      visibilityTimeoutMs: 181_000,
      maxReceiveCount: 5,
      fifo: false,
      contentBasedDeduplication: false,
    });
  });

  it('reads the async attempts as MaximumRetryAttempts + 1, and Lambda’s default 3 when the manifest says nothing', () => {
    expect(parseDeliverySettings('t', 'topic', {}, { maximumRetryAttempts: 0 })).toEqual({ asyncAttempts: 1 });
    expect(parseDeliverySettings('t', 'event', {}, {})).toEqual({ asyncAttempts: DEFAULT_ASYNC_ATTEMPTS });
    expect(parseDeliverySettings('h', 'http', {}, {})).toEqual({});
  });

  it.each([
    ['no sqs block', { timeout: 3 }, 'orders', /settings\.sqs is missing/],
    ['a FIFO batch above 10', sqs({ fifo: true, contentBasedDeduplication: true, batchSize: 11, maximumBatchingWindowInSeconds: 1 }), 'jobs.fifo', /FIFO queue takes 1 to 10/],
    ['a batching window on a FIFO queue', sqs({ fifo: true, maximumBatchingWindowInSeconds: 1 }), 'jobs.fifo', /no batching window/],
    ['a batch above 10 without a window', sqs({ batchSize: 11 }), 'orders', /needs a batching window/],
    ['a visibility timeout shorter than the function timeout', sqs({ visibilityTimeout: 10 }), 'orders', /Lambda refuses such an event source mapping/],
    ['fifo that does not match the name', sqs({ fifo: true }), 'orders', /end in "\.fifo"/],
    ['content-based deduplication on a standard queue', sqs({ contentBasedDeduplication: true }), 'orders', /FIFO queues only/],
    ['a redrive count above 1000', sqs({ maxReceiveCount: 1001 }), 'orders', /1 to 1000/],
  ])('refuses %s', (_, settings, name, message) => {
    expect(() => queue(settings, name)).toThrow(DeliverySettingsError);
    expect(() => queue(settings, name)).toThrow(message);
  });

  it('refuses async retries outside Lambda’s 0 to 2', () => {
    expect(() => parseDeliverySettings('t', 'topic', {}, { maximumRetryAttempts: 4 })).toThrow(/0 to 2 times/);
  });
});

describe('deliverySettingsOf', () => {
  it('maps every function of a manifest, keeping an unusable entry as its error', () => {
    const settings = deliverySettingsOf({
      functions: [
        { name: 'ok', kind: 'queue', options: { queue: 'q' }, settings: sqs() },
        { name: 'bad', kind: 'queue', options: { queue: 'q' }, settings: {} },
      ],
    });
    expect(settings.get('ok')).toMatchObject({ sqs: { batchSize: 10 } });
    expect(settings.get('bad')).toBeInstanceOf(DeliverySettingsError);
  });
});
