/**
 * One AWS contender in its own process, driven by the parent over IPC:
 *   { cmd: 'outcome', event }           -> { outcome }  (the handler's answer, for validation)
 *   { cmd: 'calibrate', event, batchMs } -> { iterations }
 *   { cmd: 'batch', event, iterations, spinMs } -> { ns, cpuNs } (wall and CPU time per call, after spinMs of unmeasured calls)
 *   { cmd: 'alloc', event, calls }       -> { bytes } (JS heap allocated per call, lib/alloc.mjs)
 */
import { awsContender } from '../apps/aws.mjs';
import { allocationPerCall } from '../lib/alloc.mjs';
import { getEvent, lambdaContext, postJsonEvent, sqsEvent, uploadEvent, userGetEvent, userPostJsonEvent, userUploadEvent } from '../lib/events.mjs';

const [name, dist] = process.argv.slice(2);
const contender = await awsContender(name, dist);
const events = {
  get: getEvent(),
  postJson: postJsonEvent(),
  upload: uploadEvent().event,
  sqs: sqsEvent(),
  sqsSync: sqsEvent(),
  uGet: userGetEvent(),
  uPostJson: userPostJsonEvent(),
  uUpload: userUploadEvent().event,
  uSqs: sqsEvent(),
};
const context = lambdaContext();

async function batch(handler, event, iterations, cpu) {
  const cpuStart = cpu ? process.cpuUsage() : undefined;
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) await handler(event, context);
  const ns = Number(process.hrtime.bigint() - start) / iterations;
  if (cpu) {
    const used = process.cpuUsage(cpuStart);
    cpu.ns = ((used.user + used.system) * 1000) / iterations;
  }
  return ns;
}

process.on('message', async (m) => {
  try {
    const handler = contender.handlers[m.event];
    const event = events[m.event];
    if (m.cmd === 'outcome') {
      process.send({ outcome: handler ? await handler(event, context) : undefined });
    } else if (m.cmd === 'calibrate') {
      const warmEnd = Date.now() + m.warmupMs;
      while (Date.now() < warmEnd) await batch(handler, event, 64);
      let iterations = 16;
      for (;;) {
        const ns = await batch(handler, event, iterations);
        if ((ns * iterations) / 1e6 >= m.batchMs / 4 || iterations >= 1 << 22) {
          process.send({ iterations: Math.max(16, Math.round((m.batchMs * 1e6) / ns)) });
          break;
        }
        iterations *= 4;
      }
    } else if (m.cmd === 'batch') {
      // The process sat idle while the others ran: run unmeasured first, so the measured calls find the
      // CPU, caches and heap as a busy function would (short batches right after idle read 1.5-3x slower).
      const spinEnd = Date.now() + (m.spinMs ?? 0);
      while (Date.now() < spinEnd) await batch(handler, event, 32);
      const cpu = {};
      const ns = await batch(handler, event, m.iterations, cpu);
      process.send({ ns, cpuNs: cpu.ns });
    } else if (m.cmd === 'alloc') {
      process.send({ bytes: await allocationPerCall((n) => batch(handler, event, n), m.calls) });
    }
  } catch (error) {
    process.send({ error: error instanceof Error ? error.stack : String(error) });
  }
});
process.send({ ready: true, name: contender.name, note: contender.note, events: Object.keys(contender.handlers) });
