import { describe, expect, it } from 'vitest';
import { utf8Encode } from './body.js';
import { PayloadError } from './errors.js';
import { createMessage } from './message.js';

describe('Message', () => {
  it('json() parses a JSON body', () => {
    expect(createMessage({ id: '1', body: utf8Encode('{"a":1}'), source: 'q' }).json()).toEqual({ a: 1 });
  });
  it('json() on a non-JSON body names the message, the source and the way out', () => {
    const msg = createMessage({ id: 'm-7', body: utf8Encode('not json'), source: 'orders' });
    expect(() => msg.json()).toThrow(PayloadError);
    expect(() => msg.json()).toThrow(/m-7.*orders.*msg\.text\(\)/);
  });
  it('deliveryCount defaults to 1', () => {
    expect(createMessage({ id: '1', body: new Uint8Array(), source: 'q' }).deliveryCount).toBe(1);
  });
  it('takes text as the body: text() returns it as is, body is its exact UTF-8 bytes', () => {
    const msg = createMessage({ id: '1', body: 'héllo ✓ 😀', source: 'q' });
    expect(msg.text()).toBe('héllo ✓ 😀');
    expect(msg.body).toEqual(utf8Encode('héllo ✓ 😀'));
    expect(msg.body).toBe(msg.body);
    expect(createMessage({ id: '2', body: '{"a":1}', source: 'q' }).json()).toEqual({ a: 1 });
  });
  it('publishedAt from epoch milliseconds (a number or its decimal text) is a Date made once, on first read', () => {
    const msg = createMessage({ id: '1', body: '', source: 'q', publishedAt: 1545082649183 });
    expect(msg.publishedAt).toEqual(new Date(1545082649183));
    expect(msg.publishedAt).toBe(msg.publishedAt);
    expect(createMessage({ id: '1', body: '', source: 'q' }).publishedAt).toBeUndefined();
    expect(createMessage({ id: '1', body: '', source: 'q', publishedAt: '1545082649183' }).publishedAt).toEqual(new Date(1545082649183));
    const date = new Date(0);
    expect(createMessage({ id: '1', body: '', source: 'q', publishedAt: date }).publishedAt).toBe(date);
  });
  it('serialises to JSON with its fields, publishedAt included when known', () => {
    const msg = createMessage({ id: '1', body: 'x', source: 'q', publishedAt: 0, attributes: { a: 'b' } });
    expect(JSON.parse(JSON.stringify(msg))).toEqual({ id: '1', attributes: { a: 'b' }, deliveryCount: 1, publishedAt: '1970-01-01T00:00:00.000Z', source: 'q' });
    expect(Object.keys(JSON.parse(JSON.stringify(createMessage({ id: '1', body: 'x', source: 'q' }))))).toEqual(['id', 'attributes', 'deliveryCount', 'source']);
  });
});
