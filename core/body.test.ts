import { describe, expect, it } from 'vitest';
import {
  base64ToBytes,
  bytesToBase64,
  EMPTY_BYTES,
  hasNonLatin1,
  isBase64,
  isTextContentType,
  utf8AsLatin1,
  utf8Decode,
  utf8Encode,
} from './body.js';

describe('base64 without the atob trap', () => {
  it('decodes to the exact bytes, including those that are not UTF-8', () => {
    expect([...base64ToBytes('AP+A/w==')]).toEqual([0x00, 0xff, 0x80, 0xff]);
    expect(base64ToBytes('')).toEqual(new Uint8Array(0));
  });
  it('encodes only the bytes of the view, not the rest of its buffer', () => {
    const buffer = new Uint8Array([1, 2, 0xfb, 0xff, 5]);
    expect(bytesToBase64(buffer.subarray(2, 4))).toBe('+/8=');
    expect(bytesToBase64(EMPTY_BYTES)).toBe('');
  });
  it('round-trips every byte value', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect(base64ToBytes(bytesToBase64(all))).toEqual(all);
  });
});

describe('isBase64', () => {
  it.each(['', 'AAAA', 'ab+/', 'YQ==', 'YWI=', 'Zm9vYmFy'])('accepts %j', (text) => {
    expect(isBase64(text)).toBe(true);
  });
  it.each(['A', 'AAA', 'AAAAA', 'YQ=', 'Y===', 'ab-_', 'ab c', 'YQ==YQ==', ' YQ=', '=AAA'])('refuses %j', (text) => {
    expect(isBase64(text)).toBe(false);
  });
});

describe('isTextContentType: which bodies travel as UTF-8 strings', () => {
  it.each([
    'text/plain',
    'TEXT/HTML; charset=utf-8',
    ' text/csv ',
    'application/json',
    'application/json; charset=utf-8',
    'application/problem+json',
    'application/atom+xml',
    'application/ld+json',
    'application/xml',
    'application/javascript',
    'application/ecmascript',
    'application/x-www-form-urlencoded',
    'application/graphql',
    'application/x-ndjson',
    'application/yaml',
    'application/x-yaml',
    'image/svg+xml',
  ])('%j is text', (type) => {
    expect(isTextContentType(type)).toBe(true);
  });
  it.each([undefined, null, '', 'application/octet-stream', 'image/png', 'application/pdf', 'application/jsonx', 'xtext/plain', 'application/x-json+other'])(
    '%j is not text',
    (type) => {
      expect(isTextContentType(type)).toBe(false);
    },
  );
  it('looks only at the media type, not at parameters that merely mention a text type', () => {
    expect(isTextContentType('application/octet-stream; x=text/plain')).toBe(false);
  });
});

describe('Latin-1 helpers for header values', () => {
  it('hasNonLatin1 finds a character above U+00FF anywhere, and only those', () => {
    expect(hasNonLatin1('')).toBe(false);
    expect(hasNonLatin1('caf\u00e9 \u00ff')).toBe(false);
    expect(hasNonLatin1('\u0100')).toBe(true);
    expect(hasNonLatin1('abc\u0100')).toBe(true);
    expect(hasNonLatin1('Srīperumbūdūr')).toBe(true);
  });
  it('utf8AsLatin1 gives one character per UTF-8 byte, which decodes back to the text', () => {
    expect(utf8AsLatin1('é')).toBe('\u00c3\u00a9');
    expect(utf8AsLatin1('plain')).toBe('plain');
    expect(Buffer.from(utf8AsLatin1('Srīperumbūdūr 🙂'), 'latin1').toString('utf8')).toBe('Srīperumbūdūr 🙂');
  });
  it('utf8Encode and utf8Decode are UTF-8', () => {
    expect([...utf8Encode('é')]).toEqual([0xc3, 0xa9]);
    expect(utf8Decode(new Uint8Array([0xc3, 0xa9]))).toBe('é');
  });
});
