import { describe, expect, it } from 'vitest';
import { event, http, queue, schedule, storage, topic } from '../../core/define.js';
import { adapt, adaptEvent, adaptHttp, adaptQueue, adaptSchedule, adaptStorage, adaptTopic } from './adapt.js';

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

  it('has one adapter per kind, giving the handler adapt() gives', () => {
    expect(adaptHttp(http({ route: '/' }, () => new Response('ok'))).name).toBe('faasportAwsHttp');
    const handlers = [
      adaptQueue(queue({ queue: 'orders' }, () => {})),
      adaptTopic(topic({ topic: 'signups' }, () => {})),
      adaptStorage(storage({ bucket: 'uploads' }, () => {})),
      adaptSchedule(schedule({ cron: '0 3 * * *' }, () => {})),
      adaptEvent(event({ type: 'com.example.x' }, () => {})),
    ];
    expect(handlers.map((h) => h.name)).toEqual(['faasportAwsQueue', 'faasportAwsTopic', 'faasportAwsStorage', 'faasportAwsSchedule', 'faasportAwsEvent']);
  });

  it('a kind adapter refuses a function of another kind, and non-functions, by name', () => {
    expect(() => adaptHttp(queue({ queue: 'orders' }, () => {}) as never)).toThrow(
      'faasport/aws: adaptHttp() takes only http functions; got a queue function (adapt() takes any kind)',
    );
    expect(() => adaptQueue(null as never)).toThrow(/adaptQueue\(\) needs a function made by http\(\).*got null/);
  });
});
