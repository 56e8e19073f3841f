/** The stored body of a light Request or Response: a string or bytes, read once, without streams. */
import { utf8Decode, utf8Encode } from '../body.js';

export const BODY_UNUSABLE = 'Body is unusable: Body has already been read';

export class StoredBody {
  /** Set once a reading method took the body (the Fetch "disturbed" state). */
  used = false;

  /**
   * @param text the body as given, when it was a string
   * @param bytes the body bytes, owned by this object (a caller's bytes are copied before they get here)
   * @param shared true when a clone holds the same bytes: then readers get copies
   * @param exact the text is known to survive UTF-8 unchanged (JSON.stringify output always does)
   */
  constructor(
    readonly text: string | undefined,
    readonly bytes: Uint8Array | undefined,
    private shared = false,
    private readonly exact = false,
  ) {}

  /** Marks the body read; TypeError like undici when it already was. */
  take(): void {
    if (this.used) throw new TypeError(BODY_UNUSABLE);
    this.used = true;
  }

  /** UTF-8 decode as Fetch does it: a leading BOM is dropped and lone surrogates become U+FFFD. */
  readText(): string {
    const text = this.text;
    if (text === undefined) return utf8Decode(this.bytes!);
    // Stryker disable next-line ConditionalExpression: re-encoding a well-formed text without BOM gives it back unchanged
    if (text.charCodeAt(0) === 0xfeff || !(text as string & { isWellFormed(): boolean }).isWellFormed()) return utf8Decode(utf8Encode(text));
    return text;
  }

  /** The text, when given as a string that UTF-8 encoding keeps as it is (no BOM to drop, no lone surrogate). */
  exactText(): string | undefined {
    const text = this.text;
    // Stryker disable next-line ConditionalExpression: exact only skips the check below, which exact text (JSON.stringify output) always passes
    if (this.exact) return text;
    if (text === undefined || text.charCodeAt(0) === 0xfeff || !(text as string & { isWellFormed(): boolean }).isWellFormed()) return undefined;
    return text;
  }

  /** Bytes the caller may keep and change. */
  readBytes(): Uint8Array {
    if (this.text !== undefined) return utf8Encode(this.text);
    return this.shared ? new Uint8Array(this.bytes!) : this.bytes!;
  }

  readArrayBuffer(): ArrayBuffer {
    const bytes = this.readBytes();
    // A view on part of a buffer (Node's pooled small Buffers) must not expose the rest of it.
    // Stryker disable next-line ConditionalExpression: a view at an offset above 0 never spans its whole buffer, so the length test alone decides
    if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength) return bytes.buffer as ArrayBuffer;
    return new Uint8Array(bytes).buffer as ArrayBuffer; // not bytes.slice(): on a Buffer that is a view
  }

  /** Bytes for readResponse: not handed to user code, so no copy. */
  peekBytes(): Uint8Array {
    return this.text !== undefined ? utf8Encode(this.text) : this.bytes!;
  }

  /**
   * What a real Request/Response is built from when a handler needs one: always bytes, since a string would
   * make undici imply a text/plain content type the light object's headers may not have.
   */
  init(): Uint8Array<ArrayBuffer> {
    return (this.text !== undefined ? utf8Encode(this.text) : new Uint8Array(this.bytes!)) as Uint8Array<ArrayBuffer>;
  }

  /** A second body over the same bytes (Request/Response clone); both then copy on read. */
  share(): StoredBody {
    this.shared = true;
    return new StoredBody(this.text, this.bytes, true, this.exact);
  }
}

// The reading methods LightRequest and LightResponse share: take the body once (TypeError when it was
// taken), then read it. No body reads as empty, as in Fetch.

export function takeText(body: StoredBody | undefined): string {
  if (!body) return '';
  body.take();
  return body.readText();
}

export function takeArrayBuffer(body: StoredBody | undefined): ArrayBuffer {
  // A fresh buffer every call: the caller may transfer or detach it, so one shared empty buffer would break
  // the next reader. `new ArrayBuffer(0)` is the cheapest fresh one on Node 20 (about 350 ns here: a C++
  // builtin in V8 11.3; `new Uint8Array(0).buffer` and `.slice(0)` of a kept one cost as much or more).
  // Native handlers' `Buffer.alloc(0)` is cheaper because it is a Uint8Array, not an ArrayBuffer.
  if (!body) return new ArrayBuffer(0);
  body.take();
  return body.readArrayBuffer();
}

/** Copies a BufferSource into bytes the body owns (Fetch copies at construction, so later writes do not leak in). */
export function copyBytes(source: ArrayBuffer | ArrayBufferView): Uint8Array {
  if (source instanceof ArrayBuffer) return new Uint8Array(source.slice(0));
  const view = new Uint8Array(source.buffer, source.byteOffset, source.byteLength);
  return new Uint8Array(view); // a typed-array argument is copied element by element
}
