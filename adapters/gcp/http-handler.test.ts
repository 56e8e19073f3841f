/** The HTTP handler adapt() makes, driven directly with a recording response (no server). */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { http } from '../../core/define.js';
import { adaptHttp, checkTimeoutMs, defaultFunctionName, MAX_HTTP1_RESPONSE_BYTES } from './http.js';

afterEach(() => {
  vi.restoreAllMocks();
});

/** A response that records what the handler does to it. */
function recordingResponse(headersSent = false) {
  const calls: unknown[][] = [];
  const res = {
    statusCode: 200,
    statusMessage: '',
    headersSent,
    setHeader: (name: string, value: unknown) => void calls.push(['setHeader', name, value]),
    end: (...args: unknown[]) => void calls.push(['end', ...args]),
    destroy: () => void calls.push(['destroy']),
  };
  return { res, calls };
}

const request = (fields: Record<string, unknown> = {}) => ({
  method: 'GET',
  url: '/x',
  originalUrl: '/x',
  headers: { host: 'h', 'function-execution-id': 'exec-1' },
  rawHeaders: ['Host', 'h', 'Function-Execution-Id', 'exec-1'],
  ...fields,
});

const errorLines = () => {
  const lines: string[] = [];
  vi.spyOn(console, 'error').mockImplementation((line: string) => void lines.push(line));
  return lines;
};

describe('defaultFunctionName', () => {
  it('is K_SERVICE, else FUNCTION_TARGET, else "function"', () => {
    expect(defaultFunctionName({ K_SERVICE: 'svc', FUNCTION_TARGET: 't' })).toBe('svc');
    expect(defaultFunctionName({ FUNCTION_TARGET: 't' })).toBe('t');
    expect(defaultFunctionName({})).toBe('function');
  });
});

describe('checkTimeoutMs', () => {
  it('accepts a positive finite number and refuses infinity, NaN, zero and text', () => {
    expect(() => checkTimeoutMs(1)).not.toThrow();
    for (const [value, shown] of [
      [Infinity, 'Infinity'],
      [NaN, 'NaN'],
      [0, '0'],
      ['5', '5'],
    ] as const) {
      expect(() => checkTimeoutMs(value)).toThrow(
        new TypeError(`faasport/gcp: timeoutMs must be a positive number of milliseconds (the function's timeout); got ${shown}`),
      );
    }
  });
});

describe('the HTTP handler', () => {
  const ok = http({ route: '/x' }, () => new Response('ok'));

  it('answers 400 to a target that is not a path and logs a warning naming the function, invocation and reason', async () => {
    const lines = errorLines();
    const { res, calls } = recordingResponse();
    await adaptHttp(ok, { name: 'fn-x' })(request({ url: '*', originalUrl: '*' }) as never, res as never);
    const reason = 'faasport: the request target "*" is not a path (expected "/..." or "http://host/...")';
    expect(res.statusCode).toBe(400);
    expect(calls.at(-1)).toEqual(['end', Buffer.from(`Bad Request: ${reason}`)]);
    expect(lines.map((line) => JSON.parse(line) as unknown)).toEqual([
      {
        severity: 'WARNING',
        message: 'faasport: malformed request answered 400',
        reason,
        function: 'fn-x',
        invocationId: 'exec-1',
        'logging.googleapis.com/labels': { execution_id: 'exec-1' },
      },
    ]);
  });

  it('lets an error that is not about the request through, answering nothing', async () => {
    const { res, calls } = recordingResponse();
    await expect(adaptHttp(ok, { name: 'fn-x' })(request({ method: 5 }) as never, res as never)).rejects.toThrow(TypeError);
    expect(calls).toEqual([]);
  });

  it("answers 500 to a text body over Cloud Run's 32 MiB, counting its UTF-8 bytes rather than its characters", async () => {
    // 16 Mi + 1 characters of two UTF-8 bytes each: 32 MiB + 2 bytes, though far fewer characters than bytes.
    const text = '\u00e9'.repeat(16 * 1024 * 1024 + 1);
    const big = http({ route: '/x' }, () => new Response(text));
    const lines = errorLines();
    const { res, calls } = recordingResponse();
    await adaptHttp(big, { name: 'fn-x' })(request() as never, res as never);
    expect(res.statusCode).toBe(500);
    expect(calls.at(-1)).toEqual(['end', Buffer.from('Internal Server Error')]);
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ severity: 'ERROR', status: 200, bytes: MAX_HTTP1_RESPONSE_BYTES + 2 });
  });

  it('destroys the response when its body fails after the headers went out (the handler wrote through native res)', async () => {
    const failure = new Error('stream broke');
    const failing = http({ route: '/x' }, () => new Response(new ReadableStream({ pull: (controller) => controller.error(failure) })));
    const lines = errorLines();
    const { res, calls } = recordingResponse(true);
    await adaptHttp(failing, { name: 'fn-x' })(request() as never, res as never);
    expect(calls).toEqual([['destroy']]);
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({
      severity: 'ERROR',
      message: 'faasport: the response could not be sent',
      error: { message: 'stream broke' },
      function: 'fn-x',
      invocationId: 'exec-1',
    });
  });
});
