#!/usr/bin/env node
/**
 * Seeded faults: each one is a one-line change to an emulator, applied in a temporary copy of this checkout
 * (never here, never shipped), then the conformance suite runs there and must fail. Prints, per fault, the
 * cases that caught it. Usage: node scripts/seed-faults.mjs [fault-id ...]   (about a minute per fault)
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(new URL('..', import.meta.url).pathname);
const FLIP_100 = (expr) => `((b) => { if (b && b.length > 100) b[100] ^= 0x01; return b; })(${expr})`;

export const FAULTS = [
  { id: 'aws-flipped-byte', file: 'conformance-tests/emulators/aws/front-door.ts', find: 'bodyless ? undefined : response.body);', replace: `bodyless ? undefined : ${FLIP_100('response.body')});` },
  { id: 'aws-dropped-header', file: 'conformance-tests/emulators/aws/front-door.ts', find: "headers['apigw-requestid'] = newRequestId();", replace: "headers['apigw-requestid'] = newRequestId(); delete headers['x-item-id'];" },
  // The event source mapping deletes a message the function reported failed instead of releasing it.
  { id: 'aws-acked-failure', file: 'conformance-tests/emulators/aws/event-source-mapping.ts', find: "const keep = verdict.kind === 'failure' || verdict.failed.has(m.messageId);", replace: 'const keep = false;' },
  // The fixture app streams, so the generated Azure app runs in stream mode: the host's answer is the library's own
  // HTTP response, forwarded by http-stream.ts.
  {
    id: 'azure-flipped-byte',
    file: 'conformance-tests/emulators/azure/http-stream.ts',
    find: '    answer.pipe(res);',
    replace: "    let at = 0;\n    answer.on('data', (c: Buffer) => { if (at <= 100 && at + c.length > 100) c[100 - at] ^= 0x01; at += c.length; });\n    answer.pipe(res);",
  },
  { id: 'azure-dropped-header', file: 'conformance-tests/emulators/azure/http-stream.ts', find: '    res.writeHead(answer.statusCode ?? 500, out);', replace: "    delete out['x-item-id'];\n    res.writeHead(answer.statusCode ?? 500, out);" },
  // An app without streaming functions (the shop) is answered from the invocation's result instead: its own cases catch it.
  {
    id: 'azure-flipped-byte-buffered',
    file: 'conformance-tests/emulators/azure/emulator.ts',
    find: 'res.end(bodyless ? undefined : answer.body);',
    replace: `res.end(bodyless ? undefined : ${FLIP_100('answer.body')});`,
    tests: 'examples/shop/conformance.test.ts',
  },
  { id: 'azure-acked-failure', file: 'conformance-tests/emulators/azure/delivery.ts', find: '      if (result.ok) {', replace: '      if (result.ok || !result.ok) {' },
  {
    id: 'gcp-flipped-byte',
    file: 'conformance-tests/emulators/gcp/proxy.ts',
    find: '      answer.pipe(res);',
    replace: "      let at = 0;\n      answer.on('data', (c: Buffer) => { if (at <= 100 && at + c.length > 100) c[100 - at] ^= 0x01; at += c.length; });\n      answer.pipe(res);",
  },
  { id: 'gcp-dropped-header', file: 'conformance-tests/emulators/gcp/proxy.ts', find: 'endToEndHeaders(answer.rawHeaders));', replace: "endToEndHeaders(answer.rawHeaders).filter((_, i, all) => all[i - (i % 2)]!.toLowerCase() !== 'x-item-id'));" },
  { id: 'gcp-acked-failure', file: 'conformance-tests/emulators/gcp/delivery.ts', find: 'return { acked: result.status !== undefined && ACK_STATUSES.has(result.status), detail: result.detail };', replace: 'return { acked: true, detail: result.detail };' },
];

function copyCheckout() {
  const dir = mkdtempSync(join(tmpdir(), 'faasport-fault-'));
  cpSync(root, dir, { recursive: true, filter: (src) => !/\/(node_modules|dist|\.git|\.faasport[^/]*|\.stryker-tmp|reports)(\/|$)/.test(src.slice(root.length)) });
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
  return dir;
}

const asked = process.argv.slice(2);
const faults = asked.length > 0 ? FAULTS.filter((f) => asked.includes(f.id)) : FAULTS;
const caughtAll = [];
for (const fault of faults) {
  const dir = copyCheckout();
  try {
    const path = join(dir, fault.file);
    const text = readFileSync(path, 'utf8');
    if (text.split(fault.find).length !== 2) throw new Error(`${fault.id}: "${fault.find}" is not in ${fault.file} exactly once; update the fault`);
    writeFileSync(path, text.replace(fault.find, fault.replace));
    const provider = fault.id.split('-')[0];
    const run = spawnSync(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', fault.tests ?? 'conformance-tests/conformance.test.ts', '--reporter=json'], {
      cwd: dir,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    const start = run.stdout.indexOf('{"');
    const json = JSON.parse(run.stdout.slice(start));
    const failed = json.testResults.flatMap((f) => f.assertionResults.filter((a) => a.status === 'failed'));
    const how = (message) => {
      const failedOn = [...new Set([...message.matchAll(/\[(aws|azure|gcp)\]/g)].map((m) => m[1]))];
      if (failedOn.length > 0) return `assertion failed on ${failedOn.join(', ')}`;
      const differs = /differs on ([a-z, ]+) and no documented/.exec(message);
      return differs ? `providers differ: ${differs[1]}` : message.split('\n')[0];
    };
    const caught = failed.map((a) => `${a.title} (${how(a.failureMessages.join('\n'))})`);
    caughtAll.push({ fault: fault.id, provider, caught });
    console.log(`${fault.id}: ${caught.length === 0 ? 'NOT CAUGHT' : `caught by ${caught.length} case(s):`}`);
    for (const c of caught) console.log(`  - ${c}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
process.exit(caughtAll.every((c) => c.caught.length > 0) ? 0 : 1);
