/**
 * Streaming: a streamed response built by faasport (a small app, `faasport build`) against a hand-written
 * native streaming handler of each platform, both served by that provider's local emulator over the same
 * platform path (AWS: the Function URL in RESPONSE_STREAM mode through aws-lambda-ric; Azure: the v4 library in
 * stream mode behind the emulated host; GCP: functions-framework behind the emulator's front door).
 * Two responses: an SSE of 20 events 50 ms apart and a download of 64 KiB chunks. The client (node:http)
 * records the time to the first body byte (TTFB) and to the end; rounds alternate the order of the two
 * contenders; medians over the rounds. Printed, not asserted.
 */
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fmtRatio, table } from '../lib/table.mjs';
import { median } from '../lib/timing.mjs';

const SSE_EVENTS = 20;
const SSE_GAP_MS = 50;
const CHUNK = 64 * 1024;

/** The bytes both contenders send: SSE event n, and download chunk k (filled with (k * 7 + 1) mod 256). */
const SHARED_JS = `const SSE_EVENTS = ${SSE_EVENTS};
const SSE_GAP_MS = ${SSE_GAP_MS};
const CHUNK = ${CHUNK};
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const sseEvent = (n) => \`id: \${n}\\nevent: tick\\ndata: {"n":\${n}}\\n\\n\`;
const downloadChunk = (k) => new Uint8Array(CHUNK).fill((k * 7 + 1) & 0xff);
`;

/** The faasport app: what a user writes once for every provider. */
const FAASPORT_APP = `import { http } from 'faasport';
${SHARED_JS}
const encoder = new TextEncoder();

export const sse = http({ route: '/sse', methods: ['GET'], stream: true }, () => {
  let n = 0;
  return new Response(
    new ReadableStream({
      async pull(controller) {
        if (n > 0) await sleep(SSE_GAP_MS);
        controller.enqueue(encoder.encode(sseEvent(n)));
        if (++n === SSE_EVENTS) controller.close();
      },
    }),
    { headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' } },
  );
});

export const download = http({ route: '/download', methods: ['GET'], stream: true }, (req) => {
  const chunks = Number(new URL(req.url).searchParams.get('mb')) * 16;
  let k = 0;
  return new Response(
    new ReadableStream({
      pull(controller) {
        controller.enqueue(downloadChunk(k));
        if (++k === chunks) controller.close();
      },
    }),
    { headers: { 'content-type': 'application/octet-stream' } },
  );
});
`;

/**
 * AWS: one file per function, as Lambda loads it (`index.handler`). The runtime defines the awslambda global
 * (https://docs.aws.amazon.com/lambda/latest/dg/response-streaming-tutorial.html writes handlers this way).
 */
const AWS_NATIVE = {
  nativeSse: `${SHARED_JS}
export const handler = awslambda.streamifyResponse(async (event, responseStream) => {
  responseStream = awslambda.HttpResponseStream.from(responseStream, {
    statusCode: 200,
    headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' },
  });
  for (let n = 0; n < SSE_EVENTS; n++) {
    if (n > 0) await sleep(SSE_GAP_MS);
    responseStream.write(sseEvent(n));
  }
  responseStream.end();
});
`,
  nativeDownload: `import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
${SHARED_JS}
export const handler = awslambda.streamifyResponse(async (event, responseStream) => {
  const chunks = Number(event.queryStringParameters?.mb) * 16;
  responseStream = awslambda.HttpResponseStream.from(responseStream, {
    statusCode: 200,
    headers: { 'content-type': 'application/octet-stream' },
  });
  await pipeline(Readable.from((function* () { for (let k = 0; k < chunks; k++) yield downloadChunk(k); })()), responseStream);
});
`,
};

/**
 * Azure: the v4 model in stream mode, a Node Readable as the body
 * (https://learn.microsoft.com/azure/azure-functions/functions-reference-node#http-streams).
 */
const AZURE_NATIVE = `import { app } from '@azure/functions';
import { Readable } from 'node:stream';
${SHARED_JS}
app.setup({ enableHttpStream: true });

app.http('nativeSse', {
  methods: ['GET'],
  authLevel: 'anonymous',
  route: 'native/sse',
  handler: async () => {
    async function* events() {
      for (let n = 0; n < SSE_EVENTS; n++) {
        if (n > 0) await sleep(SSE_GAP_MS);
        yield Buffer.from(sseEvent(n));
      }
    }
    return { headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' }, body: Readable.from(events()) };
  },
});

app.http('nativeDownload', {
  methods: ['GET'],
  authLevel: 'anonymous',
  route: 'native/download',
  handler: async (request) => {
    const chunks = Number(request.query.get('mb')) * 16;
    function* all() {
      for (let k = 0; k < chunks; k++) yield downloadChunk(k);
    }
    return { headers: { 'content-type': 'application/octet-stream' }, body: Readable.from(all()) };
  },
});
`;

/** GCP: a plain functions-framework handler writing chunks with res.write, waiting for 'drain' when told to. */
const GCP_NATIVE = `import functions from '@google-cloud/functions-framework';
import { once } from 'node:events';
${SHARED_JS}
functions.http('nativeSse', async (req, res) => {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  for (let n = 0; n < SSE_EVENTS; n++) {
    if (n > 0) await sleep(SSE_GAP_MS);
    res.write(sseEvent(n));
  }
  res.end();
});

functions.http('nativeDownload', async (req, res) => {
  const chunks = Number(req.query.mb) * 16;
  res.writeHead(200, { 'content-type': 'application/octet-stream' });
  for (let k = 0; k < chunks; k++) {
    if (!res.write(downloadChunk(k))) await once(res, 'drain');
  }
  res.end();
});
`;

const NATIVE_ROUTES = { nativeSse: '/native/sse', nativeDownload: '/native/download' };
const FAASPORT_OF = { nativeSse: 'sse', nativeDownload: 'download' };

const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));
const writeJson = (file, value) => writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);

/** A manifest entry for a native function, cloned from its faasport twin (same settings), with its own name and route. */
function nativeEntry(manifest, name, overrides) {
  const twin = manifest.functions.find((f) => f.name === FAASPORT_OF[name]);
  return { ...twin, name, export: name, options: { ...twin.options, route: NATIVE_ROUTES[name] }, ...overrides };
}

/** Adds the native handlers to a provider's build output, as a user would deploy them next to faasport's. */
function addNative(provider, dir) {
  const manifestFile = join(dir, 'faasport.json');
  const manifest = readJson(manifestFile);
  if (provider === 'aws') {
    for (const [name, code] of Object.entries(AWS_NATIVE)) {
      mkdirSync(join(dir, name), { recursive: true });
      writeFileSync(join(dir, name, 'index.mjs'), code);
      manifest.functions.push(nativeEntry(manifest, name, { entry: `${name}/index.mjs`, handler: `${name}/index.handler` }));
    }
  } else {
    // Azure and GCP load one app module: it loads faasport's entry and the native module.
    writeFileSync(join(dir, 'native.mjs'), provider === 'azure' ? AZURE_NATIVE : GCP_NATIVE);
    writeFileSync(join(dir, 'bench-main.mjs'), "import './index.mjs';\nimport './native.mjs';\n");
    const pkg = readJson(join(dir, 'package.json'));
    writeJson(join(dir, 'package.json'), { ...pkg, main: 'bench-main.mjs' });
    // The GCP emulator's front door routes by faasport.json; the Azure host asks the worker what it registered.
    if (provider === 'gcp') for (const name of Object.keys(NATIVE_ROUTES)) manifest.functions.push(nativeEntry(manifest, name, {}));
  }
  writeJson(manifestFile, manifest);
}

/** One GET: ms to the response head, to the first body byte and to the end; the bytes; a sha256 when asked. */
function timedGet(url, { hash = false } = {}) {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const ms = () => Number(process.hrtime.bigint() - start) / 1e6;
    const req = request(url, { agent: false }, (res) => {
      const headMs = ms();
      let firstMs;
      let bytes = 0;
      const sha = hash ? createHash('sha256') : undefined;
      res.on('data', (chunk) => {
        firstMs ??= ms();
        bytes += chunk.byteLength;
        sha?.update(chunk);
      });
      res.on('end', () => resolve({ status: res.statusCode, headMs, ttfbMs: firstMs ?? ms(), totalMs: ms(), bytes, sha256: sha?.digest('hex') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    // A stuck emulator must not stall the whole bench run.
    const stuck = setTimeout(() => req.destroy(new Error(`${url} did not finish within 60 s`)), 60_000);
    req.on('close', () => clearTimeout(stuck));
    req.end();
  });
}

/** The SSE's bytes and their sha256. */
function expectedSse() {
  let text = '';
  for (let n = 0; n < SSE_EVENTS; n++) text += `id: ${n}\nevent: tick\ndata: {"n":${n}}\n\n`;
  return { bytes: Buffer.byteLength(text), sha256: createHash('sha256').update(text).digest('hex') };
}

function expectedDownloadSha256(mb) {
  const sha = createHash('sha256');
  for (let k = 0; k < mb * 16; k++) sha.update(new Uint8Array(CHUNK).fill((k * 7 + 1) & 0xff));
  return sha.digest('hex');
}

const ms = (value) => (value === undefined ? 'n/a' : `${value.toFixed(1)} ms`);
const mbps = (bytes, totalMs) => (bytes / 1024 / 1024 / (totalMs / 1000)).toFixed(0);

export async function streaming({ root, dist, quick }) {
  // A download takes a few hundred ms, an SSE a second: more rounds of the download for the same run time.
  const rounds = { sse: quick ? 3 : 5, download: quick ? 5 : 9 };
  const mb = quick ? 5 : 20;
  const dir = mkdtempSync(join(tmpdir(), 'faasport-stream-bench-'));
  const rows = [];
  const closing = [];
  const notes = [];
  const results = {};
  try {
    const app = join(dir, 'app');
    mkdirSync(join(app, 'src'), { recursive: true });
    writeFileSync(join(app, 'src', 'index.ts'), FAASPORT_APP);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'stream-bench-app', private: true, type: 'module' }));
    const cli = spawnSync(process.execPath, [join(root, 'dist', 'cli.js'), 'build', '--provider', 'all', '--out', 'out'], { cwd: app, encoding: 'utf8' });
    if (cli.status !== 0) {
      console.log(`\nstreaming: faasport build failed, nothing timed:\n${(cli.stderr || cli.stdout).trim()}`);
      return results;
    }
    const { startEmulator } = await import(`${dist}/conformance.js`);
    const sseExpected = expectedSse();
    const downloadSha = expectedDownloadSha256(mb);
    for (const provider of ['aws', 'azure', 'gcp']) {
      const out = join(app, 'out', provider);
      addNative(provider, out);
      let emulator;
      try {
        emulator = await startEmulator({ provider, dir: out });
        const contenders = { faasport: { sse: '/sse', download: `/download?mb=${mb}` }, native: { sse: '/native/sse', download: `/native/download?mb=${mb}` } };
        // Check each answer once (and warm each function up) before timing.
        const valid = {};
        for (const [who, paths] of Object.entries(contenders)) {
          const sse = await timedGet(emulator.url + paths.sse, { hash: true });
          const download = await timedGet(emulator.url + paths.download, { hash: true });
          const wrong = [];
          if (sse.status !== 200 || sse.sha256 !== sseExpected.sha256) wrong.push(`SSE ${sse.status}, ${sse.bytes} bytes (expected ${sseExpected.bytes}), not the expected text`);
          if (download.status !== 200 || download.sha256 !== downloadSha) wrong.push(`download ${download.status}, ${download.bytes} bytes, not the expected sha256`);
          if (wrong.length > 0) notes.push(`${provider} ${who}: ${wrong.join('; ')}; not timed`);
          else valid[who] = paths;
        }
        const samples = {};
        for (let round = 0; round < Math.max(rounds.sse, rounds.download); round++) {
          const order = round % 2 === 0 ? Object.keys(valid) : Object.keys(valid).reverse();
          for (const kind of ['sse', 'download']) {
            if (round >= rounds[kind]) continue;
            for (const who of order) {
              const seen = await timedGet(emulator.url + valid[who][kind]);
              ((samples[`${who}.${kind}`] ??= { ttfb: [], total: [], bytes: seen.bytes }).ttfb).push(seen.ttfbMs);
              samples[`${who}.${kind}`].total.push(seen.totalMs);
            }
          }
        }
        const med = (who, kind, field) => (samples[`${who}.${kind}`] ? median(samples[`${who}.${kind}`][field]) : undefined);
        for (const kind of ['sse', 'download']) {
          const f = { ttfb: med('faasport', kind, 'ttfb'), total: med('faasport', kind, 'total') };
          const n = { ttfb: med('native', kind, 'ttfb'), total: med('native', kind, 'total') };
          const bytes = samples[`faasport.${kind}`]?.bytes ?? samples[`native.${kind}`]?.bytes;
          const ratio = (a, b) => (a === undefined || b === undefined ? undefined : a / b);
          results[`${provider}.${kind}`] = { faasport: f, native: n, bytes };
          rows.push([
            provider,
            kind === 'sse' ? `SSE ${SSE_EVENTS} x ${SSE_GAP_MS} ms` : `download ${mb} MB`,
            ms(n.ttfb),
            ms(f.ttfb),
            fmtRatio(ratio(f.ttfb, n.ttfb)),
            ms(n.total),
            ms(f.total),
            fmtRatio(ratio(f.total, n.total)),
            kind === 'download' && f.total && n.total ? `${mbps(bytes, n.total)} / ${mbps(bytes, f.total)}` : '',
          ]);
          if (f.ttfb !== undefined) {
            closing.push([provider, kind === 'sse' ? `SSE ${SSE_EVENTS} x ${SSE_GAP_MS} ms` : `download ${mb} MB`, ms(f.ttfb), ms(f.total), String(bytes)]);
          }
        }
      } catch (error) {
        notes.push(`${provider}: ${String(error?.message ?? error).split('\n')[0]}; not timed`);
      } finally {
        // Bounded: a stop that hangs is reported and the run goes on.
        const stopped = emulator?.stop().then(() => true);
        if (stopped && !(await Promise.race([stopped, new Promise((r) => setTimeout(() => r(false), 15_000).unref())]))) {
          notes.push(`${provider}: the emulator did not stop within 15 s`);
        }
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  table(
    `Streaming through the emulators (client node:http; TTFB = first body byte; medians of ${rounds.sse} (SSE) and ${rounds.download} (download) alternating rounds; ratio = faasport / native; MB/s native / faasport)`,
    ['provider', 'response', 'native TTFB', 'faasport TTFB', 'ratio', 'native total', 'faasport total', 'ratio', 'MB/s'],
    rows,
  );
  table('Streaming, faasport build output only (the figures of the conformance streams)', ['provider', 'response', 'TTFB', 'total', 'bytes'], closing);
  for (const note of notes) console.log(`  note: ${note}`);
  return results;
}
