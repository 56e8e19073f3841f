/**
 * Functions the deployed-settings tests bundle into a GCP app: each reports what it saw to the test's probe
 * (FAASPORT_PROBE_URL) so the test can tell first deliveries, redeliveries and duplicates apart.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { event, http, queue, topic } from '../../../core/define.js';

async function report(seen: Record<string, unknown>): Promise<void> {
  const res = await fetch(process.env.FAASPORT_PROBE_URL!, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(seen) });
  if (!res.ok) throw new Error(`probe answered ${res.status}`);
}

/** The first delivery outlives a short ack deadline (body "slow:<ms>"); every call reports when it starts and ends. */
export const slowOnce = queue({ queue: 'jobs' }, async (msg) => {
  const started = { fn: 'slowOnce', id: msg.id, text: msg.text(), deliveryCount: msg.deliveryCount };
  await report({ ...started, phase: 'start' });
  const slow = /^slow:(\d+)$/.exec(msg.text());
  if (slow && msg.deliveryCount === 1) await sleep(Number(slow[1]));
  await report({ ...started, phase: 'end' });
});

export const tally = topic({ topic: 'tallies' }, async (msg) => {
  await report({ fn: 'tally', id: msg.id, text: msg.text(), deliveryCount: msg.deliveryCount });
});

/** Reports the event as it arrived, bytes data as base64. */
export const onAny = event({ type: 'com.example.blob.stored' }, async (ce) => {
  const { data, ...attributes } = ce;
  await report({ fn: 'onAny', attributes, dataBase64: data instanceof Uint8Array ? Buffer.from(data).toString('base64') : null, data: data instanceof Uint8Array ? null : data });
});

/** Answers after `?ms=` milliseconds. */
export const slowHttp = http({ route: '/slow' }, async (req) => {
  await sleep(Number(new URL(req.url).searchParams.get('ms') ?? 0));
  return new Response('done');
});

/** Counts the body it was given. */
export const upload = http({ route: '/upload', methods: ['POST'] }, async (req) => new Response(String((await req.arrayBuffer()).byteLength)));

/** Answers with the variables the deployment sets. */
export const showEnv = http({ route: '/env' }, () => Response.json({ greeting: process.env.GREETING ?? null, token: process.env.API_TOKEN ?? null }));
