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
  publishedAt?: Date | undefined;
  source: string;
}

class ReceivedMessage implements Message {
  readonly id: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly deliveryCount: number;
  readonly publishedAt?: Date;
  readonly source: string;
  #body: Uint8Array | undefined;
  #text: string | undefined;

  constructor(init: MessageInit) {
    this.id = init.id;
    if (typeof init.body === 'string') this.#text = init.body;
    else this.#body = init.body;
    this.attributes = init.attributes ?? {};
    this.deliveryCount = init.deliveryCount ?? 1;
    if (init.publishedAt) this.publishedAt = init.publishedAt;
    this.source = init.source;
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
