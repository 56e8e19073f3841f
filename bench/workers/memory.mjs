/**
 * One provider's faasport adapter answering the user-style GET `calls` times in this process (run with
 * --expose-gc), reporting heap and RSS after a warm-up and at the end, each after a full GC:
 *   node --expose-gc bench/workers/memory.mjs <aws|azure|gcp> <dist> <calls>
 * Prints one JSON line.
 */
import { awsContender } from '../apps/aws.mjs';
import { providerContender } from '../apps/providers.mjs';
import { lambdaContext, userGetEvent } from '../lib/events.mjs';

const [provider, dist, callsText] = process.argv.slice(2);
const calls = Number(callsText);
console.log = () => {}; // adapters that log on their warm path must not flood the parent
let handler;
let make;
if (provider === 'aws') {
  handler = (await awsContender('faasport adapt()', dist)).handlers.uGet;
  const event = userGetEvent();
  const context = lambdaContext();
  make = () => [event, context];
} else {
  const c = await providerContender(`${provider} faasport`, dist);
  if (c.pending) {
    process.stdout.write(`${JSON.stringify({ provider, pending: c.pending })}\n`);
    process.exit(0);
  }
  handler = c.handlers.uGet;
  make = c.inputs.uGet;
}

const sample = () => {
  globalThis.gc();
  globalThis.gc();
  const m = process.memoryUsage();
  return { heap: m.heapUsed, rss: m.rss };
};
const run = async (n) => {
  for (let i = 0; i < n; i++) await handler(...make());
};

const warmup = Math.min(50_000, Math.max(1, Math.floor(calls / 20)));
await run(warmup);
const afterWarmup = sample();
const half = Math.floor(calls / 2);
await run(half);
const middle = sample();
await run(calls - half);
const end = sample();
process.stdout.write(`${JSON.stringify({ provider, warmup, calls, afterWarmup, middle, end })}\n`);
