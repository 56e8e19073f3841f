#!/usr/bin/env node
/**
 * Runs one AWS contender on one event in a loop, for a CPU profile:
 *   node --cpu-prof --cpu-prof-dir=/tmp/prof bench/profile.mjs [event] [contender] [calls]
 * event: get | postJson | upload | sqs | sqsSync, or the user-style uGet | uPostJson | uUpload | uSqs (default get); contender: a name from apps/aws.mjs (default faasport).
 * Prints time per call every round; load the .cpuprofile in Chrome DevTools, or sum self time by function.
 */
import { AWS_CONTENDERS, awsContender } from './apps/aws.mjs';
import { getEvent, lambdaContext, postJsonEvent, sqsEvent, uploadEvent, userGetEvent, userPostJsonEvent, userUploadEvent } from './lib/events.mjs';

const [event = 'get', who = 'faasport adapt()', calls = '100000'] = process.argv.slice(2);
if (!AWS_CONTENDERS.includes(who)) throw new Error(`contender must be one of: ${AWS_CONTENDERS.join(', ')}`);
const contender = await awsContender(who, new URL('../dist', import.meta.url).href);
const input = {
  get: getEvent,
  postJson: postJsonEvent,
  upload: () => uploadEvent().event,
  sqs: sqsEvent,
  sqsSync: sqsEvent,
  uGet: userGetEvent,
  uPostJson: userPostJsonEvent,
  uUpload: () => userUploadEvent().event,
  uSqs: sqsEvent,
}[event]();
const handler = contender.handlers[event];
if (!handler) throw new Error(`${who} has no handler for ${event}`);
const context = lambdaContext();
const n = Number(calls);
for (let round = 0; round < 5; round++) {
  const start = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  for (let i = 0; i < n; i++) await handler(input, context);
  const used = process.cpuUsage(cpu);
  // CPU time too: on a loaded machine it moves far less than wall time (it leaves out time spent waiting for a core).
  console.log(`${who} ${event}: ${(Number(process.hrtime.bigint() - start) / n).toFixed(0)} ns/call wall, ${(((used.user + used.system) * 1000) / n).toFixed(0)} ns/call cpu`);
}
