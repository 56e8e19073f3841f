/** One Azure or GCP contender in its own process; same protocol as workers/aws.mjs. Inputs are fresh per call (lib/fresh-inputs.mjs). */
import { providerContender } from '../apps/providers.mjs';
import { allocationPerCall } from '../lib/alloc.mjs';
import { timeFreshInputs } from '../lib/fresh-inputs.mjs';

const [name, dist] = process.argv.slice(2);
const c = await providerContender(name, dist);
// Some adapters log through console on their warm path; keep the channel to the parent quiet.
console.log = () => {};
console.info = () => {};

process.on('message', async (m) => {
  try {
    const handler = c.handlers[m.event];
    const make = c.inputs[m.event];
    if (m.cmd === 'outcome') {
      const input = make();
      process.send({ outcome: await c.outcome(await handler(...input), input) });
    } else if (m.cmd === 'calibrate') {
      const warmEnd = Date.now() + m.warmupMs;
      while (Date.now() < warmEnd) await timeFreshInputs(handler, make, 64);
      let iterations = 16;
      for (;;) {
        const ns = await timeFreshInputs(handler, make, iterations);
        if ((ns * iterations) / 1e6 >= m.batchMs / 4 || iterations >= 1 << 16) {
          process.send({ iterations: Math.min(50_000, Math.max(16, Math.round((m.batchMs * 1e6) / ns))) });
          break;
        }
        iterations *= 4;
      }
    } else if (m.cmd === 'batch') {
      const spinEnd = Date.now() + (m.spinMs ?? 0);
      while (Date.now() < spinEnd) await timeFreshInputs(handler, make, 32);
      const cpu = {};
      const ns = await timeFreshInputs(handler, make, m.iterations, cpu);
      process.send({ ns, cpuNs: cpu.ns });
    } else if (m.cmd === 'alloc') {
      // The platform's inputs are built inside the window too: measure them alone and subtract.
      const inputs = await allocationPerCall(async (n) => {
        for (let i = 0; i < n; i++) make();
      }, m.calls);
      const all = await allocationPerCall((n) => timeFreshInputs(handler, make, n), m.calls);
      process.send({ bytes: Math.max(0, all - inputs) });
    }
  } catch (error) {
    process.send({ error: error instanceof Error ? error.stack : String(error) });
  }
});
process.send({ ready: true, name: c.name, note: c.pending, events: c.pending ? [] : Object.keys(c.handlers) });
