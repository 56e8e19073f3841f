/**
 * At-least-once fixture: a queue function that reports every delivery it gets (message id, text, delivery count)
 * to the runner's probe, so a case can see a duplicate arrive with the id of the message it repeats.
 */
import { queue } from 'faasport';

export const onceMore = queue({ queue: 'redelivered' }, async (msg, ctx) => {
  const url = process.env.FAASPORT_PROBE_URL;
  if (!url) return;
  const seen = { fn: 'onceMore', provider: ctx.provider, id: msg.id, text: msg.text(), deliveryCount: msg.deliveryCount };
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(seen) });
  if (!res.ok) throw new Error(`probe answered ${res.status}`);
});
