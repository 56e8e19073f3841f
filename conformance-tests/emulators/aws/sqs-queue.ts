/**
 * An in-memory SQS queue with the semantics an event source mapping relies on: message ids, receipt handles,
 * receive counts, a visibility timeout, deletion by receipt handle, and a redrive policy that moves a message
 * to its dead-letter queue when a receive would take its receive count past `maxReceiveCount`.
 *
 * Visibility, compressed for tests: AWS refuses an SQS event source mapping whose queue visibility timeout is
 * shorter than the function timeout (and recommends 6x the function timeout; the SQS default is 30 s), so on
 * AWS a message never reappears while the invocation that holds it runs. Here a received message stays hidden
 * while its consumer holds it, and when the consumer lets it go without deleting it, it reappears
 * `visibilityTimeoutMs` after it was received (at once if the invocation took longer than that).
 *
 * FIFO queues (name ends with `.fifo`) keep one message group: a receive stops at the first message that is
 * not visible, so nothing overtakes a message that is in flight or waiting to be retried.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { ACCOUNT_ID, REGION } from './lambda-protocol.js';

export const queueArn = (name: string): string => `arn:aws:sqs:${REGION}:${ACCOUNT_ID}:${name}`;

export const isFifoQueue = (name: string): boolean => name.endsWith('.fifo');

/** `orders` -> `orders-dlq`; a FIFO queue needs a FIFO dead-letter queue: `orders.fifo` -> `orders-dlq.fifo`. */
export const deadLetterQueueName = (name: string): string =>
  isFifoQueue(name) ? `${name.slice(0, -'.fifo'.length)}-dlq.fifo` : `${name}-dlq`;

/** Who sent the messages (`SenderId`): an IAM user id, as SQS reports it. */
export const SENDER_ID = 'AIDAFAASPORTEMULATOR1';
export const FIFO_GROUP_ID = 'faasport';

/** Settled means gone from the source queue: deleted by the consumer, or moved to the dead-letter queue. */
export interface Settlement {
  readonly outcome: 'acked' | 'dead-lettered';
  /** Receives of the message (ApproximateReceiveCount) when it settled. */
  readonly attempts: number;
}

export interface SendInit {
  readonly body: string;
  /** String message attributes. */
  readonly attributes: Readonly<Record<string, string>>;
  /** Redrive policy: receives before the message moves to the dead-letter queue. */
  readonly maxReceiveCount: number;
}

/** One message as a receive returns it. */
export interface ReceivedMessage {
  readonly messageId: string;
  readonly receiptHandle: string;
  readonly body: string;
  readonly md5OfBody: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly receiveCount: number;
  readonly sentTimestamp: number;
  readonly firstReceiveTimestamp: number;
  /** Set on messages read from a dead-letter queue: the queue they came from. */
  readonly deadLetterSourceArn: string | undefined;
  /** FIFO queues only. */
  readonly fifo: { readonly groupId: string; readonly sequenceNumber: string; readonly deduplicationId: string } | undefined;
}

/** What a dead-letter queue holds, for inspection. */
export interface QueuedMessage {
  readonly messageId: string;
  readonly body: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly receiveCount: number;
  readonly sentTimestamp: number;
  readonly deadLetterSourceArn: string | undefined;
}

interface Stored {
  readonly messageId: string;
  readonly body: string;
  readonly md5OfBody: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly sentTimestamp: number;
  readonly maxReceiveCount: number;
  readonly sequenceNumber: string;
  readonly settle: (settlement: Settlement) => void;
  receiveCount: number;
  firstReceiveTimestamp: number;
  receivedAt: number;
  /** Epoch ms from which a receive may return it; Infinity while a consumer holds it. */
  visibleAt: number;
  receiptHandle: string | undefined;
  deadLetterSourceArn: string | undefined;
}

export class SqsQueueError extends Error {
  override name = 'SqsQueueError';
}

// The characters SQS accepts in a message body (anything else: InvalidMessageContents).
const INVALID_BODY_CHAR = /[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
/** SQS allows at most 10 message attributes per message. */
export const MAX_MESSAGE_ATTRIBUTES = 10;

/** Checks a body as SQS's SendMessage does; throws SqsQueueError naming the problem. */
export function checkMessage(body: string, attributes: Readonly<Record<string, string>>): void {
  if (body.length === 0) throw new SqsQueueError('SQS refuses an empty message body (at least 1 character)');
  const bad = INVALID_BODY_CHAR.exec(body);
  if (bad) {
    const code = bad[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
    throw new SqsQueueError(`SQS refuses the message body: character U+${code} at index ${bad.index} is not allowed (InvalidMessageContents)`);
  }
  const names = Object.keys(attributes);
  if (names.length > MAX_MESSAGE_ATTRIBUTES) {
    throw new SqsQueueError(`SQS allows at most ${MAX_MESSAGE_ATTRIBUTES} message attributes, got ${names.length}`);
  }
  for (const name of names) {
    if (!/^[A-Za-z0-9_.-]{1,256}$/.test(name) || name.startsWith('.') || name.endsWith('.') || name.includes('..') || /^(aws\.|amazon\.)/i.test(name)) {
      throw new SqsQueueError(`SQS refuses the message attribute name ${JSON.stringify(name)}`);
    }
    if (attributes[name] === '') throw new SqsQueueError(`SQS refuses the empty value of message attribute ${JSON.stringify(name)}`);
  }
}

export const md5Hex = (data: string | Uint8Array): string => createHash('md5').update(data).digest('hex');

export interface SqsQueueOptions {
  readonly visibilityTimeoutMs: number;
  /** Where the redrive policy moves messages; a queue without one keeps failing messages forever. */
  readonly deadLetterQueue?: SqsQueue;
  readonly now?: () => number;
}

export class SqsQueue {
  readonly arn: string;
  readonly fifo: boolean;
  private readonly messages: Stored[] = [];
  private readonly listeners = new Set<() => void>();
  private readonly now: () => number;
  private sequence = 0n;

  constructor(
    readonly name: string,
    private readonly options: SqsQueueOptions,
  ) {
    this.arn = queueArn(name);
    this.fifo = isFifoQueue(name);
    this.now = options.now ?? Date.now;
  }

  get deadLetterQueue(): SqsQueue | undefined {
    return this.options.deadLetterQueue;
  }

  /** SendMessage: returns the new message id and a promise of how the message leaves this queue. */
  send(init: SendInit): { messageId: string; settled: Promise<Settlement> } {
    checkMessage(init.body, init.attributes);
    let settle!: (settlement: Settlement) => void;
    const settled = new Promise<Settlement>((resolve) => (settle = resolve));
    const messageId = randomUUID();
    this.messages.push({
      messageId,
      body: init.body,
      md5OfBody: md5Hex(init.body),
      attributes: { ...init.attributes },
      sentTimestamp: this.now(),
      maxReceiveCount: init.maxReceiveCount,
      sequenceNumber: String(++this.sequence).padStart(20, '0'),
      settle,
      receiveCount: 0,
      firstReceiveTimestamp: 0,
      receivedAt: 0,
      visibleAt: 0,
      receiptHandle: undefined,
      deadLetterSourceArn: undefined,
    });
    this.notify();
    return { messageId, settled };
  }

  /**
   * ReceiveMessage: up to `max` visible messages, oldest first, each with a fresh receipt handle and its receive
   * count raised. A visible message already received `maxReceiveCount` times moves to the dead-letter queue instead.
   * The consumer holds what it received until it calls `delete` or `release`.
   */
  receive(max: number): ReceivedMessage[] {
    const now = this.now();
    const out: ReceivedMessage[] = [];
    for (let i = 0; i < this.messages.length && out.length < max; ) {
      const m = this.messages[i]!;
      if (m.visibleAt > now) {
        if (this.fifo) break; // one message group: nothing overtakes a message in flight or awaiting retry
        i++;
        continue;
      }
      if (this.options.deadLetterQueue && m.receiveCount >= m.maxReceiveCount) {
        this.messages.splice(i, 1);
        this.options.deadLetterQueue.adopt(m, this.arn);
        m.settle({ outcome: 'dead-lettered', attempts: m.receiveCount });
        continue;
      }
      m.receiveCount++;
      if (m.receiveCount === 1) m.firstReceiveTimestamp = now;
      m.receivedAt = now;
      m.visibleAt = Number.POSITIVE_INFINITY;
      m.receiptHandle = randomBytes(72).toString('base64');
      out.push({
        messageId: m.messageId,
        receiptHandle: m.receiptHandle,
        body: m.body,
        md5OfBody: m.md5OfBody,
        attributes: m.attributes,
        receiveCount: m.receiveCount,
        sentTimestamp: m.sentTimestamp,
        firstReceiveTimestamp: m.firstReceiveTimestamp,
        deadLetterSourceArn: m.deadLetterSourceArn,
        fifo: this.fifo
          ? { groupId: FIFO_GROUP_ID, sequenceNumber: m.sequenceNumber, deduplicationId: createHash('sha256').update(m.body).digest('hex') }
          : undefined,
      });
      i++;
    }
    return out;
  }

  /** DeleteMessage with the receipt handle of the latest receive; false when the handle is stale or unknown. */
  delete(receiptHandle: string): boolean {
    const index = this.messages.findIndex((m) => m.receiptHandle === receiptHandle);
    if (index < 0) return false;
    const [m] = this.messages.splice(index, 1);
    m!.settle({ outcome: 'acked', attempts: m!.receiveCount });
    this.notify();
    return true;
  }

  /** The consumer is done with a message it did not delete: it reappears when its visibility timeout ends. */
  release(receiptHandle: string): void {
    const m = this.messages.find((x) => x.receiptHandle === receiptHandle);
    if (!m) return;
    m.visibleAt = Math.max(m.receivedAt + this.options.visibilityTimeoutMs, this.now());
    this.notify();
  }

  /** When the next hidden message becomes visible (undefined when none waits; Infinity when all are held). */
  nextVisibleAt(): number | undefined {
    let next: number | undefined;
    for (const m of this.messages) if (next === undefined || m.visibleAt < next) next = m.visibleAt;
    return next;
  }

  /** Messages in the queue, visible or not. */
  get depth(): number {
    return this.messages.length;
  }

  /** The messages as they sit in the queue (for dead-letter inspection). */
  peek(): QueuedMessage[] {
    return this.messages.map((m) => ({
      messageId: m.messageId,
      body: m.body,
      attributes: m.attributes,
      receiveCount: m.receiveCount,
      sentTimestamp: m.sentTimestamp,
      deadLetterSourceArn: m.deadLetterSourceArn,
    }));
  }

  /** Calls `listener` whenever messages may have become receivable; returns the unsubscribe function. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** A message moved here by a redrive policy: same id, body and attributes, visible at once. */
  private adopt(m: Stored, sourceArn: string): void {
    this.messages.push({
      ...m,
      settle: () => {},
      visibleAt: 0,
      receiptHandle: undefined,
      deadLetterSourceArn: sourceArn,
    });
    this.notify();
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }
}
