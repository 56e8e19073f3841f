import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { DEDUPLICATION_INTERVAL_MS, FIFO_GROUP_ID, SqsQueue, SqsQueueError, checkMessage, deadLetterQueueName, type SendInit } from './sqs-queue.js';

function setup(name = 'q', visibilityTimeoutMs = 100, more: { failedVisibilityTimeoutMs?: number; contentBasedDeduplication?: boolean } = {}) {
  let now = 1_000_000;
  const clock = { advance: (ms: number) => (now += ms), now: () => now };
  const dlq = new SqsQueue(deadLetterQueueName(name), { visibilityTimeoutMs, now: clock.now });
  const queue = new SqsQueue(name, { visibilityTimeoutMs, deadLetterQueue: dlq, now: clock.now, ...more });
  return { queue, dlq, clock };
}

const send = (queue: SqsQueue, body: string, maxReceiveCount = 3, more: Partial<SendInit> = {}) =>
  queue.send({ body, attributes: {}, maxReceiveCount, ...more });

describe('SqsQueue visibility', () => {
  it('hides a received message for the visibility timeout, then delivers it again while the first consumer still holds it', async () => {
    const { queue, clock } = setup();
    const sent = send(queue, 'a');
    const [first] = queue.receive(10);
    clock.advance(99);
    expect(queue.receive(10)).toEqual([]);
    expect(queue.nextVisibleAt()).toBe(first!.firstReceiveTimestamp + 100);
    clock.advance(1);
    const [second] = queue.receive(10);
    expect(second).toMatchObject({ messageId: first!.messageId, receiveCount: 2 });
    // the slow first consumer finishes: its old receipt handle deletes nothing
    expect(queue.delete(first!.receiptHandle)).toBe(false);
    expect(queue.depth).toBe(1);
    expect(queue.delete(second!.receiptHandle)).toBe(true);
    // two successful handlings: one attempt and one duplicate
    await expect(sent.settled).resolves.toEqual({ outcome: 'acked', attempts: 1, duplicates: 1 });
  });

  it('shows a failed message again after the failure visibility timeout from its receive', () => {
    const { queue, clock } = setup('q', 100, { failedVisibilityTimeoutMs: 10 });
    send(queue, 'a');
    const [first] = queue.receive(10);
    clock.advance(3);
    queue.release(first!.receiptHandle);
    expect(queue.receive(10)).toEqual([]);
    expect(queue.nextVisibleAt()).toBe(first!.firstReceiveTimestamp + 10);
    clock.advance(7);
    const [second] = queue.receive(10);
    expect(second).toMatchObject({ messageId: first!.messageId, receiveCount: 2, firstReceiveTimestamp: first!.firstReceiveTimestamp });
    expect(second!.receiptHandle).not.toBe(first!.receiptHandle);
  });

  it('shows a failed message again at the full visibility timeout when no shorter failure timeout is set', () => {
    const { queue, clock } = setup();
    send(queue, 'a');
    const [first] = queue.receive(10);
    queue.release(first!.receiptHandle);
    clock.advance(99);
    expect(queue.receive(10)).toEqual([]);
    clock.advance(1);
    expect(queue.receive(10)).toHaveLength(1);
  });

  it('makes a message released after a long invocation visible at once', () => {
    const { queue, clock } = setup('q', 100, { failedVisibilityTimeoutMs: 10 });
    send(queue, 'a');
    const [m] = queue.receive(1);
    clock.advance(50);
    queue.release(m!.receiptHandle);
    expect(queue.receive(1)).toHaveLength(1);
  });

  it('settles a message that failed once and then succeeded as acked after two attempts', async () => {
    const { queue, clock } = setup();
    const sent = send(queue, 'a');
    const [first] = queue.receive(1);
    queue.release(first!.receiptHandle);
    clock.advance(100);
    const [second] = queue.receive(1);
    queue.release(first!.receiptHandle); // an old handle changes nothing
    expect(queue.delete(second!.receiptHandle)).toBe(true);
    expect(queue.depth).toBe(0);
    await expect(sent.settled).resolves.toEqual({ outcome: 'acked', attempts: 2, duplicates: 0 });
  });
});

describe('SqsQueue redrive and receive', () => {
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
    await expect(sent.settled).resolves.toEqual({ outcome: 'dead-lettered', attempts: 2, duplicates: 0 });
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

  it('returns as many of the waiting messages as the pick says', () => {
    const { queue } = setup();
    for (const body of ['1', '2', '3', '4']) send(queue, body);
    const offered: number[] = [];
    const pick = (available: number) => (offered.push(available), 1);
    expect(queue.receive(10, { pick }).map((m) => m.body)).toEqual(['1']);
    expect(queue.receive(2, { pick }).map((m) => m.body)).toEqual(['2']);
    expect(offered).toEqual([4, 2]);
  });

  it('stops before the message that would pass the byte budget, and says so', () => {
    const { queue } = setup();
    for (const body of ['aaaa', 'bbbb', 'cccc']) send(queue, body);
    let full = false;
    const got = queue.receive(10, { maxBytes: 9, sizeOf: (m) => m.body.length, onFull: () => (full = true) });
    expect(got.map((m) => m.body)).toEqual(['aaaa', 'bbbb']);
    expect(full).toBe(true);
  });

  it('delivers a handled message once more when the duplicate decision says so, then settles it with one duplicate', async () => {
    const { queue } = setup();
    let asked = 0;
    const sent = send(queue, 'a', 1, { duplicate: () => (asked++, true) });
    const [first] = queue.receive(1);
    expect(queue.delete(first!.receiptHandle)).toBe(false);
    // visible at once, and not dead-lettered although maxReceiveCount is 1: the first receive succeeded
    const [again] = queue.receive(1);
    expect(again).toMatchObject({ messageId: first!.messageId, receiveCount: 2 });
    expect(queue.delete(again!.receiptHandle)).toBe(true);
    expect(asked).toBe(1);
    await expect(sent.settled).resolves.toEqual({ outcome: 'acked', attempts: 1, duplicates: 1 });
  });

  it('names dead-letter queues after their source, FIFO ones ending in .fifo', () => {
    expect(deadLetterQueueName('orders')).toBe('orders-dlq');
    expect(deadLetterQueueName('orders.fifo')).toBe('orders-dlq.fifo');
  });
});

describe('SqsQueue FIFO', () => {
  it('lets nothing overtake a waiting message of its group', () => {
    const { queue, clock } = setup('jobs.fifo', 100, { contentBasedDeduplication: true });
    for (const body of ['1', '2', '3']) send(queue, body);
    const [first] = queue.receive(1);
    expect(first!.fifo).toMatchObject({ groupId: FIFO_GROUP_ID, sequenceNumber: '00000000000000000001' });
    expect(queue.receive(10)).toEqual([]); // 1 is in flight
    queue.release(first!.receiptHandle);
    expect(queue.receive(10)).toEqual([]); // 1 awaits its retry
    clock.advance(100);
    expect(queue.receive(10).map((m) => m.body)).toEqual(['1', '2', '3']);
  });

  it('keeps each group in order while other groups go on', () => {
    const { queue } = setup('jobs.fifo', 100, { contentBasedDeduplication: true });
    send(queue, 'a1', 3, { groupId: 'a' });
    send(queue, 'b1', 3, { groupId: 'b' });
    send(queue, 'a2', 3, { groupId: 'a' });
    send(queue, 'b2', 3, { groupId: 'b' });
    const [a1] = queue.receive(1);
    expect(a1!.body).toBe('a1');
    expect(queue.receive(10).map((m) => m.body)).toEqual(['b1', 'b2']);
  });

  it('with content-based deduplication, accepts but does not deliver the same body within 5 minutes', async () => {
    const { queue, clock } = setup('jobs.fifo', 100, { contentBasedDeduplication: true });
    const first = send(queue, 'same');
    const again = send(queue, 'same');
    expect(again).toMatchObject({ messageId: first.messageId, deduplicated: true });
    await expect(again.settled).resolves.toEqual({ outcome: 'acked', attempts: 0, duplicates: 0 });
    expect(queue.depth).toBe(1);
    const [m] = queue.receive(1);
    expect(m!.fifo!.deduplicationId).toBe(createHash('sha256').update('same').digest('hex'));
    queue.delete(m!.receiptHandle);
    clock.advance(DEDUPLICATION_INTERVAL_MS - 1);
    expect(send(queue, 'same').deduplicated).toBe(true); // still within the interval, even after the delete
    clock.advance(1);
    expect(send(queue, 'same').deduplicated).toBe(false);
  });

  it('without content-based deduplication, refuses a send without a deduplication id and deduplicates by the given one', () => {
    const { queue } = setup('jobs.fifo');
    expect(() => send(queue, 'x')).toThrow(/MessageDeduplicationId/);
    expect(send(queue, 'x', 3, { deduplicationId: 'd-1' }).deduplicated).toBe(false);
    expect(send(queue, 'other body', 3, { deduplicationId: 'd-1' }).deduplicated).toBe(true);
    expect(send(queue, 'x', 3, { deduplicationId: 'd-2' }).deduplicated).toBe(false);
  });

  it('never deduplicates a standard queue', () => {
    const { queue } = setup('plain');
    expect(send(queue, 'same').deduplicated).toBe(false);
    expect(send(queue, 'same').deduplicated).toBe(false);
    expect(() => send(queue, 'x', 3, { deduplicationId: 'd' })).toThrow(/FIFO queues/);
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

describe('checkMessage: attribute names and counts', () => {
  it('takes ten attributes and names of up to 256 allowed characters', () => {
    expect(() => checkMessage('x', Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`a${i}`, 'v'])))).not.toThrow();
    expect(() => checkMessage('x', { ['n'.repeat(256)]: 'v', 'my.aws.x': 'v', 'a.b': 'v', 'Amazonx': 'v' })).not.toThrow();
  });

  it.each(['.a', 'a.', 'a..b', 'a b', ' ab', 'ab ', '', 'n'.repeat(257), 'AWS.x', 'Amazon.x'])('refuses the attribute name %j', (name) => {
    const error = (() => {
      try {
        checkMessage('x', { [name]: 'v' });
      } catch (err) {
        return err as Error;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(SqsQueueError);
    expect(error?.name).toBe('SqsQueueError');
    expect(error?.message).toBe(`SQS refuses the message attribute name ${JSON.stringify(name)}`);
  });
});

describe('SqsQueue sends and receives', () => {
  it('delivers the attributes it was sent, and reports its dead-letter queue', () => {
    const { queue, dlq } = setup();
    expect(queue.deadLetterQueue).toBe(dlq);
    expect(dlq.deadLetterQueue).toBeUndefined();
    send(queue, 'a', 3, { attributes: { kind: 'order' } });
    expect(queue.receive(1)[0]!.attributes).toEqual({ kind: 'order' });
  });

  it('refuses a message group on a standard queue', () => {
    const { queue } = setup('plain');
    expect(() => send(queue, 'x', 3, { groupId: 'g' })).toThrow(
      new SqsQueueError('SQS takes a deduplication id and a message group only on FIFO queues (plain is standard)'),
    );
  });

  it('asks the pick only when messages are waiting, and returns between 1 and all of them as it says', () => {
    const { queue } = setup();
    const offered: number[] = [];
    expect(queue.receive(10, { pick: (n) => (offered.push(n), 1) })).toEqual([]);
    expect(offered).toEqual([]);
    for (const body of ['1', '2', '3', '4', '5']) send(queue, body);
    expect(queue.receive(10, { pick: () => 3 }).map((m) => m.body)).toEqual(['1', '2', '3']);
    expect(queue.receive(10, { pick: () => 0 }).map((m) => m.body)).toEqual(['4']);
  });

  it('fills a byte budget exactly, and needs neither a size function nor a full callback', () => {
    const { queue } = setup();
    for (const body of ['aaaa', 'bbbb', 'cccc']) send(queue, body);
    expect(queue.receive(2, { maxBytes: 8, sizeOf: (m) => m.body.length }).map((m) => m.body)).toEqual(['aaaa', 'bbbb']);
    expect(queue.receive(10, { maxBytes: 1, sizeOf: (m) => m.body.length }).map((m) => m.body)).toEqual([]);
    expect(queue.receive(10, { maxBytes: 1 }).map((m) => m.body)).toEqual(['cccc']);
  });

  it('measures messages only against a byte budget', () => {
    const { queue } = setup();
    for (const body of ['aaaa', 'bbbb']) send(queue, body);
    let measured = 0;
    expect(queue.receive(10, { sizeOf: (m) => (measured++, m.body.length) }).map((m) => m.body)).toEqual(['aaaa', 'bbbb']);
    expect(measured).toBe(0);
  });

  it('stops calling a listener once it unsubscribes', () => {
    const { queue } = setup();
    let calls = 0;
    const off = queue.onChange(() => calls++);
    send(queue, 'a');
    off();
    send(queue, 'b');
    expect(calls).toBe(1);
  });

  it('tells when the earliest hidden message becomes visible, wherever it sits in the queue', () => {
    const { queue, clock } = setup('q', 100, { failedVisibilityTimeoutMs: 10 });
    for (const body of ['a', 'b', 'c']) send(queue, body);
    expect(queue.nextVisibleAt()).toBe(0);
    const [, b] = queue.receive(10);
    queue.release(b!.receiptHandle);
    expect(queue.nextVisibleAt()).toBe(b!.firstReceiveTimestamp + 10);
    clock.advance(10);
    expect(queue.receive(10).map((m) => m.body)).toEqual(['b']);
  });
});

describe('SqsQueue receipt handles', () => {
  it('deletes the message whose handle is given, and nothing for an unknown handle', () => {
    const { queue } = setup();
    send(queue, 'a');
    send(queue, 'b');
    const [, b] = queue.receive(10);
    expect(queue.delete('not-a-handle')).toBe(false);
    expect(queue.depth).toBe(2);
    expect(queue.delete(b!.receiptHandle)).toBe(true);
    expect(queue.peek().map((m) => m.body)).toEqual(['a']);
  });

  it('releases only the message whose handle is given', () => {
    const { queue, clock } = setup('q', 100, { failedVisibilityTimeoutMs: 10 });
    send(queue, 'a');
    send(queue, 'b');
    const [, b] = queue.receive(10);
    queue.release('not-a-handle');
    queue.release(b!.receiptHandle);
    clock.advance(10);
    expect(queue.receive(10).map((m) => m.body)).toEqual(['b']);
  });

  it('settles a message deleted by a newer receive only when every older receive has reported, counting their successes as duplicates', async () => {
    const { queue, clock } = setup();
    const sent = send(queue, 'a');
    const handles: string[] = [];
    for (let i = 0; i < 3; i++) {
      handles.push(queue.receive(1)[0]!.receiptHandle);
      clock.advance(100);
    }
    const pending = () => Promise.race([sent.settled, new Promise((resolve) => setImmediate(() => resolve('pending')))]);
    expect(queue.delete(handles[2]!)).toBe(true);
    expect(queue.depth).toBe(0);
    expect(queue.delete(handles[0]!)).toBe(false);
    await expect(pending()).resolves.toBe('pending');
    expect(queue.delete(handles[1]!)).toBe(false);
    await expect(sent.settled).resolves.toEqual({ outcome: 'acked', attempts: 1, duplicates: 2 });
  });

  it('settles a deleted message when an older receive reports a failure', async () => {
    const { queue, clock } = setup();
    const sent = send(queue, 'a');
    const [first] = queue.receive(1);
    clock.advance(100);
    const [second] = queue.receive(1);
    expect(queue.delete(second!.receiptHandle)).toBe(true);
    queue.release(first!.receiptHandle);
    const result = await Promise.race([sent.settled, new Promise((resolve) => setImmediate(() => resolve('pending')))]);
    expect(result).toEqual({ outcome: 'acked', attempts: 2, duplicates: 0 });
  });
});
