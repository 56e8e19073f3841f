/**
 * Interleaved timing over worker processes (one per contender, so each keeps its own JIT state, heap and
 * globals): in each round every contender runs one batch, in a rotating order, one process at a time, so
 * drift (CPU frequency, the machine's other load) falls on all of them alike. The score is the median over
 * rounds of the per-call time of a batch. Workers also report the CPU time of each batch (process.cpuUsage,
 * user + system): on a machine shared with other work, wall time includes waiting for a core and swings
 * +-50% between runs, while CPU time moves far less.
 */
export const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** @returns Map worker name -> median wall ns per call, with `.cpu`: Map worker name -> median CPU ns per call (absent when a worker reports none) */
export async function timeInterleaved(workers, event, { rounds = 9, batchMs = 50, warmupMs = 300, spinMs = 30 } = {}) {
  const plan = [];
  for (const worker of workers) {
    const { iterations } = await worker.request({ cmd: 'calibrate', event, batchMs, warmupMs });
    plan.push({ worker, iterations, samples: [], cpu: [] });
  }
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < plan.length; k++) {
      const p = plan[(k + round) % plan.length];
      const { ns, cpuNs } = await p.worker.request({ cmd: 'batch', event, iterations: p.iterations, spinMs });
      p.samples.push(ns);
      if (cpuNs !== undefined) p.cpu.push(cpuNs);
    }
  }
  const wall = new Map(plan.map((p) => [p.worker.name, median(p.samples)]));
  wall.cpu = new Map(plan.filter((p) => p.cpu.length > 0).map((p) => [p.worker.name, median(p.cpu)]));
  return wall;
}
