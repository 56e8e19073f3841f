/**
 * What a user's own esbuild links when it bundles one function with faasport/aws by hand (minified ESM, as
 * a Lambda bundle is built): adapt() has to link every kind, since it picks the kind at run time; the
 * per-kind functions link only theirs. Bytes, not time: the bounds are the measured sizes plus a margin,
 * so a change that links more than its function uses fails here.
 */
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const alias = { faasport: `${root}core/index.ts`, 'faasport/aws': `${root}adapters/aws/index.ts` };

async function bundle(contents: string): Promise<{ gzip: number; inputs: string[] }> {
  const result = await build({
    stdin: { contents, resolveDir: root, loader: 'js' },
    bundle: true,
    write: false,
    minify: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    alias,
    metafile: true,
    logLevel: 'silent',
  });
  const output = Object.values(result.metafile!.outputs)[0]!;
  const inputs = Object.entries(output.inputs)
    .filter(([, v]) => v.bytesInOutput > 0)
    .map(([file]) => file);
  return { gzip: gzipSync(result.outputFiles![0]!.contents).byteLength, inputs };
}

const HTTP_FN = `http({ route: '/items/:id' }, async (req) => Response.json({ url: req.url }))`;
const QUEUE_FN = `queue({ queue: 'orders' }, async (message) => { message.json(); })`;
const KB = 1024;

describe('bundle size of a function adapted by hand', () => {
  it('adaptHttpFor([apiGatewayV2Events]) links the payload 2.0 shape and no other kind or shape', async () => {
    const { gzip, inputs } = await bundle(
      `import { http } from 'faasport'; import { adaptHttpFor, apiGatewayV2Events } from 'faasport/aws';
       export const handler = adaptHttpFor([apiGatewayV2Events], ${HTTP_FN}, { name: 'items' });`,
    );
    expect(inputs).toContain('adapters/aws/http/apigw-v2.ts');
    expect(inputs.filter((f) => /http\/(alb|apigw-v1)\.ts$|aws\/events\//.test(f))).toEqual([]);
    expect(gzip).toBeLessThanOrEqual(14 * KB); // measured 13.1 KB on 2026-12-02
  }, 30_000);

  it('adaptBufferedHttpFor([apiGatewayV2Events]) links the same minus the streaming code (core/stream.ts, http/stream.ts)', async () => {
    const { gzip, inputs } = await bundle(
      `import { http } from 'faasport'; import { adaptBufferedHttpFor, apiGatewayV2Events } from 'faasport/aws';
       export const handler = adaptBufferedHttpFor([apiGatewayV2Events], ${HTTP_FN}, { name: 'items' });`,
    );
    expect(inputs).toContain('adapters/aws/http/apigw-v2.ts');
    expect(inputs.filter((f) => /stream\.ts$|http\/(alb|apigw-v1)\.ts$|aws\/events\//.test(f))).toEqual([]);
    expect(gzip).toBeLessThanOrEqual(13 * KB); // measured 12.6 KB on 2026-12-06
  }, 30_000);

  it('adaptQueue() links the queue handler and none of the HTTP machinery', async () => {
    const { gzip, inputs } = await bundle(
      `import { queue } from 'faasport'; import { adaptQueue } from 'faasport/aws';
       export const handler = adaptQueue(${QUEUE_FN}, { name: 'orders' });`,
    );
    expect(inputs).toContain('adapters/aws/events/queue.ts');
    expect(inputs.filter((f) => /core\/fetch\/|aws\/http\/|events\/(s3|sns|storage|topic|schedule)/.test(f))).toEqual([]);
    expect(gzip).toBeLessThanOrEqual(4.5 * KB); // measured 3.9 KB on 2026-12-02
  }, 30_000);

  it('adapt() links every kind and every HTTP shape (the kind is known only at run time): the per-kind functions are the small choice', async () => {
    const { gzip, inputs } = await bundle(
      `import { http } from 'faasport'; import { adapt } from 'faasport/aws';
       export const handler = adapt(${HTTP_FN}, { name: 'items' });`,
    );
    for (const file of ['adapters/aws/http/alb.ts', 'adapters/aws/http/apigw-v1.ts', 'adapters/aws/events/queue.ts', 'adapters/aws/events/storage.ts']) {
      expect(inputs).toContain(file);
    }
    expect(gzip).toBeLessThanOrEqual(21 * KB); // measured 19.4 KB on 2026-12-02
  }, 30_000);
});
