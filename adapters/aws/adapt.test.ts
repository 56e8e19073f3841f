import { describe, expect, it } from 'vitest';
import { event, http, queue, schedule, storage, topic } from '../../core/define.js';
import { adapt } from './adapt.js';

describe('adapt', () => {
  it('returns a Lambda handler function for an http function', () => {
    const handler = adapt(http({ route: '/' }, () => new Response('ok')));
    expect(typeof handler).toBe('function');
    expect(handler.length).toBe(2);
  });

  it('returns a Lambda handler (event, context) for every event kind', () => {
    const handlers = [
      adapt(queue({ queue: 'orders' }, () => {})),
      adapt(topic({ topic: 'signups' }, () => {})),
      adapt(storage({ bucket: 'uploads' }, () => {})),
      adapt(schedule({ cron: '0 3 * * *' }, () => {})),
      adapt(event({ type: 'com.example.x' }, () => {})),
    ];
    expect(handlers.map((h) => [typeof h, h.length])).toEqual(Array(5).fill(['function', 2]));
    expect(handlers.map((h) => h.name)).toEqual(['faasportAwsQueue', 'faasportAwsTopic', 'faasportAwsStorage', 'faasportAwsSchedule', 'faasportAwsEvent']);
  });

  it('rejects something that is not a faasport function', () => {
    expect(() => adapt({} as never)).toThrow(/adapt\(\) needs a function made by http\(\)/);
    expect(() => adapt(null as never)).toThrow(/got null/);
  });

  it('rejects a function of unknown kind', () => {
    expect(() => adapt({ kind: 'cron', options: {}, handler: () => {} } as never)).toThrow('faasport/aws: adapt() got a function of unknown kind "cron"');
  });
});
