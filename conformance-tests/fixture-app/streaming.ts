/**
 * Streaming fixtures (`http({ stream: true })`): each returns a Response over a ReadableStream and reports
 * to the runner's probe what the handler did and when, so a case can tell that bytes arrived while the
 * handler was still producing them.
 */
import { http } from 'faasport';

const encoder = new TextEncoder();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function report(fn: string, seen: Record<string, unknown>): Promise<void> {
  const url = process.env.FAASPORT_PROBE_URL;
  if (!url) return;
  await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ fn, ...seen }) }).catch(() => {});
}

const SSE_EVENTS = 20;
const SSE_GAP_MS = 50;

/** 20 server-sent events 50 ms apart; reports when it emitted the first and the last, and on which provider. */
export const sseStream = http({ route: '/stream/sse', methods: ['GET'], stream: true }, (_req, ctx) => {
  let n = 0;
  let firstEmittedAt = 0;
  return new Response(
    new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (n > 0) await sleep(SSE_GAP_MS);
        controller.enqueue(encoder.encode(`id: ${n}\nevent: tick\ndata: {"n":${n}}\n\n`));
        if (n === 0) firstEmittedAt = Date.now();
        if (++n === SSE_EVENTS) {
          controller.close();
          await report('sseStream', { provider: ctx.provider, firstEmittedAt, lastEmittedAt: Date.now() });
        }
      },
    }),
    { headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' } },
  );
});

const DOWNLOAD_CHUNK = 64 * 1024;

/** `?mb=N` mebibytes in 64 KiB chunks, chunk k filled with the byte (k * 7 + 1) mod 256, produced as the client reads. */
export const download = http({ route: '/stream/download', methods: ['GET'], stream: true }, (req) => {
  const chunks = Number(new URL(req.url).searchParams.get('mb') ?? '1') * 16;
  let k = 0;
  return new Response(
    new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.enqueue(new Uint8Array(DOWNLOAD_CHUNK).fill((k * 7 + 1) & 0xff));
        if (++k === chunks) controller.close();
      },
    }),
    { headers: { 'content-type': 'application/octet-stream' } },
  );
});

/**
 * Ticks every 20 ms for 2 s, or until the client goes away; reports ctx.signal's abort or that it ran to its end.
 */
export const streamAbort = http({ route: '/stream/forever', methods: ['GET'], stream: true }, (_req, ctx) => {
  const until = Date.now() + 2_000;
  ctx.signal.addEventListener('abort', () => void report('streamAbort', { event: 'aborted' }));
  return new Response(
    new ReadableStream<Uint8Array>({
      async pull(controller) {
        await sleep(20);
        if (Date.now() > until) {
          controller.close();
          await report('streamAbort', { event: 'completed' });
        } else controller.enqueue(encoder.encode('tick\n'));
      },
    }),
    { headers: { 'content-type': 'text/plain; charset=utf-8' } },
  );
});

/** Three events, then the stream fails with an error whose cause carries a marker the log must show. */
export const streamFail = http({ route: '/stream/fail', methods: ['GET'], stream: true }, (req) => {
  const marker = new URL(req.url).searchParams.get('marker') ?? 'no-marker';
  let n = 0;
  return new Response(
    new ReadableStream<Uint8Array>({
      async pull(controller) {
        await sleep(10);
        if (n++ < 3) controller.enqueue(encoder.encode(`data: ${n}\n\n`));
        else throw new Error('the event source failed mid-stream', { cause: new Error(`cause ${marker}`) });
      },
    }),
    { headers: { 'content-type': 'text/event-stream' } },
  );
});

/** Status 201, a custom header and two Set-Cookie with a body that comes in three parts. */
export const streamHead = http({ route: '/stream/head', methods: ['GET'], stream: true }, () => {
  const headers = new Headers({ 'content-type': 'text/plain; charset=utf-8', 'x-streamed': 'yes' });
  headers.append('set-cookie', 'session=s1; Path=/; HttpOnly');
  headers.append('set-cookie', 'theme=dark; Path=/; Max-Age=60');
  let n = 0;
  return new Response(
    new ReadableStream<Uint8Array>({
      async pull(controller) {
        await sleep(10);
        controller.enqueue(encoder.encode(['one,', 'two,', 'three'][n]!));
        if (++n === 3) controller.close();
      },
    }),
    { status: 201, headers },
  );
});
