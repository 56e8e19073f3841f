/** Edges of LightResponse that undici defines and the main suite does not reach: each compared with undici. */
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { readResponse } from '../http.js';
import { installFastFetch } from './install.js';
import { nativeFetch } from './natives.js';
import { LightResponse, lightResponseParts } from './response.js';

installFastFetch();
const { Response: NativeResponse } = nativeFetch();
const bytesOf = async (res: Response) => [...new Uint8Array(await res.arrayBuffer())];

describe('init conversions, as undici', () => {
  it('refuses a status that is not a number at all, and accepts 599 and a function as init', () => {
    expect(() => new Response('x', { status: 'abc' as never })).toThrow(RangeError);
    expect(() => new NativeResponse('x', { status: 'abc' as never })).toThrow(RangeError);
    expect(() => new Response('x', { status: Number.NaN })).toThrow('init["status"] must be in the range of 200 to 599, inclusive.');
    expect(new Response('x', { status: 599 }).status).toBe(599);
    expect(new Response('x', (() => {}) as never).status).toBe(new NativeResponse('x', (() => {}) as never).status);
  });
  it('names what is wrong: the init, the status of a body that may have none, the status text', () => {
    expect(() => new Response('x', 5 as never)).toThrow('Response constructor: Expected init to be one of: Null, Undefined, Object.');
    expect(() => new Response('x', { status: 204 })).toThrow('Response constructor: Invalid response status code 204');
    expect(() => new Response(null, { statusText: 'a\nb' })).toThrow('Invalid statusText');
  });
  it('has an empty status text unless one is given', () => {
    expect(new Response(null, { status: 201 }).statusText).toBe('');
    expect(new Response(null, { status: 201, statusText: 'Made' }).statusText).toBe('Made');
  });
  it('reads a plain object with its own iterator as a sequence of pairs, and refuses headers given as a string', () => {
    const pairs = { *[Symbol.iterator]() { yield ['x-a', '1']; } };
    expect(new Response(null, { headers: pairs as never }).headers.get('x-a')).toBe('1');
    expect(new NativeResponse(null, { headers: pairs as never }).headers.get('x-a')).toBe('1');
    expect(() => new Response(null, { headers: 'x-a' as never })).toThrow(TypeError);
    expect(() => new NativeResponse(null, { headers: 'x-a' as never })).toThrow(TypeError);
  });
  it('reads a status past 65535 modulo 65536, as undici (65736 is 200)', () => {
    expect(new Response('x', { status: 65736 }).status).toBe(new NativeResponse('x', { status: 65736 }).status);
    expect(new Response('x', { status: 65736 }).status).toBe(200);
    expect(() => new Response('x', { status: 65536 })).toThrow('init["status"] must be in the range of 200 to 599, inclusive.');
  });
  it('refuses a negative status whose modulo 65536 would be 200..599 (-65336), as undici does', () => {
    for (const status of [-65336, -64937, -65336.5, -1]) {
      expect(() => new NativeResponse('x', { status })).toThrow(RangeError);
      expect(() => new Response('x', { status })).toThrow('init["status"] must be in the range of 200 to 599, inclusive.');
    }
  });
  it('refuses null headers with the Headers constructor error, word for word as undici', () => {
    const message = (make: () => unknown) => {
      try {
        make();
        return 'no error';
      } catch (error) {
        return `${(error as Error).constructor.name}: ${(error as Error).message}`;
      }
    };
    expect(message(() => new Response('x', { headers: null as never }))).toBe(message(() => new NativeResponse('x', { headers: null as never })));
  });
  it('ok holds for 200 to 299', () => {
    expect([200, 299, 300].map((status) => new Response(null, { status }).ok)).toEqual([true, true, false]);
  });
});

describe('instanceof Response with values that are not objects', () => {
  it('is false for primitives, without throwing', () => {
    expect(('x' as unknown) instanceof Response).toBe(false);
    expect((1 as unknown) instanceof Response).toBe(false);
    expect((undefined as unknown) instanceof Response).toBe(false);
  });
});

describe('Response.redirect errors', () => {
  it('names the URL it could not parse and keeps the parser error as cause', () => {
    let error: Error | undefined;
    try {
      Response.redirect('not a url');
    } catch (e) {
      error = e as Error;
    }
    expect(error).toBeInstanceOf(TypeError);
    expect(error!.message).toBe('Failed to parse URL from not a url');
    expect(error!.cause).toBeInstanceOf(TypeError);
  });
});

describe('bytes bodies', () => {
  it('copies an ArrayBuffer at construction, so later writes do not change the body', async () => {
    const buffer = new ArrayBuffer(2);
    const res = new Response(buffer);
    new Uint8Array(buffer)[0] = 7;
    expect(await bytesOf(res)).toEqual([0, 0]);
  });
  it('readResponse gives the bytes of a bytes body and no content type', async () => {
    const parts = await readResponse(new Response(new Uint8Array([1, 2, 3])), 'GET');
    expect([...parts.body!]).toEqual([1, 2, 3]);
    expect(Object.keys(parts.headers)).toEqual([]);
    expect(parts.cookies).toEqual([]);
  });
  it('a clone and its original never share bytes a reader may change', async () => {
    const res = new Response(new Uint8Array([1, 2]));
    const copy = res.clone();
    const fromCopy = new Uint8Array(await copy.arrayBuffer());
    fromCopy[0] = 9;
    expect(await bytesOf(res)).toEqual([1, 2]);
  });
});

describe('responses backed by a real one (bodies undici types itself)', () => {
  const form = () => new Response(new URLSearchParams('a=1'));

  it('readResponse reads their body, and none for HEAD', async () => {
    expect(new TextDecoder().decode((await readResponse(form(), 'GET')).body)).toBe('a=1');
    expect((await readResponse(form(), 'HEAD')).body).toBeUndefined();
  });
  it('clone carries the body', async () => {
    const res = form();
    expect(await res.clone().text()).toBe('a=1');
    expect(await res.text()).toBe('a=1');
  });
  it('a null body made real (by blob()) reads as empty, clones, and gives readResponse no body', async () => {
    const res = new Response(null, { status: 202 });
    expect((await res.blob()).size).toBe(0);
    expect(res.clone().status).toBe(202);
    expect((await readResponse(res, 'GET')).body).toBeUndefined();
  });
  it('a body read through the light object stays read in the real one', async () => {
    const res = new Response('x');
    await res.text();
    await expect(res.blob()).rejects.toThrow(TypeError);
  });
});

describe('clone before the headers were built', () => {
  it('keeps the content type the body implies', () => {
    const copy = new Response('text').clone();
    expect(copy.headers.get('content-type')).toBe('text/plain;charset=UTF-8');
  });
});

describe('inspect', () => {
  it('shows status, status text, headers and whether the body was used', () => {
    const text = inspect(new Response('x', { status: 201, statusText: 'Made' }));
    expect(text).toContain('status: 201');
    expect(text).toContain("statusText: 'Made'");
    expect(text).toContain('bodyUsed: false');
    expect(text).toContain('text/plain;charset=UTF-8');
  });
});

describe('more of the real-backed path', () => {
  it('readResponse cancels the unread stream of a HEAD response', async () => {
    let cancelled = false;
    const res = new Response(new ReadableStream({ cancel: () => void (cancelled = true) }));
    expect((await readResponse(res, 'HEAD')).body).toBeUndefined();
    expect(cancelled).toBe(true);
  });
  it('clone of a used body names the operation, as undici does', async () => {
    const res = new Response('x');
    await res.text();
    expect(() => res.clone()).toThrow('Response.clone: Body has already been consumed.');
    const real = new NativeResponse('x');
    await real.text();
    expect(() => real.clone()).toThrow('Response.clone: Body has already been consumed.');
  });
});

describe('the parts readResponse takes from a light response without a stream', () => {
  it('are at hand at once (no promise) for no body, a string, bytes and an ArrayBuffer', () => {
    const parts = (body: unknown, init?: ConstructorParameters<typeof LightResponse>[1]) =>
      lightResponseParts(new LightResponse(body, init) as unknown as Response, 'GET');
    expect(parts(undefined, { status: 204 })).toEqual({ status: 204, headers: {}, cookies: [], body: undefined });
    expect(parts(null, { headers: { 'X-A': '1' } })).toEqual({ status: 200, headers: { 'x-a': '1' }, cookies: [], body: undefined });
    const buffer = new Uint8Array([1, 2, 3]).buffer;
    expect(parts(buffer)).toEqual({ status: 200, headers: {}, cookies: [], body: new Uint8Array([1, 2, 3]) });
    expect(parts(new Uint8Array([4]))).toEqual({ status: 200, headers: {}, cookies: [], body: new Uint8Array([4]) });
    expect(parts(new DataView(new Uint8Array([5, 6]).buffer))).toEqual({ status: 200, headers: {}, cookies: [], body: new Uint8Array([5, 6]) });
    const text = parts('hi') as { status: number; headers: Record<string, string>; text: string };
    expect([text.status, text.headers, text.text]).toEqual([200, { 'content-type': 'text/plain;charset=UTF-8' }, 'hi']);
  });
});
