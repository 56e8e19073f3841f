import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DEV_ACCOUNT, DEV_KEY, sharedKeyAuthorization, stringToSign } from './shared-key.js';

describe('Shared Key string-to-sign', () => {
  it('lists the standard headers in order, then sorted x-ms-* headers, then the canonical resource', () => {
    const text = stringToSign('acct', {
      method: 'put',
      url: new URL('http://127.0.0.1:10000/acct/box/a%20b.txt?restype=container&Comp=list&comp=meta'),
      headers: { 'Content-Type': 'text/plain', 'Content-Length': '5', 'x-ms-version': '2021-12-02', 'X-MS-Date': 'Wed, 01 May 2024 12:00:00 GMT', 'x-ms-meta-a': '  two  words ' },
    });
    expect(text).toBe(
      [
        'PUT',
        '', // Content-Encoding
        '', // Content-Language
        '5',
        '', // Content-MD5
        'text/plain',
        '', // Date
        '',
        '',
        '',
        '',
        '', // Range
        'x-ms-date:Wed, 01 May 2024 12:00:00 GMT',
        'x-ms-meta-a:two words',
        'x-ms-version:2021-12-02',
        '/acct/acct/box/a%20b.txt',
        'comp:list,meta',
        'restype:container',
      ].join('\n'),
    );
  });

  it('leaves Content-Length empty when it is 0', () => {
    const text = stringToSign('a', { method: 'GET', url: new URL('http://h/a/q'), headers: { 'content-length': '0' } });
    expect(text.split('\n')[3]).toBe('');
  });

  it('signs with HMAC-SHA256 of the base64-decoded key', () => {
    const request = { method: 'GET', url: new URL('http://h/devstoreaccount1/q/messages'), headers: { 'x-ms-date': 'x' } };
    const expected = createHmac('sha256', Buffer.from(DEV_KEY, 'base64')).update(stringToSign(DEV_ACCOUNT, request)).digest('base64');
    expect(sharedKeyAuthorization(DEV_ACCOUNT, DEV_KEY, request)).toBe(`SharedKey devstoreaccount1:${expected}`);
  });
});
