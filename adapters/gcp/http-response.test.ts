import { describe, expect, it } from 'vitest';
import type { ResponseParts } from '../../core/http.js';
import { writeResponse, writeText, type ResponseSink } from './http-response.js';

/** A response that records what is written to it, in order. */
function recordingSink() {
  const calls: unknown[][] = [];
  const sink = {
    statusCode: 200,
    statusMessage: 'untouched',
    headersSent: false,
    setHeader(name: string, value: unknown) {
      calls.push(['setHeader', name, value]);
      return sink;
    },
    end(...args: unknown[]) {
      calls.push(['end', ...args]);
      return sink;
    },
  };
  return { sink: sink as unknown as ResponseSink & { statusMessage: string }, calls };
}

const parts = (over: Partial<ResponseParts>): ResponseParts => ({ status: 200, headers: {}, cookies: [], body: undefined, ...over });

describe('writeResponse', () => {
  it('sets the status and leaves the status message to node unless one is given', () => {
    const { sink } = recordingSink();
    writeResponse(sink, parts({ status: 201 }));
    expect(sink.statusCode).toBe(201);
    expect(sink.statusMessage).toBe('untouched');
    writeResponse(sink, parts({ status: 201 }), '');
    expect(sink.statusMessage).toBe('untouched');
    writeResponse(sink, parts({ status: 299 }), 'Custom Reason');
    expect(sink.statusMessage).toBe('Custom Reason');
  });

  it('drops the connection-level headers and writes no Set-Cookie when there is none', () => {
    const { sink, calls } = recordingSink();
    const headers = { connection: 'close', 'keep-alive': 'timeout=5', 'transfer-encoding': 'chunked', upgrade: 'h2c', 'proxy-connection': 'close', 'x-a': '1' };
    writeResponse(sink, parts({ headers }));
    expect(calls).toEqual([['setHeader', 'x-a', '1'], ['end']]);
  });

  it('writes every Set-Cookie on its own line', () => {
    const { sink, calls } = recordingSink();
    writeResponse(sink, parts({ cookies: ['a=1', 'b=2'] }));
    expect(calls).toEqual([['setHeader', 'set-cookie', ['a=1', 'b=2']], ['end']]);
  });

  it('writes a text body as the string in UTF-8, and bytes as a Buffer over the same memory', () => {
    const text = recordingSink();
    writeResponse(text.sink, parts({ text: 'h\u00e9', body: Buffer.from('h\u00e9') }));
    expect(text.calls).toEqual([['end', 'h\u00e9', 'utf8']]);

    const bytes = recordingSink();
    const body = new Uint8Array([0, 1, 2, 3]).subarray(1, 3);
    writeResponse(bytes.sink, parts({ body }));
    expect(bytes.calls).toEqual([['end', Buffer.from([1, 2])]]);
  });
});

describe('writeText', () => {
  it('answers plain text in UTF-8 with no cookies', () => {
    const { sink, calls } = recordingSink();
    writeText(sink, 400, 'bad r\u00e9quest');
    expect(sink.statusCode).toBe(400);
    expect(calls).toEqual([
      ['setHeader', 'content-type', 'text/plain; charset=utf-8'],
      ['end', Buffer.from('bad r\u00e9quest', 'utf8')],
    ]);
  });
});
