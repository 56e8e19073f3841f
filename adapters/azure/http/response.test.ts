import { describe, expect, it } from 'vitest';
import { toHttpResponseInit } from './response.js';

const bytes = new Uint8Array([104, 105]);

describe('toHttpResponseInit', () => {
  it('sets no cookies key when the response has no Set-Cookie', () => {
    expect(toHttpResponseInit({ status: 200, headers: {}, cookies: [], body: bytes })).toStrictEqual({ status: 200, headers: {}, body: bytes });
  });

  it('drops a Set-Cookie without a name, also when no one is told', () => {
    expect(toHttpResponseInit({ status: 200, headers: {}, cookies: ['=x', 'a=1'], body: undefined })).toStrictEqual({
      status: 200, headers: {}, cookies: [{ name: 'a', value: '1' }],
    });
  });

  it('sends the text only when the content type is set, else the bytes', () => {
    expect(toHttpResponseInit({ status: 200, headers: { 'content-type': 'text/plain' }, cookies: [], body: bytes, text: 'hi' }).body).toBe('hi');
    expect(toHttpResponseInit({ status: 200, headers: {}, cookies: [], body: bytes, text: 'hi' }).body).toBe(bytes);
  });

  it('sets no body key without a body', () => {
    expect(toHttpResponseInit({ status: 204, headers: {}, cookies: [], body: undefined })).toStrictEqual({ status: 204, headers: {} });
  });
});
