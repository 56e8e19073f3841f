import { utf8Decode } from './body.js';
import { PayloadError } from './errors.js';
import type { Message } from './types.js';

export interface MessageInit {
  id: string;
  body: Uint8Array;
  attributes?: Record<string, string>;
  deliveryCount?: number;
  publishedAt?: Date | undefined;
  source: string;
}

class ReceivedMessage implements Message {
  readonly id: string;
  readonly body: Uint8Array;
  readonly attributes: Readonly<Record<string, string>>;
  readonly deliveryCount: number;
  readonly publishedAt?: Date;
  readonly source: string;
  #text: string | undefined;

  constructor(init: MessageInit) {
    this.id = init.id;
    this.body = init.body;
    this.attributes = init.attributes ?? {};
    this.deliveryCount = init.deliveryCount ?? 1;
    if (init.publishedAt) this.publishedAt = init.publishedAt;
    this.source = init.source;
  }

  text(): string {
    return (this.#text ??= utf8Decode(this.body));
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
