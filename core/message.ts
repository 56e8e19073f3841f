import { utf8Decode, utf8Encode } from './body.js';
import { PayloadError } from './errors.js';
import type { Message } from './types.js';

export interface MessageInit {
  id: string;
  /**
   * The bytes, or the text whose UTF-8 encoding they are (platforms that deliver text, e.g. SQS): then `text()`
   * returns that string as is and the bytes are encoded only if a handler reads `body`.
   */
  body: Uint8Array | string;
  attributes?: Record<string, string>;
  deliveryCount?: number;
  /**
   * A Date, or epoch milliseconds as a number or decimal text (SQS's SentTimestamp): then the Date is made on
   * first read (most handlers never read it).
   */
  publishedAt?: Date | number | string | undefined;
  source: string;
}

/**
 * Message attributes live in maps without a prototype: a key named `__proto__`, `constructor` or `toString`
 * is a key like any other, never the map's prototype or an inherited method.
 */
export const newAttributes = (): Record<string, string> => Object.create(null) as Record<string, string>;

/** Shared by every message without attributes, so that the common case allocates nothing. */
export const NO_ATTRIBUTES: Readonly<Record<string, string>> = /* @__PURE__ */ Object.freeze(newAttributes());

/** A delivery count is a whole number from 1: anything else is not what a platform sends. */
export const isDeliveryCount = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 1;

class ReceivedMessage implements Message {
  readonly id: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly deliveryCount: number;
  readonly source: string;
  #body: Uint8Array | undefined;
  #text: string | undefined;
  #published: Date | number | string | undefined;

  constructor(init: MessageInit) {
    this.id = init.id;
    if (typeof init.body === 'string') this.#text = init.body;
    else this.#body = init.body;
    this.attributes = init.attributes ?? NO_ATTRIBUTES;
    this.deliveryCount = init.deliveryCount ?? 1;
    this.#published = init.publishedAt;
    this.source = init.source;
  }

  /** Absent rather than an Invalid Date when the platform's timestamp is not one. */
  get publishedAt(): Date | undefined {
    let published = this.#published;
    if (published === undefined) return undefined; // (a speed-up: new Date(NaN) is invalid and answers undefined too)
    if (!(published instanceof Date)) published = this.#published = new Date(Number(published));
    return Number.isNaN(published.getTime()) ? undefined : published;
  }

  /** What JSON.stringify gave when publishedAt was a plain property: the same keys, in the same order. */
  toJSON(): object {
    const { id, attributes, deliveryCount, publishedAt, source } = this;
    // (JSON.stringify would drop an undefined publishedAt anyway: the branch only spares the key.)
    return publishedAt === undefined ? { id, attributes, deliveryCount, source } : { id, attributes, deliveryCount, publishedAt, source };
  }

  get body(): Uint8Array {
    return (this.#body ??= utf8Encode(this.#text!));
  }

  text(): string {
    return (this.#text ??= utf8Decode(this.#body!));
  }

  json<T = unknown>(): T {
    const text = this.text();
    try {
      return JSON.parse(text) as T;
    } catch (cause) {
      const preview = text.length > 60 ? `${text.slice(0, 60)}…` : text;
      throw new PayloadError(
        `faasport: message ${this.id} from "${this.source}" is not valid JSON (${(cause as Error).message}); body starts: ${JSON.stringify(preview)}. Use msg.text() or msg.body for non-JSON payloads.`,
        { cause },
      );
    }
  }
}

export const createMessage = (init: MessageInit): Message => new ReceivedMessage(init);
