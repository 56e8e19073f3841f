/**
 * Event functions the emulator tests bundle into a GCP app. Each reports what it saw to the test's probe
 * (FAASPORT_PROBE_URL). Bodies steer failures: "always-fail" throws on every delivery; "crash-once"
 * exits the process on its first delivery (first seen deliveryCount 1 for a queue; for a topic, whose
 * deliveryCount is always 1 on GCP, the first time a marker file for the message is missing).
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { event, http, queue, schedule, storage, topic } from '../../../core/define.js';
import type { Message } from '../../../core/types.js';

async function report(fn: string, seen: Record<string, unknown>): Promise<void> {
  const res = await fetch(process.env.FAASPORT_PROBE_URL!, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ fn, pid: process.pid, ...seen }),
  });
  if (!res.ok) throw new Error(`probe answered ${res.status}`);
}

const view = (msg: Message) => ({
  id: msg.id,
  text: msg.text(),
  bodyBase64: Buffer.from(msg.body).toString('base64'),
  attributes: msg.attributes,
  deliveryCount: msg.deliveryCount,
  source: msg.source,
  publishedAt: msg.publishedAt?.toISOString() ?? null,
});

function firstTime(msg: Message): boolean {
  const marker = join(process.env.FAASPORT_MARKER_DIR!, `crashed-${msg.text()}`);
  if (existsSync(marker)) return false;
  writeFileSync(marker, '');
  return true;
}

export const onOrder = queue({ queue: 'orders', maxAttempts: 3 }, async (msg, ctx) => {
  await report('onOrder', { provider: ctx.provider, invocationId: ctx.invocationId, ...view(msg) });
  if (msg.text().includes('always-fail')) throw new Error('fails on purpose');
  if (msg.text().includes('crash-once') && msg.deliveryCount === 1) process.exit(1);
});

export const onSignup = topic({ topic: 'signups', maxAttempts: 3 }, async (msg) => {
  await report('onSignup', view(msg));
  if (msg.text().includes('always-fail')) throw new Error('fails on purpose');
  if (msg.text().includes('crash-once') && firstTime(msg)) process.exit(1);
});

export const onUpload = storage({ bucket: 'uploads', events: ['created', 'deleted'] }, async (obj) => {
  await report('onUpload', { ...obj, time: obj.time.toISOString() });
});

export const nightly = schedule({ cron: '0 3 * * *' }, async (tick) => {
  await report('nightly', { scheduledTime: tick.scheduledTime.toISOString() });
});

export const onShipped = event({ type: 'com.example.order.shipped' }, async (ce, ctx) => {
  await report('onShipped', { cloudEvent: ce, invocationId: ctx.invocationId });
});

export const ping = http({ route: '/ping' }, () => new Response('pong'));
