import { describe, expect, it } from 'vitest';
import type { DiscoveredFunction } from './discover.js';
import { awsStub, stubsFor } from './stubs.js';

const fn = (kind: DiscoveredFunction['kind'], options: object): DiscoveredFunction =>
  ({ name: 'onThing', kind, options, file: 'src/things.ts', line: 1, column: 1, exportName: 'onThing' }) as DiscoveredFunction;

const IMPORT_FN = 'import { onThing as fn } from "/app/src/things.ts";\n';

describe('awsStub', () => {
  it.each([
    ['queue', { queue: 'q' }, 'adaptQueue'],
    ['topic', { topic: 't' }, 'adaptTopic'],
    ['storage', { bucket: 'b' }, 'adaptStorage'],
    ['schedule', { cron: '0 3 * * *' }, 'adaptSchedule'],
    ['event', { type: 'com.example.x' }, 'adaptEvent'],
  ] as const)('hands a %s function to %s, so its bundle links no other kind', (kind, options, adapter) => {
    const stub = awsStub(fn(kind, options), '/app');
    expect(stub).toBe(`import { ${adapter} } from "faasport/aws";\n${IMPORT_FN}export const handler = ${adapter}(fn, { name: "onThing" });\n`);
    // The HTTP event kinds concern HTTP functions only.
    expect(awsStub(fn(kind, options), '/app', ['alb'])).toBe(stub);
  });

  it('by default reads only HTTP API / Function URL events (payload 2.0), what the generated template sends', () => {
    expect(awsStub(fn('http', { route: '/x' }), '/app')).toBe(
      `import { adaptHttpFor, apiGatewayV2Events } from "faasport/aws";\n${IMPORT_FN}` +
        'export const handler = adaptHttpFor([apiGatewayV2Events], fn, { name: "onThing" });\n',
    );
  });

  it('imports the reader of each listed HTTP event kind, in one fixed order whatever the order asked', () => {
    const expected =
      `import { adaptHttpFor, apiGatewayV1Events, albEvents } from "faasport/aws";\n${IMPORT_FN}` +
      'export const handler = adaptHttpFor([apiGatewayV1Events, albEvents], fn, { name: "onThing" });\n';
    expect(awsStub(fn('http', { route: '/x' }), '/app', ['apigw-v1', 'alb'])).toBe(expected);
    expect(awsStub(fn('http', { route: '/x' }), '/app', ['alb', 'apigw-v1', 'alb'])).toBe(expected);
  });

  it('hands an HTTP function that reads every kind of event to adaptHttp, which detects the kind at run time', () => {
    expect(awsStub(fn('http', { route: '/x' }), '/app', ['apigw-v2', 'apigw-v1', 'alb'])).toBe(
      `import { adaptHttp } from "faasport/aws";\n${IMPORT_FN}export const handler = adaptHttp(fn, { name: "onThing" });\n`,
    );
  });

  it('stubsFor passes the HTTP event kinds to every AWS entry', () => {
    const stubs = stubsFor('aws', [fn('http', { route: '/x' })], '/app', ['alb']);
    expect(stubs.get('onThing/index')).toContain('adaptHttpFor([albEvents], fn');
  });
});
