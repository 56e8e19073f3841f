import { describe, expect, it } from 'vitest';
import { parsePrelude, preludeEnd } from './function-url-stream.js';

describe('the Function URL stream prelude', () => {
  it('ends after the 8 NUL bytes that follow the JSON, and not before they are all there', () => {
    const json = '{"statusCode":201}';
    const bytes = Buffer.concat([Buffer.from(json), Buffer.alloc(8), Buffer.from('body')]);
    expect(preludeEnd(bytes)).toBe(json.length + 8);
    expect(preludeEnd(Buffer.concat([Buffer.from(json), Buffer.alloc(7)]))).toBe(-1);
  });

  it('gives the status, lower-case headers and one Set-Cookie line per cookie', () => {
    expect(parsePrelude('{"statusCode":207,"headers":{"Content-Type":"text/plain"},"cookies":["a=1","b=2"]}')).toEqual({
      status: 207,
      headers: { 'content-type': 'text/plain', 'set-cookie': ['a=1', 'b=2'] },
    });
    expect(parsePrelude('{}')).toEqual({ status: 200, headers: {} });
  });
});
