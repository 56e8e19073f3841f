import { describe, expect, it } from 'vitest';
import { http, queue } from './define.js';
import { invoke } from './testing.js';

describe('invoke (faasport/testing)', () => {
  it('runs an HTTP function with a path', async () => {
    const fn = http({ route: '/hi/:name' }, (_req, ctx) => new Response(`hi ${ctx.params.name}`));
    expect(await (await invoke(fn, '/hi/ann')).text()).toBe('hi ann');
  });
  it('runs a queue function with a JSON message', async () => {
    let seen: unknown;
    const fn = queue({ queue: 'orders' }, (msg) => {
      seen = [msg.json(), msg.source, msg.deliveryCount];
    });
    await invoke(fn, { body: { id: 1 } });
    expect(seen).toEqual([{ id: 1 }, 'orders', 1]);
  });
  it('lets a queue handler failure reach the test', async () => {
    const fn = queue({ queue: 'q' }, () => {
      throw new Error('nope');
    });
    await expect(invoke(fn, { body: 'x' })).rejects.toThrow('nope');
  });
});
