import { describe, expect, it } from 'vitest';
import { copyBytes, StoredBody, takeArrayBuffer, takeText } from './body.js';

describe('StoredBody', () => {
  it('a body over the start of a larger buffer hands out only its own bytes', () => {
    const view = new Uint8Array(new ArrayBuffer(8), 0, 3);
    view.set([1, 2, 3]);
    const buffer = new StoredBody(undefined, view).readArrayBuffer();
    expect(buffer.byteLength).toBe(3);
    expect([...new Uint8Array(buffer)]).toEqual([1, 2, 3]);
  });
  it('a body that is a whole buffer hands out that buffer, unshared', () => {
    const bytes = new Uint8Array([4, 5]);
    expect(new StoredBody(undefined, bytes).readArrayBuffer()).toBe(bytes.buffer);
  });
  it('once shared, each read gets its own copy, in the clone and in the original', () => {
    const body = new StoredBody(undefined, new Uint8Array([1, 2]));
    const clone = body.share();
    new Uint8Array(clone.readArrayBuffer())[0] = 9;
    new Uint8Array(body.readArrayBuffer())[1] = 9;
    expect([...clone.readBytes()]).toEqual([1, 2]);
    expect([...body.readBytes()]).toEqual([1, 2]);
  });
  it('peekBytes gives the stored bytes, or the UTF-8 of the stored text', () => {
    const bytes = new Uint8Array([1, 2]);
    expect(new StoredBody(undefined, bytes).peekBytes()).toBe(bytes);
    expect([...new StoredBody('é', undefined).peekBytes()]).toEqual([0xc3, 0xa9]);
  });
  it('readText drops a leading BOM and replaces a lone surrogate, and keeps other text as it is', () => {
    expect(new StoredBody('\ufeffa', undefined).readText()).toBe('a');
    expect(new StoredBody('a\ud800', undefined).readText()).toBe('a\ufffd');
    expect(new StoredBody('plain é', undefined).readText()).toBe('plain é');
    expect(new StoredBody(undefined, new Uint8Array([0xc3, 0xa9])).readText()).toBe('é');
  });
  it('exactText is the text only when UTF-8 keeps it unchanged', () => {
    expect(new StoredBody('ok', undefined).exactText()).toBe('ok');
    expect(new StoredBody('\ufeffa', undefined).exactText()).toBeUndefined();
    expect(new StoredBody('a\ud800', undefined).exactText()).toBeUndefined();
    expect(new StoredBody(undefined, new Uint8Array([1])).exactText()).toBeUndefined();
    expect(new StoredBody('"json"', undefined, false, true).exactText()).toBe('"json"');
  });
  it('init gives fresh bytes, never the stored ones', () => {
    const bytes = new Uint8Array([1]);
    const init = new StoredBody(undefined, bytes).init();
    expect(init).not.toBe(bytes);
    expect([...init]).toEqual([1]);
    expect([...new StoredBody('é', undefined).init()]).toEqual([0xc3, 0xa9]);
  });
  it('is taken once: the second take throws the Fetch TypeError', () => {
    const body = new StoredBody('x', undefined);
    expect(takeText(body)).toBe('x');
    expect(body.used).toBe(true);
    expect(() => takeText(body)).toThrow(new TypeError('Body is unusable: Body has already been read'));
    expect(() => takeArrayBuffer(body)).toThrow(TypeError);
  });
  it('no body reads as empty', () => {
    expect(takeText(undefined)).toBe('');
    expect(takeArrayBuffer(undefined).byteLength).toBe(0);
  });
});

describe('copyBytes', () => {
  it('copies an ArrayBuffer, and the viewed part of a view, so later writes do not leak in', () => {
    const buffer = new ArrayBuffer(3);
    const fromBuffer = copyBytes(buffer);
    new Uint8Array(buffer)[0] = 7;
    expect([...fromBuffer]).toEqual([0, 0, 0]);
    const source = new Uint8Array([1, 2, 3, 4]);
    const fromView = copyBytes(new DataView(source.buffer, 1, 2));
    source[1] = 9;
    expect([...fromView]).toEqual([2, 3]);
  });
});
