/** One Azure or GCP contender in its own process; same protocol as workers/aws.mjs. Inputs are fresh per call (lib/fresh-inputs.mjs). */
import { providerContender } from '../apps/providers.mjs';
import { serveTimings } from '../lib/timing-worker.mjs';

const [name, dist] = process.argv.slice(2);
const c = await providerContender(name, dist);
// Some adapters log through console on their warm path; keep the channel to the parent quiet.
console.log = () => {};
console.info = () => {};

serveTimings((event) => {
  const handler = c.handlers[event];
  const make = c.inputs[event];
  return {
    call: handler,
    make,
    outcome: async () => {
      const input = make();
      return c.outcome(await handler(...input), input);
    },
  };
});
process.send({ ready: true, name: c.name, note: c.pending, events: c.pending ? [] : Object.keys(c.handlers) });
