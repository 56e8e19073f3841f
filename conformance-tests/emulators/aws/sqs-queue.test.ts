import { describe, expect, it } from 'vitest';
import { SqsQueue, SqsQueueError, checkMessage, deadLetterQueueName } from './sqs-queue.js';

function setup(name = 'q', visibilityTimeoutMs = 100) {
  let now = 1_000_000;
  const clock = { advance: (ms: number) => (now += ms), now: () => now };
  const dlq = new SqsQueue(deadLetterQueueName(name), { visibilityTimeoutMs, now: clock.now });
  const queue = new SqsQueue(name, { visibilityTimeoutMs, deadLetterQueue: dlq, now: clock.now });
  return { queue, dlq, clock };
}

const send = (queue: SqsQueue, body: string, maxReceiveCount = 3) => queue.send({ body, attributes: {}, maxReceiveCount });

describe('SqsQueue', () => {
  it('hides a received message while its consumer holds it, even past the visibility timeout', () => {
    const { queue, clock } = setup();
    send(queue, 'a');
    expect(queue.receive(10)).toHaveLength(1);
    clock.advance(500);
    expect(queue.receive(10)).toEqual([]);
    expect(queue.nextVisibleAt()).toBe(Number.POSITIVE_INFINITY);
  });

  it('shows a released message again when the visibility timeout from its receive ends', () => {
    const { queue, clock } = setup();
    send(queue, 'a');
    const [first] = queue.receive(10);
    expect(first).toMatchObject({ body: 'a', receiveCount: 1 });
    clock.advance(30);
    queue.release(first!.receiptHandle);
    expect(queue.receive(10)).toEqual([]);
    expect(queue.nextVisibleAt()).toBe(first!.firstReceiveTimestamp + 100);
    clock.advance(69);
    expect(queue.receive(10)).toEqual([]);
    clock.advance(1);
    const [second] = queue.receive(10);
    expect(second).toMatchObject({ messageId: first!.messageId, receiveCount: 2, firstReceiveTimestamp: first!.firstReceiveTimestamp });
    expect(second!.receiptHandle).not.toBe(first!.receiptHandle);
  });

  it('makes a message released after a long invocation visible at once', () => {
    const { queue, clock } = setup();
    send(queue, 'a');
    const [m] = queue.receive(1);
    clock.advance(1000);
    queue.release(m!.receiptHandle);
    expect(queue.receive(1)).toHaveLength(1);
  });

  it('deletes by the latest receipt handle only, and settles the message as acked', async () => {
    const { queue, clock } = setup();
    const sent = send(queue, 'a');
    const [first] = queue.receive(1);
    queue.release(first!.receiptHandle);
    clock.advance(100);
    const [second] = queue.receive(1);
    expect(queue.delete(first!.receiptHandle)).toBe(false);
    expect(queue.delete(second!.receiptHandle)).toBe(true);
    expect(queue.depth).toBe(0);
    await expect(sent.settled).resolves.toEqual({ outcome: 'acked', attempts: 2 });
  });

  it('moves a message to the dead-letter queue when a receive would pass maxReceiveCount', async () => {
    const { queue, dlq, clock } = setup();
    const sent = send(queue, 'poison', 2);
    for (let i = 0; i < 2; i++) {
      const [m] = queue.receive(1);
      expect(m?.receiveCount).toBe(i + 1);
      queue.release(m!.receiptHandle);
      clock.advance(100);
    }
    expect(queue.receive(1)).toEqual([]);
    await expect(sent.settled).resolves.toEqual({ outcome: 'dead-lettered', attempts: 2 });
    expect(dlq.peek()).toEqual([
      expect.objectContaining({ messageId: sent.messageId, body: 'poison', receiveCount: 2, deadLetterSourceArn: queue.arn }),
    ]);
    expect(dlq.receive(1)[0]?.deadLetterSourceArn).toBe('arn:aws:sqs:us-east-1:000000000000:q');
  });

  it('returns at most the asked number, oldest first', () => {
    const { queue } = setup();
    for (const body of ['1', '2', '3']) send(queue, body);
    expect(queue.receive(2).map((m) => m.body)).toEqual(['1', '2']);
    expect(queue.receive(2).map((m) => m.body)).toEqual(['3']);
  });

  it('lets nothing overtake a waiting message in a FIFO queue', () => {
    const { queue, clock } = setup('jobs.fifo');
    for (const body of ['1', '2', '3']) send(queue, body);
    const [first] = queue.receive(1);
    expect(first!.fifo).toMatchObject({ groupId: expect.any(String), sequenceNumber: '00000000000000000001' });
    expect(queue.receive(10)).toEqual([]); // 1 is in flight
    queue.release(first!.receiptHandle);
    expect(queue.receive(10)).toEqual([]); // 1 awaits its retry
    clock.advance(100);
    expect(queue.receive(10).map((m) => m.body)).toEqual(['1', '2', '3']);
  });

  it('names dead-letter queues after their source, FIFO ones ending in .fifo', () => {
    expect(deadLetterQueueName('orders')).toBe('orders-dlq');
    expect(deadLetterQueueName('orders.fifo')).toBe('orders-dlq.fifo');
  });
});

describe('checkMessage (SendMessage validation)', () => {
  it.each([
    ['an empty body', '', {}, /empty message body/],
    ['a NUL character', 'a\u0000', {}, /U\+0000 at index 1/],
    ['a lone surrogate', 'a\uD800', {}, /U\+D800/],
    ['eleven attributes', 'x', Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`a${i}`, 'v'])), /at most 10/],
    ['a reserved attribute name', 'x', { 'aws.trace': 'v' }, /attribute name/],
    ['an empty attribute value', 'x', { a: '' }, /empty value/],
  ])('refuses %s', (_, body, attributes, message) => {
    expect(() => checkMessage(body, attributes)).toThrow(SqsQueueError);
    expect(() => checkMessage(body, attributes)).toThrow(message);
  });

  it('accepts tabs, newlines, emoji and JSON', () => {
    expect(() => checkMessage('{"a":"é\t😀\n"}', { 'x-y.z_1': 'v' })).not.toThrow();
  });
});
