/**
 * One provider's emulator in a process of its own, driven by scripts/stress.mjs over IPC, so the memory figures
 * are the emulator's and not the load generator's. Started as
 * `node emulator-host.mjs <provider> <dir>` with the functions' extra environment in STRESS_FUNCTION_ENV (JSON) and
 * the path of the faasport/conformance module in STRESS_CONFORMANCE_MODULE.
 * Messages in: {type:'deliver', fn, stimulus}, {type:'memory'}, {type:'stop'}. Out: {type:'ready', url},
 * {type:'delivered', report} or {type:'failed', error}, {type:'memory', ...}, {type:'stopped'}.
 * Uses only the public API of faasport/conformance (startEmulator, url, deliver, stop).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

// scripts/stress.mjs passes its copy of dist/conformance.js; run by hand, the repository's own.
const conformanceModule = process.env.STRESS_CONFORMANCE_MODULE ? pathToFileURL(process.env.STRESS_CONFORMANCE_MODULE).href : '../../dist/conformance.js';
const { startEmulator } = await import(conformanceModule);

const [provider, dir] = process.argv.slice(2);
const env = JSON.parse(process.env.STRESS_FUNCTION_ENV ?? '{}');

/** Linux only: resident memory of every process below this one (function processes, Azurite), from /proc. */
function descendantsMemory() {
  let entries;
  try {
    entries = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return undefined; // no /proc (not Linux): the figure is left out
  }
  const children = new Map();
  for (const pid of entries) {
    try {
      // Field 4 of /proc/<pid>/stat is the parent; the command name (field 2) may hold spaces, so split after ')'.
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid).push(Number(pid));
    } catch {
      // the process ended while we looked
    }
  }
  let count = 0;
  let rssBytes = 0;
  const queue = [...(children.get(process.pid) ?? [])];
  while (queue.length > 0) {
    const pid = queue.shift();
    queue.push(...(children.get(pid) ?? []));
    try {
      const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (match) {
        rssBytes += Number(match[1]) * 1024;
        count += 1;
      }
    } catch {
      // gone meanwhile
    }
  }
  return { count, rssBytes };
}

function memory() {
  globalThis.gc?.(); // started with --expose-gc by scripts/stress.mjs
  const { rss, heapUsed } = process.memoryUsage();
  return { rss, heapUsed, children: descendantsMemory() };
}

let emulator;
let stopping;
async function stop() {
  stopping ??= (emulator ? emulator.stop() : Promise.resolve()).catch((error) => console.error(`stress host: stop failed: ${error.message}`));
  await stopping;
}

// The stress script went away (ended or crashed): take the emulator and its processes down with us.
process.on('disconnect', () => void stop().finally(() => process.exit(0)));

process.on('message', async (message) => {
  switch (message.type) {
    case 'deliver':
      try {
        const report = await emulator.deliver(message.fn, message.stimulus);
        process.send({ type: 'delivered', report });
      } catch (error) {
        process.send({ type: 'failed', error: String(error?.message ?? error) });
      }
      break;
    case 'memory':
      process.send({ type: 'memory', ...memory() });
      break;
    case 'stop':
      await stop();
      process.send({ type: 'stopped' }, () => process.exit(0));
      break;
  }
});

try {
  emulator = await startEmulator({ provider, dir, env });
  process.send({ type: 'ready', url: emulator.url });
} catch (error) {
  process.send({ type: 'failed', error: `the ${provider} emulator did not start: ${error?.message ?? error}` }, () => process.exit(1));
}
