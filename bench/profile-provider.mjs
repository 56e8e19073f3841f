#!/usr/bin/env node
/**
 * Runs one Azure or GCP contender on one request in a loop, for a CPU profile:
 *   node --cpu-prof --cpu-prof-dir=/tmp/prof bench/profile-provider.mjs [contender] [event] [calls]
 * contender: a name from apps/providers.mjs (default "gcp faasport"); event: get | postJson (default get).
 * Inputs are built 32 at a time between timed stretches, as in the bench; with REUSE=1 one input serves every
 * call (GET only), which keeps the platform's object construction out of the profile.
 */
import { PROVIDER_CONTENDERS, providerContender } from './apps/providers.mjs';
import { timeFreshInputs } from './lib/fresh-inputs.mjs';

const [name = 'gcp faasport', event = 'get', calls = '200000'] = process.argv.slice(2);
if (!PROVIDER_CONTENDERS.includes(name)) throw new Error(`contender must be one of: ${PROVIDER_CONTENDERS.join(', ')}`);
const contender = await providerContender(name, new URL('../dist', import.meta.url).href);
if (contender.pending) throw new Error(`${name}: ${contender.pending}`);
const handler = contender.handlers[event];
const make = contender.inputs[event];
const reused = process.env.REUSE ? make() : undefined;
const n = Number(calls);
for (let round = 0; round < 5; round++) {
  const ns = await timeFreshInputs(handler, reused ? () => reused : make, n);
  console.log(`${name} ${event}: ${ns.toFixed(0)} ns/call`);
}
