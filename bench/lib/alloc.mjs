/**
 * Bytes of JS heap allocated per call: the growth of the used heap over `calls` calls plus what every GC
 * in between freed (v8.GCProfiler reports the used heap before and after each collection). Off-heap
 * ArrayBuffer contents (Buffer bodies) are not counted.
 */
import v8 from 'node:v8';

export async function allocationPerCall(runCalls, calls) {
  const profiler = new v8.GCProfiler();
  profiler.start();
  const start = v8.getHeapStatistics().used_heap_size;
  await runCalls(calls);
  const end = v8.getHeapStatistics().used_heap_size;
  const { statistics } = profiler.stop();
  let freed = 0;
  for (const gc of statistics) freed += gc.beforeGC.heapStatistics.usedHeapSize - gc.afterGC.heapStatistics.usedHeapSize;
  return Math.max(0, end - start + freed) / calls;
}
