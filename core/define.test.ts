import { describe, expect, it } from 'vitest';
import { defineConfig, event, http, isFaasFunction, queue, schedule, storage, topic } from './define.js';
import { RouteError } from './route.js';
import { DEFAULT_NODE_RUNTIME, NODE_RUNTIMES } from './types.js';

const noop = () => {};

describe('defining functions', () => {
  it('each kind keeps its kind, a frozen copy of its options and its handler', () => {
    const options = { queue: 'orders' };
    const fn = queue(options, noop);
    expect(fn.kind).toBe('queue');
    expect(fn.options).toEqual({ queue: 'orders' });
    expect(fn.options).not.toBe(options);
    expect(Object.isFrozen(fn.options)).toBe(true);
    expect(Object.isFrozen(fn)).toBe(true);
    expect(fn.handler).toBe(noop);
    expect(topic({ topic: 't' }, noop).kind).toBe('topic');
    expect(storage({ bucket: 'b' }, noop).kind).toBe('storage');
    expect(schedule({ cron: '* * * * *' }, noop).kind).toBe('schedule');
    expect(event({ type: 'x' }, noop).kind).toBe('event');
    expect(http({ route: '/' }, () => new Response()).kind).toBe('http');
  });

  it('refuses a missing handler, naming the kind and what it got', () => {
    expect(() => queue({ queue: 'q' }, undefined as never)).toThrow(TypeError);
    expect(() => queue({ queue: 'q' }, undefined as never)).toThrow('faasport: queue() needs a handler function as its second argument, got undefined');
    expect(() => http({ route: '/' }, 'x' as never)).toThrow('http() needs a handler function as its second argument, got string');
  });

  it('http() refuses a bad route and an unknown method at definition time', () => {
    expect(() => http({ route: 'items' }, noop as never)).toThrow(RouteError);
    expect(() => http({ route: '/', methods: ['GET', 'FETCH' as never] }, noop as never)).toThrow(
      'faasport: http() method "FETCH" is not one of GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS',
    );
    expect(() => http({ route: '/', methods: ['get' as never] }, noop as never)).toThrow(TypeError);
    expect(http({ route: '/', methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] }, noop as never).options.methods).toHaveLength(7);
  });
});

describe('isFaasFunction', () => {
  it('recognises a defined function', () => {
    expect(isFaasFunction(queue({ queue: 'q' }, noop))).toBe(true);
  });
  it.each<[string, unknown]>([
    ['null', null],
    ['a function, even one carrying kind, handler and options', Object.assign(() => {}, { kind: 'queue', handler: noop, options: {} })],
    ['a string', 'http'],
    ['an object without kind', { handler: noop, options: {} }],
    ['a kind that is not a string', { kind: 1, handler: noop, options: {} }],
    ['a handler that is not a function', { kind: 'queue', handler: 'x', options: {} }],
    ['options that are not an object', { kind: 'queue', handler: noop, options: 'x' }],
  ])('refuses %s', (_what, value) => {
    expect(isFaasFunction(value)).toBe(false);
  });
});

describe('defineConfig', () => {
  it('returns the config it was given', () => {
    const config = { outDir: 'out', providers: ['aws' as const] };
    expect(defineConfig(config)).toBe(config);
  });
});

describe('runtime', () => {
  it('deploys to Node 24 unless told otherwise, the newest runtime faasport targets', () => {
    expect(DEFAULT_NODE_RUNTIME).toBe('node24');
    expect(NODE_RUNTIMES.at(-1)).toBe(DEFAULT_NODE_RUNTIME);
  });
});
