import { describe, expect, it } from 'vitest';
import type { DiscoveredFunction } from './discover.js';
import { awsStub } from './stubs.js';

const fn = (kind: DiscoveredFunction['kind'], options: object): DiscoveredFunction =>
  ({ name: 'onThing', kind, options, file: 'src/things.ts', line: 1, column: 1, exportName: 'onThing' }) as DiscoveredFunction;

describe('awsStub', () => {
  it.each([
    ['http', { route: '/x' }, 'adaptHttp'],
    ['queue', { queue: 'q' }, 'adaptQueue'],
    ['topic', { topic: 't' }, 'adaptTopic'],
    ['storage', { bucket: 'b' }, 'adaptStorage'],
    ['schedule', { cron: '0 3 * * *' }, 'adaptSchedule'],
    ['event', { type: 'com.example.x' }, 'adaptEvent'],
  ] as const)('hands a %s function to %s, so its bundle links no other kind', (kind, options, adapter) => {
    const stub = awsStub(fn(kind, options), '/app');
    expect(stub).toBe(
      `import { ${adapter} } from "faasport/aws";\n` +
        'import { onThing as fn } from "/app/src/things.ts";\n' +
        `export const handler = ${adapter}(fn, { name: "onThing" });\n`,
    );
  });
});
