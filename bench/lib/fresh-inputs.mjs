/**
 * Times `handler(...make())` over `calls` calls, in ns per call. Inputs are built untimed, 32 at a time
 * between timed stretches: a platform builds one per request and drops it after, so the young generation
 * holds a handful of them, not a whole batch (which would make every scavenge copy thousands of live inputs
 * and charge that to whoever allocates most).
 */
const CHUNK = 32;

export async function timeFreshInputs(handler, make, calls) {
  let ns = 0;
  for (let done = 0; done < calls; done += CHUNK) {
    const n = Math.min(CHUNK, calls - done);
    const inputs = Array.from({ length: n }, make);
    const start = process.hrtime.bigint();
    for (let i = 0; i < n; i++) await handler(...inputs[i]);
    ns += Number(process.hrtime.bigint() - start);
  }
  return ns / calls;
}
