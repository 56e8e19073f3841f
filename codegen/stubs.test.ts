import { describe, expect, it } from 'vitest';
import type { DiscoveredFunction } from './discover.js';
import { appTimeout } from './emit/azure.js';
import { awsStub, registerStub, stubsFor } from './stubs.js';

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
      `import { adaptBufferedHttpFor, apiGatewayV2Events } from "faasport/aws";\n${IMPORT_FN}` +
        'export const handler = adaptBufferedHttpFor([apiGatewayV2Events], fn, { name: "onThing" });\n',
    );
  });

  it('imports the reader of each listed HTTP event kind, in one fixed order whatever the order asked', () => {
    const expected =
      `import { adaptBufferedHttpFor, apiGatewayV1Events, albEvents } from "faasport/aws";\n${IMPORT_FN}` +
      'export const handler = adaptBufferedHttpFor([apiGatewayV1Events, albEvents], fn, { name: "onThing" });\n';
    expect(awsStub(fn('http', { route: '/x' }), '/app', ['apigw-v1', 'alb'])).toBe(expected);
    expect(awsStub(fn('http', { route: '/x' }), '/app', ['alb', 'apigw-v1', 'alb'])).toBe(expected);
  });

  it('gives an HTTP function that reads every kind of event all three readers (the kind is told at run time, as by adaptHttp)', () => {
    expect(awsStub(fn('http', { route: '/x' }), '/app', ['apigw-v2', 'apigw-v1', 'alb'])).toBe(
      `import { adaptBufferedHttpFor, apiGatewayV2Events, apiGatewayV1Events, albEvents } from "faasport/aws";\n${IMPORT_FN}` +
        'export const handler = adaptBufferedHttpFor([apiGatewayV2Events, apiGatewayV1Events, albEvents], fn, { name: "onThing" });\n',
    );
  });

  it('hands a streaming HTTP function to adaptStreamingHttpFor, any other to adaptBufferedHttpFor (which links no streaming code)', () => {
    expect(awsStub(fn('http', { route: '/x', stream: true }), '/app')).toContain('awslambda.streamifyResponse(adaptStreamingHttpFor([apiGatewayV2Events], fn');
    expect(awsStub(fn('http', { route: '/x', stream: false }), '/app')).toContain('adaptBufferedHttpFor([apiGatewayV2Events], fn');
  });

  it('stubsFor passes the HTTP event kinds to every AWS entry', () => {
    const stubs = stubsFor('aws', [fn('http', { route: '/x' })], '/app', ['alb']);
    expect(stubs.get('onThing/index')).toContain('adaptBufferedHttpFor([albEvents], fn');
  });
});

describe('registerStub passes each function the timeout it is deployed with (its ctx.deadline on Azure and GCP)', () => {
  const named = (name: string, kind: DiscoveredFunction['kind'], options: object): DiscoveredFunction =>
    ({ name, kind, options, file: 'src/things.ts', line: 1, column: 1, exportName: name }) as DiscoveredFunction;
  const functions = [named('slow', 'http', { route: '/slow', timeout: 300 }), named('quick', 'http', { route: '/quick', timeout: 10 }), named('jobs', 'queue', { queue: 'jobs' })];

  it('gcp: its own --timeout, else the 60 s default', () => {
    const stub = registerStub('gcp', functions, '/app');
    expect(stub).toContain('registerBufferedHttp("slow", f0, { timeoutMs: 300000 });');
    expect(stub).toContain('registerBufferedHttp("quick", f1, { timeoutMs: 10000 });');
    expect(stub).toContain('register("jobs", f2, { timeoutMs: 60000 });');
  });

  it("azure: the app's functionTimeout (the largest any function sets, as host.json says), for every function", () => {
    const stub = registerStub('azure', functions, '/app');
    const input = { functions, appName: 'a', versions: { azureFunctions: '4', functionsFramework: '5' }, runtime: 'node24' as const };
    expect(appTimeout(input).seconds).toBe(300);
    for (const name of ['slow', 'quick', 'jobs']) expect(stub).toMatch(new RegExp(`register(BufferedHttp)?\\("${name}", f\\d, \\{ timeoutMs: 300000 \\}\\);`));
    // No function sets one: Flex Consumption's default, 30 minutes.
    expect(registerStub('azure', [named('jobs', 'queue', { queue: 'jobs' })], '/app')).toContain(`timeoutMs: ${appTimeout({ ...input, functions: [] }).seconds * 1000 }`);
  });
});

describe('registerStub: the registrar of each function', () => {
  const named = (name: string, kind: DiscoveredFunction['kind'], options: object): DiscoveredFunction =>
    ({ name, kind, options, file: 'src/things.ts', line: 1, column: 1, exportName: name }) as DiscoveredFunction;

  it.each(['azure', 'gcp'] as const)('%s: registerBufferedHttp for an HTTP function that does not stream (no other kind, no streaming code linked), register for any other', (provider) => {
    const page = named('page', 'http', { route: '/page' });
    const stub = registerStub(provider, [page, named('feed', 'http', { route: '/feed', stream: true }), named('jobs', 'queue', { queue: 'jobs' })], '/app');
    expect(stub).toContain(`import { register, registerBufferedHttp } from "faasport/${provider}";`);
    expect(stub).toMatch(/^registerBufferedHttp\("page", f0, /m);
    expect(stub).toMatch(/^register\("feed", f1, /m);
    expect(stub).toMatch(/^register\("jobs", f2, /m);
    // Only what the stub calls is imported.
    expect(registerStub(provider, [page], '/app')).toContain(`import { registerBufferedHttp } from "faasport/${provider}";`);
    expect(registerStub(provider, [named('jobs', 'queue', { queue: 'jobs' })], '/app')).toContain(`import { register } from "faasport/${provider}";`);
  });
});

describe('registerStub: Azure HTTP stream mode', () => {
  const SETUP = 'azureFunctions.app.setup({ enableHttpStream: true });';
  const lines = (stub: string) => stub.split('\n');
  const named = (name: string, options: object): DiscoveredFunction => ({ ...fn('http', options), name, exportName: name });

  it('switches stream mode on once, before any function registers, when one function of the app streams', () => {
    const stub = stubsFor('azure', [named('page', { route: '/page' }), named('feed', { route: '/feed', stream: true })], '/app').get('index')!;
    const all = lines(stub);
    expect(all.filter((line) => line === SETUP)).toHaveLength(1);
    expect(all).toContain('import azureFunctions from "@azure/functions";');
    // The library reads the switch when the host asks for the worker's capabilities, after the app module loaded.
    expect(all.indexOf(SETUP)).toBeLessThan(all.findIndex((line) => /^register(BufferedHttp)?\(/.test(line)));
  });

  it('leaves it off (and does not import @azure/functions) when no function streams', () => {
    const stub = stubsFor('azure', [named('page', { route: '/page' }), fn('queue', { queue: 'q' })], '/app').get('index')!;
    expect(stub).not.toContain('enableHttpStream');
    expect(stub).not.toContain('@azure/functions');
  });

  it('never writes it for GCP, whose framework streams without a switch', () => {
    const stub = stubsFor('gcp', [named('feed', { route: '/feed', stream: true })], '/app').get('index')!;
    expect(stub).not.toContain('enableHttpStream');
  });
});
