import { describe, expect, it } from 'vitest';
import { event, http, queue, schedule, storage, topic } from './define.js';
import type { CloudEvent, ScheduleEvent, StorageEvent } from './types.js';
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

describe('invoke per kind', () => {
  it('gives an HTTP function a context named after the kind, or the functionName option, with a deadline from timeoutMs', async () => {
    let seen: unknown[] = [];
    const ids: string[] = [];
    const fn = http({ route: '/' }, (_req, ctx) => ((seen = [ctx.provider, ctx.functionName, ctx.remainingMs()]), ids.push(ctx.invocationId), new Response()));
    await invoke(fn, '/');
    expect(seen).toEqual(['local', 'http', Number.POSITIVE_INFINITY]);
    await invoke(fn, '/', { functionName: 'hello', timeoutMs: 60_000 });
    expect(seen[1]).toBe('hello');
    expect(seen[2]).toBeGreaterThan(0);
    expect(seen[2]).toBeLessThanOrEqual(60_000);
    expect(ids[0]).toMatch(/^local-\d+$/);
    expect(ids[1]).toMatch(/^local-\d+$/);
    expect(ids[1]).not.toBe(ids[0]);
  });
  it('routes an HTTP Request with its method and path, so 404 and 405 come as from an adapter', async () => {
    const fn = http({ route: '/items/:id', methods: ['POST'] }, async (req, ctx) => new Response(`${req.method} ${ctx.params.id} ${await req.text()}`));
    expect(await (await invoke(fn, new Request('http://any.host/items/7?x=1', { method: 'POST', body: 'b' }))).text()).toBe('POST 7 b');
    expect((await invoke(fn, '/items/7')).status).toBe(405);
    expect((await invoke(fn, '/other')).status).toBe(404);
  });
  it('gives a queue handler text as UTF-8, bytes as they are, and its id, attributes and delivery count', async () => {
    const seen: unknown[] = [];
    const fn = queue({ queue: 'q' }, (msg) => void seen.push([msg.id, [...msg.body], msg.attributes, msg.deliveryCount, msg.publishedAt instanceof Date]));
    await invoke(fn, { body: 'é', id: 'm-1', attributes: { a: 'b' }, deliveryCount: 3 });
    await invoke(fn, { body: new Uint8Array([0, 255]) });
    expect(seen[0]).toEqual(['m-1', [0xc3, 0xa9], { a: 'b' }, 3, true]);
    expect((seen[1] as unknown[]).slice(1)).toEqual([[0, 255], {}, 1, true]);
    expect((seen[1] as string[])[0]).toMatch(/^local-message-\d+$/);
  });
  it('gives a topic handler the topic as the source', async () => {
    let source = '';
    await invoke(topic({ topic: 'news' }, (msg) => void (source = msg.source)), { body: {} });
    expect(source).toBe('news');
  });
  it('fills a storage event from the function bucket, letting the input override it', async () => {
    const seen: StorageEvent[] = [];
    const fn = storage({ bucket: 'uploads' }, (e) => void seen.push(e));
    await invoke(fn, { key: 'a.txt' });
    await invoke(fn, { key: 'b.txt', type: 'deleted', bucket: 'other' });
    expect(seen[0]).toMatchObject({ type: 'created', bucket: 'uploads', key: 'a.txt' });
    expect(seen[0]!.time).toBeInstanceOf(Date);
    expect(seen[1]).toMatchObject({ type: 'deleted', bucket: 'other', key: 'b.txt' });
  });
  it('gives a schedule handler the given time, or now', async () => {
    const seen: ScheduleEvent[] = [];
    const fn = schedule({ cron: '* * * * *' }, (e) => void seen.push(e));
    const at = new Date(0);
    await invoke(fn, { scheduledTime: at });
    await invoke(fn, {});
    expect(seen[0]!.scheduledTime).toBe(at);
    expect(seen[1]!.scheduledTime).toBeInstanceOf(Date);
  });
  it('fills a CloudEvent with an id, a local source and specversion 1.0, letting the input override them', async () => {
    const seen: CloudEvent[] = [];
    const fn = event({ type: 't' }, (e) => void seen.push(e));
    await invoke(fn, { type: 't', data: 1 });
    await invoke(fn, { type: 't', id: 'e-1', source: 's' });
    expect(seen[0]).toMatchObject({ type: 't', data: 1, source: 'faasport://local', specversion: '1.0' });
    expect(seen[0]!.id).toMatch(/^local-event-\d+$/);
    expect(seen[1]).toMatchObject({ id: 'e-1', source: 's' });
  });
  it('gives each message its own id', async () => {
    const ids: string[] = [];
    const fn = queue({ queue: 'q' }, (msg) => void ids.push(msg.id));
    await invoke(fn, { body: 'a' });
    await invoke(fn, { body: 'b' });
    expect(new Set(ids).size).toBe(2);
  });
  it('ends the deadline timer when the handler is done, so its signal never aborts afterwards', async () => {
    let signal: AbortSignal | undefined;
    const fn = queue({ queue: 'q' }, (_msg, ctx) => void (signal = ctx.signal));
    // A 600 ms timeout puts the abort 100 ms after the start (the 500 ms margin); 400 ms leave room on a busy machine.
    await invoke(fn, { body: 'x' }, { timeoutMs: 600 });
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(signal!.aborted).toBe(false);
  });
  it('refuses a kind it does not know', async () => {
    const fn = { kind: 'mystery', options: {}, handler: () => {} } as never;
    await expect(invoke(fn, {} as never)).rejects.toThrow('faasport: invoke() does not know the kind "mystery"');
  });
});
