/** Streaming conformance cases, run against the fixture app (fixture-app/streaming.ts) on every provider. */
import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { defineCase, type ConformanceCase, type Invoker } from '../invoker.js';
import type { ProbeRecord } from '../probe.js';

const decoder = () => new TextDecoder();

/** What a streamed body looked like from the client: every chunk with when it arrived, and how it ended. */
interface Received {
  chunks: { at: number; bytes: Uint8Array }[];
  /** The read error when the body did not end cleanly. */
  error: unknown;
}

async function receive(res: Response, onChunk?: (bytes: Uint8Array) => void): Promise<Received> {
  const out: Received = { chunks: [], error: undefined };
  const reader = res.body!.getReader();
  try {
    for (let r = await reader.read(); !r.done; r = await reader.read()) {
      out.chunks.push({ at: Date.now(), bytes: r.value });
      onChunk?.(r.value);
    }
  } catch (error) {
    out.error = error;
  }
  return out;
}

const text = (received: Received) => {
  const d = decoder();
  return received.chunks.map((c) => d.decode(c.bytes, { stream: true })).join('') + d.decode();
};

const expectedSse = Array.from({ length: 20 }, (_, n) => `id: ${n}\nevent: tick\ndata: {"n":${n}}\n\n`).join('');

/** The fixture's download: 64 KiB chunks, chunk k filled with (k * 7 + 1) mod 256. */
function expectedDownloadSha256(mb: number): string {
  const hash = createHash('sha256');
  for (let k = 0; k < mb * 16; k++) hash.update(new Uint8Array(64 * 1024).fill((k * 7 + 1) & 0xff));
  return hash.digest('hex');
}

async function logsMatching(inv: Invoker, fn: string, pattern: RegExp, timeoutMs = 10_000): Promise<string[]> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const lines = inv.logs(fn).filter((line) => pattern.test(line));
    if (lines.length > 0 || Date.now() > until) return lines;
    await new Promise((r) => setTimeout(r, 50));
  }
}

export const streamingCases: ConformanceCase[] = [
  defineCase('a streamed SSE response arrives event by event, bytes exact', async (inv) => {
    const before = inv.probe.records('sseStream').length;
    const res = await inv.http('/stream/sse');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/event-stream/);
    const received = await receive(res);
    assert.equal(received.error, undefined, `the stream failed: ${String(received.error)}`);
    assert.equal(text(received), expectedSse);
    // This provider's record: a record of the case's run on the provider before may still arrive after it ended.
    const mine = (records: ProbeRecord[]) => records.slice(before).filter((r) => r.provider === inv.provider);
    const [emitted] = mine(await inv.probe.waitFor('sseStream', (records) => mine(records).length > 0));
    const firstChunkAt = received.chunks[0]!.at;
    // Incremental: the client held bytes before the handler had produced its last event.
    assert.ok(
      firstChunkAt < (emitted!.lastEmittedAt as number),
      `first chunk at ${firstChunkAt}, handler's last event at ${String(emitted!.lastEmittedAt)}: the response was buffered`,
    );
    assert.ok(received.chunks.length > 1, `the body came in ${received.chunks.length} chunk(s)`);
  }),

  defineCase('a 20 MB streamed download arrives byte-exact', async (inv) => {
    const res = await inv.http('/stream/download?mb=20');
    assert.equal(res.status, 200);
    const hash = createHash('sha256');
    let bytes = 0;
    const received = await receive(res, (chunk) => {
      hash.update(chunk);
      bytes += chunk.byteLength;
    });
    assert.equal(received.error, undefined, `the stream failed after ${bytes} bytes: ${String(received.error)}`);
    assert.equal(bytes, 20 * 1024 * 1024);
    assert.equal(hash.digest('hex'), expectedDownloadSha256(20));
  }),

  defineCase('a client that disconnects mid-stream aborts ctx.signal (on AWS the function runs on, as Lambda does)', async (inv) => {
    const before = inv.probe.records('streamAbort').length;
    const client = new AbortController();
    // Not through inv.http: what a client that leaves has read depends on timing, so this exchange is not compared.
    const res = await fetch(new URL('/stream/forever', inv.url), { signal: client.signal });
    assert.equal(res.status, 200);
    const reader = res.body!.getReader();
    const first = await reader.read();
    assert.match(decoder().decode(first.value), /^(tick\n)+$/);
    client.abort();
    const mine = (rs: ProbeRecord[]) => rs.slice(before).map((r) => r.event);
    const records = await inv.probe.waitFor('streamAbort', (rs) => mine(rs).includes('aborted') || mine(rs).includes('completed'), 15_000);
    if (inv.provider === 'aws') {
      // "streamed responses are not interrupted or stopped when the invoking client connection is broken"
      // (docs.aws.amazon.com/lambda/latest/dg/configuration-response-streaming.html)
      assert.deepEqual(mine(records), ['completed']);
    } else {
      assert.equal(mine(records)[0], 'aborted', `the handler saw ${JSON.stringify(mine(records))}`);
      // Past the fixture's own 2 s end: a stream that was not really stopped would report 'completed' by then.
      await new Promise((r) => setTimeout(r, 2_500));
      assert.deepEqual(mine(inv.probe.records('streamAbort')), ['aborted']);
    }
  }),

  defineCase('an error thrown mid-stream ends the response and is logged', async (inv) => {
    const marker = `marker-${randomUUID()}`;
    // Not through inv.http: each platform ends a failed stream its own way (README, "Streaming responses").
    const res = await fetch(new URL(`/stream/fail?marker=${marker}`, inv.url));
    assert.equal(res.status, 200);
    const received = await receive(res);
    const body = text(received);
    // The events before the failure arrive; nothing after them, and the response ends.
    assert.ok(body.startsWith('data: 1\n\ndata: 2\n\n'), `got ${JSON.stringify(body)}`);
    assert.ok(!body.includes('Internal Server Error'), `a 500 body was appended: ${JSON.stringify(body)}`);
    const lines = await logsMatching(inv, 'streamFail', new RegExp(marker));
    assert.ok(lines.length > 0, `no log line names the error's cause ${marker}`);
    assert.match(lines.join('\n'), /the event source failed mid-stream/);
  }),

  defineCase('status, headers and two Set-Cookie travel with a streamed body', async (inv) => {
    const res = await inv.http('/stream/head');
    assert.equal(res.status, 201);
    assert.equal(res.headers.get('x-streamed'), 'yes');
    const cookies = res.headers.getSetCookie();
    assert.equal(cookies.length, 2, `got ${JSON.stringify(cookies)}`);
    // Attribute order is the platform's (Azure re-serializes cookies): compare the name=value and the attributes.
    const session = cookies.find((c) => c.startsWith('session=s1;')) ?? '';
    const theme = cookies.find((c) => c.startsWith('theme=dark;')) ?? '';
    assert.match(session, /; HttpOnly/i, `got ${JSON.stringify(cookies)}`);
    assert.match(theme, /; Max-Age=60/i, `got ${JSON.stringify(cookies)}`);
    assert.equal(await res.text(), 'one,two,three');
  }),
];
