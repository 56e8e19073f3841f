import { describe, expect, it } from 'vitest';
import { http, queue, schedule } from '../../core/define.js';
import { adapt } from './adapt.js';

describe('adapt', () => {
  it('returns a Lambda handler function for an http function', () => {
    const handler = adapt(http({ route: '/' }, () => new Response('ok')));
    expect(typeof handler).toBe('function');
    expect(handler.length).toBe(2);
  });

  it('says clearly that other kinds are not supported yet', () => {
    expect(() => adapt(queue({ queue: 'orders' }, () => {}))).toThrow(new TypeError('faasport/aws: adapt() does not support queue functions yet (only http for now)'));
    expect(() => adapt(schedule({ cron: '0 3 * * *' }, () => {}))).toThrow(/schedule functions yet/);
  });

  it('rejects something that is not a faasport function', () => {
    expect(() => adapt({} as never)).toThrow(/adapt\(\) needs a function made by http\(\)/);
    expect(() => adapt(null as never)).toThrow(/got null/);
  });
});
