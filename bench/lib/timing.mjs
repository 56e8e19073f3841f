/**
 * Interleaved timing over worker processes (one per contender, so each keeps its own JIT state, heap and
 * globals): in each round every contender runs one batch, in a rotating order, one process at a time, so
 * drift (CPU frequency, the machine's other load) falls on all of them alike. The score is the median over
 * rounds of the per-call time of a batch.
 */
export const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** @returns Map worker name -> median ns per call */
export async function timeInterleaved(workers, event, { rounds = 9, batchMs = 50, warmupMs = 300, spinMs = 30 } = {}) {
  const plan = [];
  for (const worker of workers) {
    const { iterations } = await worker.request({ cmd: 'calibrate', event, batchMs, warmupMs });
    plan.push({ worker, iterations, samples: [] });
  }
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < plan.length; k++) {
      const p = plan[(k + round) % plan.length];
      p.samples.push((await p.worker.request({ cmd: 'batch', event, iterations: p.iterations, spinMs })).ns);
    }
  }
  return new Map(plan.map((p) => [p.worker.name, median(p.samples)]));
}
