/**
 * Times `handler(...make())` over `calls` calls, in ns per call. Inputs are built untimed, 32 at a time
 * between timed stretches: a platform builds one per request and drops it after, so the young generation
 * holds a handful of them, not a whole batch (which would make every scavenge copy thousands of live inputs
 * and charge that to whoever allocates most). With `cpu`, also sets `cpu.ns`: CPU time (user + system) per
 * call over the same timed stretches (one getrusage pair per 32 calls, under 1% of a stretch).
 */
const CHUNK = 32;

export async function timeFreshInputs(handler, make, calls, cpu) {
  let ns = 0;
  let cpuUs = 0;
  for (let done = 0; done < calls; done += CHUNK) {
    const n = Math.min(CHUNK, calls - done);
    const inputs = Array.from({ length: n }, make);
    const cpuStart = cpu ? process.cpuUsage() : undefined;
    const start = process.hrtime.bigint();
    for (let i = 0; i < n; i++) await handler(...inputs[i]);
    ns += Number(process.hrtime.bigint() - start);
    if (cpu) {
      const used = process.cpuUsage(cpuStart);
      cpuUs += used.user + used.system;
    }
  }
  if (cpu) cpu.ns = (cpuUs * 1000) / calls;
  return ns / calls;
}
