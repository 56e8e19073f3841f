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

describe('parseDeliverySettings: what a user is told for each setting AWS would refuse', () => {
  const at = 'faasport.json: function "onOrder"';
  const refusal = (settings: unknown, name = 'orders', options: Record<string, unknown> = { queue: name }) => {
    try {
      parseDeliverySettings('onOrder', 'queue', options, settings);
    } catch (err) {
      expect(err).toBeInstanceOf(DeliverySettingsError);
      expect((err as Error).name).toBe('DeliverySettingsError');
      return (err as Error).message;
    }
    throw new Error('expected a DeliverySettingsError');
  };

  it('names the function and the missing sqs block', () => {
    expect(refusal({ timeout: 3 })).toBe(
      `${at}: settings.sqs is missing (how its queue and event source mapping are deployed); rebuild with faasport build`,
    );
  });

  it('refuses a fifo flag that is not a boolean', () => {
    expect(refusal(sqs({ fifo: 'yes' }))).toBe(`${at}: settings.sqs.fifo must be true or false`);
  });

  it('says which way the fifo flag and the queue name disagree', () => {
    expect(refusal(sqs({ fifo: true }))).toBe(
      `${at}: settings.sqs.fifo is true but queue "orders" does not end in ".fifo"; SQS requires FIFO queue names to end in ".fifo"`,
    );
    expect(refusal(sqs({ fifo: false }), 'jobs.fifo')).toBe(
      `${at}: settings.sqs.fifo is false but queue "jobs.fifo" ends in ".fifo"; SQS requires FIFO queue names to end in ".fifo"`,
    );
  });

  it('takes a function without a queue name as a standard queue named ""', () => {
    expect(parseDeliverySettings('onOrder', 'queue', {}, sqs()).sqs).toMatchObject({ fifo: false });
    expect(parseDeliverySettings('onOrder', 'queue', { queue: 7 }, sqs()).sqs).toMatchObject({ fifo: false });
    expect(refusal(sqs({ fifo: true }), 'orders', {})).toBe(
      `${at}: settings.sqs.fifo is true but queue "" does not end in ".fifo"; SQS requires FIFO queue names to end in ".fifo"`,
    );
  });

  it('derives fifo from the queue name when the manifest omits it, and content-based deduplication defaults to off', () => {
    const { fifo: _f, contentBasedDeduplication: _c, ...rest } = sqs().sqs;
    expect(queue({ timeout: 30, sqs: rest }, 'jobs.fifo').sqs).toMatchObject({ fifo: true, contentBasedDeduplication: false });
    expect(queue({ timeout: 30, sqs: rest }, 'orders').sqs).toMatchObject({ fifo: false, contentBasedDeduplication: false });
  });

  it.each([
    ['a string', '10', '"10"'],
    ['a fraction', 1.5, '1.5'],
    ['zero', 0, '0'],
    ['an infinite size', Number.POSITIVE_INFINITY, 'null'],
    ['missing', undefined, 'undefined'],
    ['above 10,000', 10_001, '10001'],
  ])('refuses a standard batch size that is %s', (_, batchSize, shown) => {
    expect(refusal(sqs({ batchSize, maximumBatchingWindowInSeconds: 1 }))).toBe(
      `${at}: settings.sqs.batchSize is ${shown}; a standard queue takes 1 to 10000`,
    );
  });

  it('takes batch sizes 1 to 10,000 on a standard queue and 1 to 10 on a FIFO queue', () => {
    expect(queue(sqs({ batchSize: 1 })).sqs?.batchSize).toBe(1);
    expect(queue(sqs({ batchSize: 10_000, maximumBatchingWindowInSeconds: 1 })).sqs?.batchSize).toBe(10_000);
    expect(queue(sqs({ batchSize: 10, fifo: true }), 'jobs.fifo').sqs).toMatchObject({ batchSize: 10, fifo: true, batchingWindowMs: 0 });
    expect(refusal(sqs({ batchSize: 11, fifo: true, maximumBatchingWindowInSeconds: 1 }), 'jobs.fifo')).toBe(
      `${at}: settings.sqs.batchSize is 11; a FIFO queue takes 1 to 10`,
    );
  });

  it.each([
    ['negative', -1, '-1'],
    ['above 300 s', 301, '301'],
    ['not a number', Number.NaN, 'null'],
    ['a string', '1', '"1"'],
  ])('refuses a batching window that is %s', (_, window, shown) => {
    expect(refusal(sqs({ maximumBatchingWindowInSeconds: window }))).toBe(
      `${at}: settings.sqs.maximumBatchingWindowInSeconds is ${shown}; Lambda takes 0 to 300`,
    );
  });

  it('takes a batching window of 0 to 300 s, in ms, and none on a FIFO queue', () => {
    expect(queue(sqs({ maximumBatchingWindowInSeconds: 300 })).sqs?.batchingWindowMs).toBe(300_000);
    expect(queue(sqs({ fifo: true, maximumBatchingWindowInSeconds: 0 }), 'jobs.fifo').sqs?.batchingWindowMs).toBe(0);
    expect(refusal(sqs({ fifo: true, maximumBatchingWindowInSeconds: 1 }), 'jobs.fifo')).toBe(
      `${at}: a FIFO queue's event source mapping has no batching window (got 1 s)`,
    );
    expect(refusal(sqs({ batchSize: 11 }))).toBe(
      `${at}: settings.sqs.batchSize 11 needs a batching window (maximumBatchingWindowInSeconds of at least 1)`,
    );
  });

  it.each([
    ['zero', 0],
    ['negative', -5],
    ['a string', '180'],
    ['missing', undefined],
  ])('refuses a visibility timeout that is %s', (_, visibilityTimeout) => {
    expect(refusal({ sqs: { ...sqs().sqs, visibilityTimeout } })).toBe(`${at}: settings.sqs.visibilityTimeout must be a positive number of seconds`);
  });

  it('takes a function timeout equal to the visibility timeout, and refuses a longer one', () => {
    expect(queue(sqs({ visibilityTimeout: 30 })).sqs?.visibilityTimeoutMs).toBe(30_000);
    expect(refusal(sqs({ visibilityTimeout: 29 }))).toBe(
      `${at}: the queue's visibility timeout (29 s) is shorter than the function timeout (30 s); Lambda refuses such an event source mapping`,
    );
  });

  it.each([
    ['zero', 0, '0'],
    ['a fraction', 2.5, '2.5'],
    ['a string', '5', '"5"'],
    ['missing', undefined, 'undefined'],
    ['above 1000', 1001, '1001'],
  ])('refuses a maxReceiveCount that is %s', (_, maxReceiveCount, shown) => {
    expect(refusal(sqs({ maxReceiveCount }))).toBe(`${at}: settings.sqs.maxReceiveCount is ${shown}; a redrive policy takes 1 to 1000`);
  });

  it('takes a maxReceiveCount of 1 to 1000', () => {
    expect(queue(sqs({ maxReceiveCount: 1 })).sqs?.maxReceiveCount).toBe(1);
    expect(queue(sqs({ maxReceiveCount: 1000 })).sqs?.maxReceiveCount).toBe(1000);
  });

  it('refuses a content-based deduplication flag that is not a boolean, or set on a standard queue', () => {
    expect(refusal(sqs({ fifo: true, contentBasedDeduplication: 'yes' }), 'jobs.fifo')).toBe(
      `${at}: settings.sqs.contentBasedDeduplication must be true or false`,
    );
    expect(refusal(sqs({ contentBasedDeduplication: true }))).toBe(`${at}: content-based deduplication exists for FIFO queues only`);
  });
});

describe('parseDeliverySettings: asynchronous retries', () => {
  it('takes 0 to 2 retries', () => {
    expect(parseDeliverySettings('t', 'storage', {}, { maximumRetryAttempts: 2 })).toEqual({ asyncAttempts: 3 });
    expect(parseDeliverySettings('t', 'schedule', {}, { maximumRetryAttempts: 1 })).toEqual({ asyncAttempts: 2 });
  });

  it.each([
    ['negative', -1, '-1'],
    ['above 2', 3, '3'],
    ['a fraction', 1.5, '1.5'],
    ['a string', '1', '"1"'],
    ['not a number', Number.NaN, 'null'],
  ])('refuses a retry count that is %s, naming the function', (_, retries, shown) => {
    expect(() => parseDeliverySettings('t', 'topic', {}, { maximumRetryAttempts: retries })).toThrow(
      new DeliverySettingsError(`faasport.json: function "t": settings.maximumRetryAttempts is ${shown}; Lambda retries an asynchronous invocation 0 to 2 times`),
    );
  });
});

describe('deliverySettingsOf: entries it cannot read', () => {
  it('reads no functions from a manifest that is not an object or has no function list', () => {
    expect(deliverySettingsOf(null).size).toBe(0);
    expect(deliverySettingsOf({}).size).toBe(0);
    expect(deliverySettingsOf({ functions: { name: 'x', kind: 'queue' } }).size).toBe(0);
  });

  it('skips entries without a name or a kind', () => {
    const settings = deliverySettingsOf({
      functions: [null, 'x', { kind: 'topic' }, { name: 1, kind: 'topic' }, { name: 'noKind' }, { name: 'ok', kind: 'topic' }],
    });
    expect([...settings.keys()]).toEqual(['ok']);
  });

  it('lets a failure other than a refused setting propagate', () => {
    const settings = {
      get sqs(): never {
        throw new TypeError('boom');
      },
    };
    expect(() => deliverySettingsOf({ functions: [{ name: 'q', kind: 'queue', options: { queue: 'q' }, settings }] })).toThrow(TypeError);
  });
});
