import { describe, expect, it } from 'vitest';
import { escapeDataString, hostSafeValue, parseSetCookie } from './cookies.js';

describe('parseSetCookie', () => {
  it('reads every attribute the Azure worker protocol carries', () => {
    expect(
      parseSetCookie('id=a3fWa; Expires=Wed, 21 Oct 2015 07:28:00 GMT; Max-Age=600; Domain=example.com; Path=/docs; Secure; HttpOnly; SameSite=Strict'),
    ).toEqual({
      name: 'id',
      value: 'a3fWa',
      expires: new Date('2015-10-21T07:28:00Z'),
      maxAge: 600,
      domain: 'example.com',
      path: '/docs',
      secure: true,
      httpOnly: true,
      sameSite: 'Strict',
    });
  });

  it('reads attribute names case-insensitively and normalises SameSite', () => {
    expect(parseSetCookie('a=1; path=/; samesite=none; SECURE')).toEqual({ name: 'a', value: '1', path: '/', sameSite: 'None', secure: true });
  });

  it('keeps "=" inside the value', () => {
    expect(parseSetCookie('token=abc==; Path=/')).toMatchObject({ name: 'token', value: 'abc==' });
  });

  it('drops attributes with no protocol field (Partitioned, Priority) and invalid ones', () => {
    expect(parseSetCookie('a=1; Partitioned; Priority=High; SameSite=Weird; Expires=nonsense; Max-Age=soon')).toEqual({ name: 'a', value: '1' });
  });

  it('sends an epoch Expires as one second later, because @azure/functions drops a zero timestamp', () => {
    expect(parseSetCookie('gone=; Expires=Thu, 01 Jan 1970 00:00:00 GMT')).toEqual({ name: 'gone', value: '', expires: new Date(1000) });
  });

  it('sends a negative Max-Age as 0, which the host can write', () => {
    expect(parseSetCookie('gone=x; Max-Age=-1')).toMatchObject({ maxAge: 0 });
  });

  it('refuses a cookie without a name', () => {
    expect(parseSetCookie('novalue')).toBeUndefined();
    expect(parseSetCookie('=x')).toBeUndefined();
  });
});

describe('parseSetCookie, spacing and empty attributes', () => {
  it('trims the name and the value', () => {
    expect(parseSetCookie(' a = 1 ')).toStrictEqual({ name: 'a', value: '1' });
  });

  it('refuses a name that is only spaces', () => {
    expect(parseSetCookie(' =x')).toBeUndefined();
  });

  it('trims attribute values', () => {
    expect(parseSetCookie('a=1; Domain = example.com ; Path= /p ')).toStrictEqual({ name: 'a', value: '1', domain: 'example.com', path: '/p' });
  });

  it('leaves out Domain and Path without a value, with "=" or without', () => {
    expect(parseSetCookie('a=1; Domain; Path')).toStrictEqual({ name: 'a', value: '1' });
    expect(parseSetCookie('a=1; Domain=; Path=')).toStrictEqual({ name: 'a', value: '1' });
  });

  it('takes a Max-Age only when it is all digits, and no sameSite key for an unknown SameSite', () => {
    expect(parseSetCookie('a=1; Max-Age=10x; SameSite=Weird')).toStrictEqual({ name: 'a', value: '1' });
    expect(parseSetCookie('a=1; Max-Age=x10')).toStrictEqual({ name: 'a', value: '1' });
    expect(parseSetCookie('a=1; Max-Age=10')).toStrictEqual({ name: 'a', value: '1', maxAge: 10 });
  });
});

describe('cookie values and the host escaping', () => {
  it('escapes like .NET Uri.EscapeDataString (only unreserved characters stay)', () => {
    expect(escapeDataString("a b=c/d+e!'()*~._-é")).toBe('a%20b%3Dc%2Fd%2Be%21%27%28%29%2A~._-%C3%A9');
  });

  it.each(['abc123', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig-_x', 'a%20b', 'caf%C3%A9', '', 'x%2Fy'])(
    'hands the host a value that it escapes back to %j exactly',
    (value) => {
      expect(escapeDataString(hostSafeValue(value))).toBe(value);
    },
  );

  it.each(['abc==', 'a b', 'a%2fb', '100%', '"quoted"'])('leaves %j as it is, since no value escapes to it', (value) => {
    expect(hostSafeValue(value)).toBe(value);
  });
});
