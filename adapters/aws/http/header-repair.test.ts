import { describe, expect, it } from 'vitest';
import { BadEventError } from '../../../core/errors.js';
import type { AnyHttpShape, RequestHead } from './common.js';
import { rebuildRequest } from './header-repair.js';

type Event = Record<string, unknown>;

const HEAD: RequestHead = { method: 'GET', path: '/' };
const CANNOT = 'faasport/aws: malformed REST API event: it cannot form a Fetch Request; expected the headers, query and body a gateway sends';
const problem = (text: string) =>
  `faasport/aws: malformed REST API event: ${text}; expected header names that are HTTP tokens and values without CR, LF or NUL`;

/** A shape whose request() records the repaired event it is given, then answers with `answer`. */
function shapeOf(answer: () => Request = () => new Request('https://h.example/')) {
  const seen: Event[] = [];
  const shape = {
    id: 'apigw-v1',
    label: 'REST API',
    parse: () => HEAD,
    request: (event: Event) => {
      seen.push(event);
      return answer();
    },
    result: () => ({ statusCode: 200 }),
  } as unknown as AnyHttpShape;
  return { shape, seen };
}

const catchError = (run: () => unknown): Error => {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('did not throw');
};

describe('rebuildRequest', () => {
  it('carries a non-Latin-1 value as its UTF-8 bytes and leaves every other entry as it was', () => {
    const { shape, seen } = shapeOf();
    const event = {
      httpMethod: 'GET',
      headers: { a: 'café', city: 'Srī', n: 5 },
      multiValueHeaders: { city: ['x', 'Srī'] },
      cookies: ['a=1', 'c=Srī'],
    };
    const request = rebuildRequest(shape, event, HEAD, new TypeError('first'));
    expect(request.url).toBe('https://h.example/');
    expect(seen).toEqual([
      {
        httpMethod: 'GET',
        headers: { a: 'café', city: 'SrÄ«', n: 5 },
        multiValueHeaders: { city: ['x', 'SrÄ«'] },
        cookies: ['a=1', 'c=SrÄ«'],
      },
    ]);
    expect(event.headers.city).toBe('Srī');
  });

  it('refuses the event, with the first error as cause, when no header needed repair (request() is not tried again)', () => {
    const { shape, seen } = shapeOf();
    const cause = new TypeError('first');
    const error = catchError(() =>
      rebuildRequest(shape, { headers: { a: 'x' }, multiValueHeaders: null, cookies: ['a=1'], body: 'b' }, HEAD, cause),
    );
    expect(error).toBeInstanceOf(BadEventError);
    expect(error.message).toBe(CANNOT);
    expect(error.cause).toBe(cause);
    expect(seen).toEqual([]);
  });

  it('passes on a BadEventError of the repaired request, and wraps any other error', () => {
    const bad = new BadEventError('from request');
    expect(catchError(() => rebuildRequest(shapeOf(() => { throw bad; }).shape, { headers: { a: 'Srī' } }, HEAD, undefined))).toBe(bad);
    const other = new RangeError('again');
    const error = catchError(() => rebuildRequest(shapeOf(() => { throw other; }).shape, { headers: { a: 'Srī' } }, HEAD, undefined));
    expect(error).toBeInstanceOf(BadEventError);
    expect(error.message).toBe(CANNOT);
    expect(error.cause).toBe(other);
  });

  it('names a CR, LF or NUL in a cookie, a multi-value header or a header', () => {
    const { shape } = shapeOf();
    expect(() => rebuildRequest(shape, { cookies: ['a=1', 'b=\n2'] }, HEAD, undefined)).toThrow(
      problem('cookies[1] holds a CR, LF or NUL character, which an HTTP header cannot carry'),
    );
    expect(() => rebuildRequest(shape, { multiValueHeaders: { x: ['ok', 'a\rb'] } }, HEAD, undefined)).toThrow(
      problem('multiValueHeaders["x"][1] holds a CR, LF or NUL character, which an HTTP header cannot carry'),
    );
    expect(() => rebuildRequest(shape, { headers: { x: 'a\0b' } }, HEAD, undefined)).toThrow(
      problem('headers["x"] holds a CR, LF or NUL character, which an HTTP header cannot carry'),
    );
  });

  it('names a header name that is not a token, cut to 100 characters', () => {
    const { shape } = shapeOf();
    const name = `bad name${'x'.repeat(120)}`;
    expect(() => rebuildRequest(shape, { headers: { [name]: 'v' } }, HEAD, undefined)).toThrow(
      problem(`headers[${JSON.stringify(name.slice(0, 100))}] is not a valid header name (a token: letters, digits and !#$%&'*+-.^_\`|~)`),
    );
  });
});
