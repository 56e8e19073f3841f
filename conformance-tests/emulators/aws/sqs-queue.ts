/**
 * An in-memory SQS queue with the semantics an event source mapping relies on: message ids, receipt handles,
 * receive counts, a visibility timeout, deletion by receipt handle, a redrive policy that moves a message to its
 * dead-letter queue when a receive would take its receive count past `maxReceiveCount`, and FIFO ordering and
 * deduplication.
 *
 * Visibility (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-visibility-timeout.html):
 * a received message is hidden for the queue's visibility timeout, counted from its receive. When the consumer
 * still holds it then (a slow invocation), it becomes visible and is received again: a real duplicate, with a new
 * receipt handle. A delete with an older receipt handle does not delete it ("the request succeeds, but the message
 * might not be deleted": we take the unfriendly branch), but counts as a successful handling.
 * Failed messages: SQS shows them again when their visibility timeout ends (180 s for a 30 s function with the
 * template's 6x). The emulator shortens that wait to `failedVisibilityTimeoutMs` (see deliver.ts), a documented
 * difference; the visibility of messages still held is never shortened.
 *
 * FIFO queues (name ends with `.fifo`): within a message group nothing overtakes a message that is in flight or
 * waiting to be retried; messages carry a deduplication id (given, or the SHA-256 of the body with content-based
 * deduplication on), and a send with an id seen in the last 5 minutes is accepted but not delivered
 * (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/FIFO-key-terms.html).
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
  /** Receives (ApproximateReceiveCount) up to the outcome, duplicates left out; 0 for a deduplicated send. */
  readonly attempts: number;
  /** Deliveries of the message after one had already handled it successfully. */
  readonly duplicates: number;
}

export interface SendInit {
  readonly body: string;
  /** String message attributes. */
  readonly attributes: Readonly<Record<string, string>>;
  /** Redrive policy: receives before the message moves to the dead-letter queue. */
  readonly maxReceiveCount: number;
  /** FIFO only: the message group (default FIFO_GROUP_ID). */
  readonly groupId?: string;
  /** FIFO only: overrides the content-based deduplication id. */
  readonly deduplicationId?: string;
  /** Asked once, when the message is first handled successfully: true delivers it once more (at-least-once). */
  readonly duplicate?: () => boolean;
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
  readonly groupId: string;
  readonly deduplicationId: string;
  readonly settle: (settlement: Settlement) => void;
  readonly duplicate: (() => boolean) | undefined;
  receiveCount: number;
  firstReceiveTimestamp: number;
  receivedAt: number;
  /** Epoch ms from which a receive may return it. */
  visibleAt: number;
  /** The receipt handle of the latest receive (undefined while nobody holds it). */
  receiptHandle: string | undefined;
  /** Handles of earlier receives: a delete with one of them deletes nothing. */
  readonly staleHandles: Set<string>;
  /** Handles of receives whose consumer has not reported yet (neither deleted nor released). */
  readonly outstanding: Set<string>;
  /** Successful handlings (deletes, stale ones included). */
  successes: number;
  /** Whether the at-least-once decision was taken. */
  duplicateDecided: boolean;
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
  /** The queue's VisibilityTimeout: how long a received message stays hidden while its consumer holds it. */
  readonly visibilityTimeoutMs: number;
  /** How long a message the consumer gave back (failed) stays hidden from its receive (default: the visibility timeout). */
  readonly failedVisibilityTimeoutMs?: number;
  /** FIFO queues: derive the deduplication id from the body when a send gives none. */
  readonly contentBasedDeduplication?: boolean;
  /** Where the redrive policy moves messages; a queue without one keeps failing messages forever. */
  readonly deadLetterQueue?: SqsQueue;
  readonly now?: () => number;
}

export interface ReceiveOptions {
  /** How many of the `available` messages this receive returns (1..available); default all. */
  readonly pick?: (available: number) => number;
  /** Stops before a message that would take the sum of `sizeOf` past this many bytes, and calls `onFull`. */
  readonly maxBytes?: number;
  readonly sizeOf?: (message: { readonly body: string; readonly attributes: Readonly<Record<string, string>> }) => number;
  readonly onFull?: () => void;
}

/** SQS keeps deduplication ids of a FIFO queue for 5 minutes. */
export const DEDUPLICATION_INTERVAL_MS = 5 * 60_000;

export class SqsQueue {
  readonly arn: string;
  readonly fifo: boolean;
  private readonly messages: Stored[] = [];
  private readonly listeners = new Set<() => void>();
  private readonly now: () => number;
  /** FIFO: deduplication id -> when it was first sent and the message id it got. */
  private readonly recentIds = new Map<string, { at: number; messageId: string }>();
  /**
   * Deleted messages that an older receive still holds (a slow invocation past the visibility timeout): they
   * settle once that consumer reports too, so its success counts as the duplicate it is.
   */
  private readonly departed = new Map<string, Stored>();
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

  /**
   * SendMessage: returns the message id and a promise of how the message leaves this queue. On a FIFO queue a send
   * whose deduplication id was seen in the last 5 minutes is accepted but not delivered: it settles at once,
   * acked after 0 attempts, with the first message's id.
   */
  send(init: SendInit): { messageId: string; settled: Promise<Settlement>; deduplicated: boolean } {
    checkMessage(init.body, init.attributes);
    const now = this.now();
    // Stryker disable next-line StringLiteral: a FIFO send always sets it, and only a FIFO queue (whose dead-letter queue is FIFO too) reports it
    let deduplicationId = '';
    if (this.fifo) {
      deduplicationId = init.deduplicationId ?? (this.options.contentBasedDeduplication ? createHash('sha256').update(init.body).digest('hex') : '');
      if (deduplicationId === '') {
        throw new SqsQueueError(
          `SQS refuses a message without a MessageDeduplicationId on FIFO queue ${this.name}, whose ContentBasedDeduplication is off`,
        );
      }
      for (const [id, seen] of this.recentIds) if (now - seen.at >= DEDUPLICATION_INTERVAL_MS) this.recentIds.delete(id);
      const seen = this.recentIds.get(deduplicationId);
      if (seen) return { messageId: seen.messageId, settled: Promise.resolve({ outcome: 'acked', attempts: 0, duplicates: 0 }), deduplicated: true };
    } else if (init.deduplicationId !== undefined || init.groupId !== undefined) {
      throw new SqsQueueError(`SQS takes a deduplication id and a message group only on FIFO queues (${this.name} is standard)`);
    }
    let settle!: (settlement: Settlement) => void;
    const settled = new Promise<Settlement>((resolve) => (settle = resolve));
    const messageId = randomUUID();
    // Stryker disable next-line ConditionalExpression: only the FIFO branch of send reads recentIds, so recording ids on a standard queue changes nothing
    if (this.fifo) this.recentIds.set(deduplicationId, { at: now, messageId });
    this.messages.push({
      messageId,
      body: init.body,
      md5OfBody: md5Hex(init.body),
      attributes: { ...init.attributes },
      sentTimestamp: now,
      maxReceiveCount: init.maxReceiveCount,
      sequenceNumber: String(++this.sequence).padStart(20, '0'),
      groupId: init.groupId ?? FIFO_GROUP_ID,
      deduplicationId,
      settle,
      duplicate: init.duplicate,
      receiveCount: 0,
      firstReceiveTimestamp: 0,
      receivedAt: 0,
      visibleAt: 0,
      receiptHandle: undefined,
      staleHandles: new Set(),
      outstanding: new Set(),
      successes: 0,
      duplicateDecided: false,
      deadLetterSourceArn: undefined,
    });
    this.notify();
    return { messageId, settled, deduplicated: false };
  }

  /**
   * ReceiveMessage: visible messages, oldest first (at most `max`, and `options.pick` of those available), each
   * with a fresh receipt handle and its receive count raised, hidden for the visibility timeout. A visible message
   * already received `maxReceiveCount` times moves to the dead-letter queue instead. On a FIFO queue a message group
   * is blocked from its first message that is not visible.
   */
  receive(max: number, options: ReceiveOptions = {}): ReceivedMessage[] {
    const now = this.now();
    const available: Stored[] = [];
    const blockedGroups = new Set<string>();
    for (let i = 0; i < this.messages.length && available.length < max; ) {
      const m = this.messages[i]!;
      if (this.fifo && blockedGroups.has(m.groupId)) {
        i++;
        continue;
      }
      if (m.visibleAt > now) {
        // Stryker disable next-line ConditionalExpression: only a FIFO queue reads blockedGroups (the check above), so blocking on a standard queue changes nothing
        if (this.fifo) blockedGroups.add(m.groupId); // nothing of the group overtakes a message in flight or awaiting retry
        i++;
        continue;
      }
      // Receives that ended in success do not count: a duplicate copy of a handled message is delivered.
      if (this.options.deadLetterQueue && m.receiveCount - m.successes >= m.maxReceiveCount) {
        this.messages.splice(i, 1);
        this.options.deadLetterQueue.adopt(m, this.arn);
        m.settle({ outcome: 'dead-lettered', ...this.counts(m) });
        continue;
      }
      available.push(m);
      i++;
    }
    const wanted = available.length === 0 || !options.pick ? available.length : Math.min(available.length, Math.max(1, options.pick(available.length)));
    const out: ReceivedMessage[] = [];
    let bytes = 0;
    for (const m of available.slice(0, wanted)) {
      if (options.maxBytes !== undefined && options.sizeOf) {
        bytes += options.sizeOf(m);
        if (bytes > options.maxBytes) {
          options.onFull?.();
          break;
        }
      }
      // Stryker disable next-line ConditionalExpression: receipt handles are strings, so an undefined entry in staleHandles is never looked up
      if (m.receiptHandle !== undefined) m.staleHandles.add(m.receiptHandle);
      m.receiveCount++;
      if (m.receiveCount === 1) m.firstReceiveTimestamp = now;
      m.receivedAt = now;
      m.visibleAt = now + this.options.visibilityTimeoutMs;
      m.receiptHandle = randomBytes(72).toString('base64');
      m.outstanding.add(m.receiptHandle);
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
        fifo: this.fifo ? { groupId: m.groupId, sequenceNumber: m.sequenceNumber, deduplicationId: m.deduplicationId } : undefined,
      });
    }
    return out;
  }

  /**
   * DeleteMessage after a successful handling. With the latest receipt handle the message leaves the queue (unless
   * the at-least-once decision keeps it for one more delivery, visible at once); with an older one nothing is
   * deleted, since the message was received again meanwhile. Returns whether the message was deleted.
   */
  delete(receiptHandle: string): boolean {
    const gone = this.departed.get(receiptHandle);
    if (gone) {
      gone.successes++;
      this.reported(gone, receiptHandle);
      return false;
    }
    const index = this.messages.findIndex((m) => m.receiptHandle === receiptHandle || m.staleHandles.has(receiptHandle));
    if (index < 0) return false;
    const m = this.messages[index]!;
    m.outstanding.delete(receiptHandle);
    m.successes++;
    const stale = m.receiptHandle !== receiptHandle;
    if (!m.duplicateDecided) {
      m.duplicateDecided = true;
      // A stale handle means a second delivery is already under way: that is this message's duplicate.
      if (!stale && m.duplicate?.()) {
        m.staleHandles.add(receiptHandle);
        m.receiptHandle = undefined;
        m.visibleAt = this.now();
        this.notify();
        return false;
      }
    }
    if (stale) return false;
    this.messages.splice(index, 1);
    if (m.outstanding.size === 0) m.settle({ outcome: 'acked', ...this.counts(m) });
    else for (const handle of m.outstanding) this.departed.set(handle, m);
    this.notify();
    return true;
  }

  /** A consumer of a deleted message reported: settle it when it was the last one. */
  private reported(m: Stored, receiptHandle: string): void {
    this.departed.delete(receiptHandle);
    m.outstanding.delete(receiptHandle);
    if (m.outstanding.size === 0) m.settle({ outcome: 'acked', ...this.counts(m) });
  }

  /** The consumer failed a message: it reappears when its (failure) visibility timeout from the receive ends. */
  release(receiptHandle: string): void {
    const gone = this.departed.get(receiptHandle);
    if (gone) return this.reported(gone, receiptHandle);
    for (const x of this.messages) x.outstanding.delete(receiptHandle);
    const m = this.messages.find((x) => x.receiptHandle === receiptHandle);
    if (!m) return; // an older receive: the message is already visible again or held by a newer one
    const hidden = this.options.failedVisibilityTimeoutMs ?? this.options.visibilityTimeoutMs;
    m.visibleAt = Math.max(m.receivedAt + Math.min(hidden, this.options.visibilityTimeoutMs), this.now());
    this.notify();
  }

  /** When the next hidden message becomes visible (undefined when the queue is empty). */
  nextVisibleAt(): number | undefined {
    let next: number | undefined;
    // Stryker disable next-line EqualityOperator: with <= an equal time replaces an equal time, the same answer
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

  /** Deliveries split into attempts and duplicates (successful handlings after the first). */
  private counts(m: Stored): { attempts: number; duplicates: number } {
    const duplicates = Math.max(0, m.successes - 1);
    return { attempts: m.receiveCount - duplicates, duplicates };
  }

  /** A message moved here by a redrive policy: same id, body and attributes, visible at once. */
  private adopt(m: Stored, sourceArn: string): void {
    this.messages.push({
      ...m,
      settle: () => {},
      duplicate: undefined,
      visibleAt: 0,
      receiptHandle: undefined,
      staleHandles: new Set(),
      outstanding: new Set(),
      deadLetterSourceArn: sourceArn,
    });
    this.notify();
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }
}
