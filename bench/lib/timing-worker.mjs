/**
 * The message loop of a timing worker process (workers/provider.mjs, workers/idioms.mjs): `outcome`, `calibrate`,
 * `batch` and `alloc` commands over `call(...make())`, each call on a fresh input (lib/fresh-inputs.mjs).
 * `pick(event)` names what to time for an event: `{ call, make, outcome }`, where `outcome()` runs once and says
 * what the call answered (so the parent can check both contenders do the same work).
 */
import { allocationPerCall } from './alloc.mjs';
import { timeFreshInputs } from './fresh-inputs.mjs';

export function serveTimings(pick) {
  process.on('message', async (m) => {
    try {
      const { call, make, outcome } = pick(m.event);
      if (m.cmd === 'outcome') {
        process.send({ outcome: await outcome() });
      } else if (m.cmd === 'calibrate') {
        const warmEnd = Date.now() + m.warmupMs;
        while (Date.now() < warmEnd) await timeFreshInputs(call, make, 64);
        let iterations = 16;
        for (;;) {
          const ns = await timeFreshInputs(call, make, iterations);
          if ((ns * iterations) / 1e6 >= m.batchMs / 4 || iterations >= 1 << 16) {
            process.send({ iterations: Math.min(50_000, Math.max(16, Math.round((m.batchMs * 1e6) / ns))) });
            break;
          }
          iterations *= 4;
        }
      } else if (m.cmd === 'batch') {
        const spinEnd = Date.now() + (m.spinMs ?? 0);
        while (Date.now() < spinEnd) await timeFreshInputs(call, make, 32);
        const cpu = {};
        const ns = await timeFreshInputs(call, make, m.iterations, cpu);
        process.send({ ns, cpuNs: cpu.ns });
      } else if (m.cmd === 'alloc') {
        // The inputs are built inside the window too: measure them alone and subtract.
        const inputs = await allocationPerCall(async (n) => {
          for (let i = 0; i < n; i++) make();
        }, m.calls);
        const all = await allocationPerCall((n) => timeFreshInputs(call, make, n), m.calls);
        process.send({ bytes: Math.max(0, all - inputs) });
      }
    } catch (error) {
      process.send({ error: error instanceof Error ? error.stack : String(error) });
    }
  });
}
