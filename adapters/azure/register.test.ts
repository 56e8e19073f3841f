import azureFunctions, { type HttpFunctionOptions } from '@azure/functions';
import { describe, expect, it, vi } from 'vitest';
import { event, http, queue, schedule, storage, topic } from '../../core/define.js';
import { invocationContext } from './events/test-helpers.js';
import { azureMethods, httpFunctionOptions, register, registerBufferedHttp } from './register.js';

describe('httpFunctionOptions', () => {
  const fn = http({ route: '/items/:id', methods: ['GET'] }, () => new Response('ok'));

  it('lets every method through by default so that faasport answers 405 itself', () => {
    const options = httpFunctionOptions('getItem', fn);
    expect(options.route).toBe('items/{id}');
    expect(options.methods).toEqual(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
    expect(options.authLevel).toBe('anonymous');
    expect(typeof options.handler).toBe('function');
  });

  it('uses the declared methods when codegen passes them, with HEAD next to GET', () => {
    expect(httpFunctionOptions('getItem', fn, { methods: ['GET'] }).methods).toEqual(['GET', 'HEAD']);
    expect(azureMethods(['POST', 'PUT'])).toEqual(['POST', 'PUT']);
    expect(azureMethods('any')).toHaveLength(7);
  });

  it('takes the auth level from the function', () => {
    const secured = http({ route: '/admin', authLevel: 'function' }, () => new Response('ok'));
    expect(httpFunctionOptions('admin', secured).authLevel).toBe('function');
  });
});

describe('register', () => {
  const fn = http({ route: '/x' }, () => new Response('ok'));

  it('rejects a name Azure does not accept', () => {
    expect(() => register('1bad', fn)).toThrow(/not valid on Azure/);
    expect(() => register('has space', fn)).toThrow(/not valid on Azure/);
  });

  it('rejects a storage function whose "-deleted" companion name would be too long', () => {
    const fn = { kind: 'storage', options: { bucket: 'b', events: ['deleted'] }, handler: async () => {} } as const;
    expect(() => register(`a${'b'.repeat(120)}`, fn)).toThrow(/derived from/);
  });
});

describe('register, each trigger and each refusal', () => {
  const triggers = ['http', 'storageQueue', 'serviceBusTopic', 'storageBlob', 'timer', 'eventGrid'] as const;
  const calls = (run: () => void) => {
    const spies = triggers.map((trigger) => vi.spyOn(azureFunctions.app, trigger).mockImplementation(() => {}));
    try {
      run();
      return spies.flatMap((spy, i) => spy.mock.calls.map(([name]) => [triggers[i], name]));
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
  };

  it('calls the app.* function of every trigger a function becomes', () => {
    expect(calls(() => register('q', queue({ queue: 'orders' }, () => {})))).toEqual([['storageQueue', 'q']]);
    expect(calls(() => register('t', topic({ topic: 'signups' }, () => {})))).toEqual([['serviceBusTopic', 't']]);
    expect(calls(() => register('s', storage({ bucket: 'b', events: ['created', 'deleted'] }, () => {})))).toEqual([
      ['storageBlob', 's'],
      ['eventGrid', 's-deleted'],
    ]);
    expect(calls(() => register('n', schedule({ cron: '0 3 * * *' }, () => {})))).toEqual([['timer', 'n']]);
    expect(calls(() => register('e', event({ type: 'x' }, () => {})))).toEqual([['eventGrid', 'e']]);
    expect(calls(() => register('h', http({ route: '/x' }, () => new Response('ok'))))).toEqual([['http', 'h']]);
  });

  it('names null and the type of anything that is no faasport function', () => {
    expect(() => register('x', null as never)).toThrow(new TypeError('faasport/azure: register("x") needs a function made by http(), queue(), ...; got null'));
    expect(() => register('x', 'fn' as never)).toThrow(new TypeError('faasport/azure: register("x") needs a function made by http(), queue(), ...; got string'));
  });

  it('says why a name is refused, without "derived from" for the name given', () => {
    const fn = http({ route: '/x' }, () => new Response('ok'));
    expect(() => register('1bad', fn)).toThrow(
      new TypeError('faasport/azure: function name "1bad" is not valid on Azure (a letter, then letters, digits, "_" or "-", at most 128 characters)'),
    );
  });

  it('refuses a name that is no string even when its text would be valid', () => {
    const name = { toString: () => 'valid' };
    expect(() => register(name as never, http({ route: '/x' }, () => new Response('ok')))).toThrow(
      new TypeError('faasport/azure: function name {} is not valid on Azure (a letter, then letters, digits, "_" or "-", at most 128 characters)'),
    );
  });
});

describe('registerBufferedHttp (what faasport build writes for an HTTP function that does not stream)', () => {
  const getItem = http({ route: '/items/:id', methods: ['GET'], authLevel: 'function' }, (_req, ctx) =>
    Response.json({ id: ctx.params.id, deadline: ctx.deadline }),
  );
  const registered = (run: () => void) => {
    const spy = vi.spyOn(azureFunctions.app, 'http').mockImplementation(() => {});
    try {
      run();
      return spy.mock.calls.map(([name, options]) => ({ name, options }));
    } finally {
      spy.mockRestore();
    }
  };
  const answer = async (options: HttpFunctionOptions) => {
    const request = new azureFunctions.HttpRequest({ method: 'GET', url: 'https://app.azurewebsites.net/items/7', params: { id: '7' } });
    return (await options.handler(request, invocationContext().context)) as { status: number; body: string };
  };

  it('makes the app.http call register() makes, whose handler answers the same (deadline included)', async () => {
    for (const options of [{}, { methods: ['GET'] as const, timeoutMs: 5_000 }]) {
      const buffered = registered(() => registerBufferedHttp('getItem', getItem, options));
      const reference = registered(() => register('getItem', getItem, options));
      expect(buffered).toHaveLength(1);
      const { handler: _b, ...bufferedRest } = buffered[0]!.options;
      const { handler: _r, ...referenceRest } = reference[0]!.options;
      expect({ name: buffered[0]!.name, ...bufferedRest }).toEqual({ name: reference[0]!.name, ...referenceRest });
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(Date.parse('2026-12-06T10:00:00Z'));
      try {
        const got = await answer(buffered[0]!.options);
        expect(got).toEqual(await answer(reference[0]!.options));
        expect(JSON.parse(got.body)).toEqual({ id: '7', ...(options.timeoutMs ? { deadline: Date.now() + options.timeoutMs } : {}) });
      } finally {
        vi.useRealTimers();
      }
    }
  });

  it('refuses a streaming function, another kind, and a name Azure does not accept', () => {
    const message = 'faasport/azure: registerBufferedHttp("x") takes only an http() function that does not stream; use register() for any other';
    expect(registered(() => expect(() => registerBufferedHttp('x', http({ route: '/x', stream: true }, () => new Response('ok')))).toThrow(message))).toEqual([]);
    expect(() => registerBufferedHttp('x', queue({ queue: 'q' }, () => {}) as never)).toThrow(message);
    expect(() => registerBufferedHttp('x', null as never)).toThrow(message);
    expect(() => registerBufferedHttp('1bad', getItem)).toThrow(/not valid on Azure/);
    expect(() => registerBufferedHttp('x', getItem, { timeoutMs: -1 })).toThrow('faasport/azure: timeoutMs must be a positive number');
  });
});
