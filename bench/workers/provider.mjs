/** One Azure or GCP contender in its own process; same protocol as workers/aws.mjs. Inputs are built before each batch. */
import { providerContender } from '../apps/providers.mjs';

const [name, dist] = process.argv.slice(2);
const c = await providerContender(name, dist);
// Some adapters log through console on their warm path; keep the channel to the parent quiet.
console.log = () => {};
console.info = () => {};

/**
 * Inputs are built untimed, a few at a time: a platform builds one per request and drops it after, so the
 * young generation holds a handful of them, not a whole batch (which would make every scavenge copy
 * thousands of live inputs and charge that to whoever allocates most).
 */
const CHUNK = 32;

async function batch(handler, make, iterations) {
  let ns = 0;
  for (let done = 0; done < iterations; done += CHUNK) {
    const n = Math.min(CHUNK, iterations - done);
    const inputs = Array.from({ length: n }, make);
    const start = process.hrtime.bigint();
    for (let i = 0; i < n; i++) await handler(...inputs[i]);
    ns += Number(process.hrtime.bigint() - start);
  }
  return ns / iterations;
}

process.on('message', async (m) => {
  try {
    const handler = c.handlers[m.event];
    const make = c.inputs[m.event];
    if (m.cmd === 'outcome') {
      const input = make();
      process.send({ outcome: await c.outcome(await handler(...input), input) });
    } else if (m.cmd === 'calibrate') {
      const warmEnd = Date.now() + m.warmupMs;
      while (Date.now() < warmEnd) await batch(handler, make, 64);
      let iterations = 16;
      for (;;) {
        const ns = await batch(handler, make, iterations);
        if ((ns * iterations) / 1e6 >= m.batchMs / 4 || iterations >= 1 << 16) {
          process.send({ iterations: Math.min(50_000, Math.max(16, Math.round((m.batchMs * 1e6) / ns))) });
          break;
        }
        iterations *= 4;
      }
    } else if (m.cmd === 'batch') {
      const spinEnd = Date.now() + (m.spinMs ?? 0);
      while (Date.now() < spinEnd) await batch(handler, make, 32);
      process.send({ ns: await batch(handler, make, m.iterations) });
    }
  } catch (error) {
    process.send({ error: error instanceof Error ? error.stack : String(error) });
  }
});
process.send({ ready: true, name: c.name, note: c.pending, events: c.pending ? [] : Object.keys(c.handlers) });
