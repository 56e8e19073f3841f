import { describe, expect, it } from 'vitest';
import { utf8Encode } from './body.js';
import { PayloadError } from './errors.js';
import { createMessage, isDeliveryCount, newAttributes, NO_ATTRIBUTES } from './message.js';

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

describe('Message details', () => {
  it('keeps id, attributes, delivery count and source as given', () => {
    const attributes = { a: 'b' };
    const msg = createMessage({ id: 'm', body: '', source: 's', attributes, deliveryCount: 3 });
    expect([msg.id, msg.attributes, msg.deliveryCount, msg.source]).toEqual(['m', { a: 'b' }, 3, 's']);
  });
  it('without attributes shares one frozen, prototype-free empty map', () => {
    const a = createMessage({ id: '1', body: '', source: 'q' });
    const b = createMessage({ id: '2', body: '', source: 'q' });
    expect(a.attributes).toBe(NO_ATTRIBUTES);
    expect(b.attributes).toBe(a.attributes);
    expect(Object.isFrozen(NO_ATTRIBUTES)).toBe(true);
    expect(Object.getPrototypeOf(NO_ATTRIBUTES)).toBeNull();
    expect(Object.keys(NO_ATTRIBUTES)).toEqual([]);
  });
  it('newAttributes makes a map where "__proto__" and "toString" are plain keys', () => {
    const map = newAttributes();
    expect(map.toString).toBeUndefined();
    map['__proto__'] = 'x';
    expect(Object.keys(map)).toEqual(['__proto__']);
    expect(Object.isFrozen(map)).toBe(false);
  });
  it('publishedAt is absent rather than an Invalid Date when the timestamp is not a number', () => {
    expect(createMessage({ id: '1', body: '', source: 'q', publishedAt: 'soon' }).publishedAt).toBeUndefined();
    expect(createMessage({ id: '1', body: '', source: 'q', publishedAt: new Date(Number.NaN) }).publishedAt).toBeUndefined();
    expect(Object.keys(JSON.parse(JSON.stringify(createMessage({ id: '1', body: '', source: 'q', publishedAt: 'soon' }))))).not.toContain('publishedAt');
  });
  it('a bytes body reads back as bytes and as its UTF-8 text', () => {
    const bytes = utf8Encode('héllo');
    const msg = createMessage({ id: '1', body: bytes, source: 'q' });
    expect(msg.body).toBe(bytes);
    expect(msg.text()).toBe('héllo');
    expect(msg.text()).toBe(msg.text());
  });
  it('json() error quotes at most 60 characters of the body, with an ellipsis when cut, and keeps the parse error as cause', () => {
    const long = createMessage({ id: 'm', body: 'y'.repeat(61), source: 'q' });
    expect(() => long.json()).toThrow(`body starts: "${'y'.repeat(60)}…"`);
    const exact = createMessage({ id: 'm', body: 'z'.repeat(60), source: 'q' });
    expect(() => exact.json()).toThrow(`body starts: "${'z'.repeat(60)}".`);
    try {
      exact.json();
    } catch (error) {
      expect((error as Error).cause).toBeInstanceOf(SyntaxError);
      expect((error as Error).message).toContain(`is not valid JSON (${((error as Error).cause as Error).message})`);
      expect((error as Error).message).toMatch(/^faasport: message m from "q" is not valid JSON/);
    }
  });
});

describe('isDeliveryCount', () => {
  it.each([1, 2, 1000])('accepts %s', (n) => expect(isDeliveryCount(n)).toBe(true));
  it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53, '1', undefined])('refuses %s', (n) => expect(isDeliveryCount(n)).toBe(false));
});
