import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import type { DiscoveredFunction } from '../discover.js';
import { awsFiles } from './aws.js';
import type { EmitInput } from './types.js';

// faasport.json carries what template.yaml deploys for each event function, so the emulator delivers with the
// deployed values (never the source's wish).

const at = { file: 'src/app.ts', line: 1, column: 1 };
const fn = (name: string, kind: DiscoveredFunction['kind'], options: object) => ({ ...at, name, exportName: name, kind, options }) as DiscoveredFunction;
const input = (functions: readonly DiscoveredFunction[]): EmitInput => ({
  functions,
  appName: 'shop',
  versions: { azureFunctions: '^4.16.5', functionsFramework: '^5.0.5' },
  runtime: 'node24',
});

function build(functions: readonly DiscoveredFunction[]) {
  const files = awsFiles(input(functions));
  const template = parseYaml(files.find((f) => f.path === 'template.yaml')!.contents) as { Resources: Record<string, { Properties: Record<string, unknown> }> };
  const manifest = JSON.parse(files.find((f) => f.path === 'faasport.json')!.contents) as { functions: { name: string; settings: Record<string, unknown> }[] };
  const settings = (name: string) => manifest.functions.find((f) => f.name === name)!.settings;
  return { template, settings };
}

describe('deployed delivery settings in faasport.json', () => {
  it('copies batch size, batching window, visibility timeout and redrive count from the queue and its event source', () => {
    const { template, settings } = build([fn('onBulk', 'queue', { queue: 'bulk', batchSize: 100, maxAttempts: 4, timeout: 20 })]);
    const queue = template.Resources.BulkQueue!.Properties;
    expect(settings('onBulk').sqs).toEqual({
      batchSize: 100,
      maximumBatchingWindowInSeconds: 1,
      visibilityTimeout: queue.VisibilityTimeout,
      maxReceiveCount: 4,
      fifo: false,
      contentBasedDeduplication: false,
    });
    expect(queue.VisibilityTimeout).toBe(6 * 20 + 1);
  });

  it('turns content-based deduplication on for a FIFO queue, in the template and the manifest', () => {
    const { template, settings } = build([fn('onJob', 'queue', { queue: 'jobs.fifo' })]);
    expect(template.Resources.JobsQueue!.Properties).toMatchObject({ FifoQueue: true, ContentBasedDeduplication: true });
    expect(settings('onJob').sqs).toMatchObject({ fifo: true, contentBasedDeduplication: true, batchSize: 10, maximumBatchingWindowInSeconds: 0 });
  });

  it('copies the async retries Lambda is given, within its 0 to 2, for every asynchronously invoked kind', () => {
    const { settings } = build([
      fn('onSignup', 'topic', { topic: 'signups', maxAttempts: 2 }),
      fn('onUpload', 'storage', { bucket: 'uploads' }),
      fn('nightly', 'schedule', { cron: '0 3 * * *' }),
      fn('onShipped', 'event', { type: 'shipped' }),
    ]);
    expect(settings('onSignup').maximumRetryAttempts).toBe(1);
    for (const name of ['onUpload', 'nightly', 'onShipped']) expect(settings(name).maximumRetryAttempts).toBe(2);
  });
});
