/** Named cases for the hostile and careless events of issue 10, one per defect class found on 2026-12-02. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { http } from '../../../core/define.js';
import { adapt } from '../adapt.js';
import type { AwsHttpEvent } from '../types.js';
import { fixture, lambdaContext, sharedFixture } from './test-helpers.js';

const probe = adapt(
  http({ route: '/*' }, (req) => Response.json({ url: req.url, headers: Object.fromEntries(req.headers) })),
  { name: 'probe' },
);
const call = async (event: unknown) => (await probe(event as AwsHttpEvent, lambdaContext())) as { statusCode: number; body: string; multiValueHeaders?: unknown };
const seen = (result: { statusCode: number; body: string }) => {
  expect(result.statusCode).toBe(200);
  return JSON.parse(result.body) as { url: string; headers: Record<string, string> };
};

beforeEach(() => {
  vi.spyOn(console, 'error').mockImplementation(() => {});
  vi.spyOn(console, 'log').mockImplementation(() => {});
});
afterEach(() => vi.restoreAllMocks());

/** One event of every HTTP kind, with its Host header set to `host`. */
function withHost(host: string): [string, unknown][] {
  const v2 = sharedFixture('apigw-http/no-auth.json');
  const url = fixture('function-url-cookies.json');
  const rest = sharedFixture('apigw-rest/no-auth.json');
  const alb = sharedFixture('alb/base.json');
  const albMulti = sharedFixture('alb/multi-fields.json');
  v2.headers.host = host;
  url.headers.host = host;
  rest.headers.Host = host;
  rest.multiValueHeaders.Host = [host];
  alb.headers.host = host;
  albMulti.multiValueHeaders.host = [host];
  return [['payload 2.0', v2], ['Function URL', url], ['REST', rest], ['ALB', alb], ['ALB multi-value', albMulti]];
}

describe('a bad Host is the caller\'s fault (400), not a 500 at req.url', () => {
  for (const host of ['x:99999', '[', 'a:b:c', '1.2.3.999']) {
    it(`Host ${JSON.stringify(host)} gets a 400 naming the Host header on every HTTP kind`, async () => {
      for (const [kind, event] of withHost(host)) {
        const result = await call(event);
        expect(result.statusCode, kind).toBe(400);
        expect(result.body, kind).toContain(`the Host header ${JSON.stringify(host)} is not a host name`);
      }
    });
  }

  it('a valid Host with a port and an IPv6 literal still works', async () => {
    for (const host of ['api.example.com:8443', '[::1]:8443']) {
      for (const [kind, event] of withHost(host)) expect(seen(await call(event)).url, kind).toMatch(new RegExp(`^https://${host.replace(/[[\]]/g, '\\$&')}/`));
    }
  });
});

describe('400 bodies are in faasport\'s words, naming the field (never the engine\'s TypeError text)', () => {
  const cases: [string, (e: any) => void, string][] = [
    ['cookies as a string', (e) => (e.cookies = 'a=1'), 'cookies is the string "a=1"; expected an array of strings'],
    ['cookies as an object', (e) => (e.cookies = { length: 2 }), 'cookies is an object; expected an array of strings'],
    ['a cookie that is not a string', (e) => (e.cookies = ['a=1', null]), 'cookies[1] is null'],
    ['headers as an array', (e) => (e.headers = ['a']), 'headers is an array'],
    ['a header value that is a number', (e) => (e.headers = { ...e.headers, 'x-n': 5 }), 'headers["x-n"] is the number 5'],
  ];
  for (const [name, edit, text] of cases) {
    it(`payload 2.0 with ${name}`, async () => {
      const event = fixture('apigw-v2-cookies.json');
      edit(event);
      const result = await call(event);
      expect(result.statusCode).toBe(400);
      expect(result.body).toContain(text);
      expect(result.body).not.toMatch(/is not a function|Cannot read properties|TypeError/);
    });
  }

  it('an event field whose getter throws is a 400 without the getter\'s text', async () => {
    const event = fixture('apigw-v2-cookies.json');
    Object.defineProperty(event, 'body', { get: () => { throw new Error('secret internals'); }, enumerable: true });
    const result = await call(event);
    expect(result.statusCode).toBe(400);
    expect(result.body).toContain('its fields cannot be read');
    expect(result.body).not.toContain('secret internals');
  });
});

describe('multi-value fields are checked for shape', () => {
  it('a string in multiValueHeaders is refused, not split into characters (REST)', async () => {
    const event = sharedFixture('apigw-rest/no-auth.json');
    event.multiValueHeaders.Accept = 'text/html';
    const result = await call(event);
    expect(result.statusCode).toBe(400);
    expect(result.body).toContain('multiValueHeaders["Accept"] is the string "text/html"; expected an array of strings');
  });

  it('an object with length 3e6 in a multi-value field is refused without walking it (REST query, ALB headers)', async () => {
    const rest = sharedFixture('apigw-rest/no-auth.json');
    rest.multiValueQueryStringParameters = { q: { length: 3e6 } };
    const alb = sharedFixture('alb/multi-fields.json');
    alb.multiValueHeaders.accept = { length: 3e6 };
    for (const [event, text] of [
      [rest, 'multiValueQueryStringParameters["q"] is an object'],
      [alb, 'multiValueHeaders["accept"] is an object'],
    ] as const) {
      const result = await call(event);
      expect(result.statusCode).toBe(400);
      expect(result.body).toContain(text);
    }
  });
});

describe('REST and ALB events lose no key that is only in the single-value map', () => {
  it('REST: an empty multiValueHeaders next to filled headers (console test events) keeps every header, Host included', async () => {
    const event = sharedFixture('apigw-rest/no-auth.json');
    event.multiValueHeaders = {};
    event.headers = { Host: 'shop.example.com', 'X-Only-Single': 'yes' };
    const view = seen(await call(event));
    expect(view.headers['x-only-single']).toBe('yes');
    expect(view.url).toMatch(/^https:\/\/shop\.example\.com\//);
  });

  it('REST: a query key only in queryStringParameters survives next to multi-value ones', async () => {
    const event = sharedFixture('apigw-rest/no-auth.json');
    event.multiValueQueryStringParameters = { tag: ['a', 'b'] };
    event.queryStringParameters = { tag: 'b', only: 'x y' };
    expect(seen(await call(event)).url).toMatch(/\?tag=a&tag=b&only=x%20y$/);
  });

  it('ALB multi-value: headers and query keys only in the single-value maps survive; HOST found whatever its case', async () => {
    const event = sharedFixture('alb/multi-fields.json');
    delete event.multiValueHeaders.host;
    event.headers = { HOST: 'lb.example.com', 'x-single': '1' };
    event.queryStringParameters = { only: '1' };
    const view = seen(await call(event));
    expect(view.headers['x-single']).toBe('1');
    expect(view.url).toMatch(/^https:\/\/lb\.example\.com\/lambda\?.*only=1/);
  });
});

describe('an undefined entry in multiValueHeaders (issue 10, found by adapter.fuzz.test.ts)', () => {
  it('is read as an absent key: the Host lookup skips it instead of failing the whole request with a 400 that names nothing', async () => {
    const event = sharedFixture('alb/multi-fields.json');
    const { host: _sent, ...others } = event.multiValueHeaders;
    event.multiValueHeaders = { HOST: undefined, ...others, host: ['lb.example.com'] };
    expect(new URL(seen(await call(event)).url).host).toBe('lb.example.com');
  });
});
