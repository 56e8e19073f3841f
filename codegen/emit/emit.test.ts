import { describe, expect, it } from 'vitest';
import type { DiscoveredFunction } from '../discover.js';
import { readYaml } from '../read-yaml.testing.js';
import { awsHttpApiPaths, routeKey } from '../routes.js';
import { registerStub } from '../stubs.js';
import { awsFiles, pascalCase, samTemplate } from './aws.js';
import { azureFiles } from './azure.js';
import { deployScript, gcpDeployManifest, gcpFiles, shellQuote } from './gcp.js';
import type { EmitInput } from './types.js';

const at = { file: 'src/api.ts', line: 1, column: 1 };
const http = (name: string, route: string, methods?: string[], extra: object = {}) =>
  ({ ...at, name, exportName: name, kind: 'http', options: { route, ...(methods ? { methods } : {}), ...extra } }) as DiscoveredFunction;

const input = (functions: DiscoveredFunction[]): EmitInput => ({
  functions,
  appName: 'shop',
  versions: { azureFunctions: '^4.16.5', functionsFramework: '^5.0.5' },
});

type Sam = { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>; Globals: unknown; Transform: string };
const sam = (functions: DiscoveredFunction[]) => readYaml(awsFiles(input(functions)).find((f) => f.path === 'template.yaml')!.contents) as Sam;
const events = (t: Sam, id: string) => t.Resources[id]!.Properties.Events as Record<string, { Type: string; Properties: Record<string, unknown> }>;

describe('AWS SAM template', () => {
  it('declares the SAM transform and Node 20 globals', () => {
    const t = sam([http('getItem', '/items/:id', ['GET'])]);
    expect(t.Transform).toBe('AWS::Serverless-2016-10-31');
    expect(t.Globals).toEqual({ Function: { Runtime: 'nodejs20.x', Architectures: ['arm64'], MemorySize: 256, Timeout: 30 } });
    expect(t.Resources.GetItem).toMatchObject({ Type: 'AWS::Serverless::Function', Properties: { CodeUri: 'getItem/', Handler: 'index.handler' } });
  });

  it('translates routes to HttpApi paths, with a second event for the bare prefix of a wildcard', () => {
    expect(awsHttpApiPaths('/items/:id')).toEqual(['/items/{id}']);
    expect(awsHttpApiPaths('/files/*')).toEqual(['/files/{proxy+}', '/files']);
    expect(awsHttpApiPaths('/*')).toEqual(['/{proxy+}', '/']);
    expect(awsHttpApiPaths('/')).toEqual(['/']);
    expect(awsHttpApiPaths('/p/:proxy/*')).toEqual(['/p/{proxy}/{proxy_+}', '/p/{proxy}']);
    const t = sam([http('files', '/files/*')]);
    expect(events(t, 'Files')).toEqual({
      Http: { Type: 'HttpApi', Properties: { Path: '/files/{proxy+}', Method: 'ANY' } },
      HttpPrefix: { Type: 'HttpApi', Properties: { Path: '/files', Method: 'ANY' } },
    });
  });

  it('routes ANY to a function alone on its route, and declared methods (HEAD with GET) when the route is shared', () => {
    const t = sam([http('deleteItem', '/items/:key', ['DELETE']), http('getItem', '/items/:id', ['GET']), http('other', '/other', ['POST'])]);
    expect(routeKey('/items/:key')).toBe(routeKey('/items/:id'));
    expect(events(t, 'GetItem')).toEqual({
      HttpGet: { Type: 'HttpApi', Properties: { Path: '/items/{id}', Method: 'GET' } },
      HttpHead: { Type: 'HttpApi', Properties: { Path: '/items/{id}', Method: 'HEAD' } },
    });
    expect(events(t, 'DeleteItem')).toEqual({ HttpDelete: { Type: 'HttpApi', Properties: { Path: '/items/{key}', Method: 'DELETE' } } });
    // Alone on its route: ANY, and faasport's dispatch answers 405 with Allow.
    expect(events(t, 'Other')).toEqual({ Http: { Type: 'HttpApi', Properties: { Path: '/other', Method: 'ANY' } } });
  });

  it('gives every function a unique PascalCase logical ID', () => {
    expect(pascalCase('get-item')).toBe('GetItem');
    expect(pascalCase('get_item_2')).toBe('GetItem2');
    expect(pascalCase('9lives')).toBe('F9lives');
    const t = samTemplate(input([http('get-item', '/a'), http('get_item', '/b'), http('getItem', '/c')]));
    const ids = Object.keys(t.Resources as object);
    expect(ids).toEqual(['GetItem', 'GetItem2', 'GetItem3']);
  });

  it('declares the queue with its dead-letter queue and partial batch responses', () => {
    const q = { ...at, name: 'onOrder', exportName: 'onOrder', kind: 'queue', options: { queue: 'orders', maxAttempts: 3 } } as DiscoveredFunction;
    const t = sam([q]);
    expect(events(t, 'OnOrder').Queue).toEqual({
      Type: 'SQS',
      Properties: { Queue: { 'Fn::GetAtt': ['OrdersQueue', 'Arn'] }, BatchSize: 10, FunctionResponseTypes: ['ReportBatchItemFailures'] },
    });
    expect(t.Resources.OrdersQueue!.Properties).toMatchObject({
      QueueName: 'orders',
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': ['OrdersDeadLetterQueue', 'Arn'] }, maxReceiveCount: 3 },
    });
    expect(t.Resources.OrdersDeadLetterQueue!.Properties.QueueName).toBe('orders-dlq');
  });

  it('writes schedules in the EventBridge dialect and other kinds as their SAM events', () => {
    const fns = [
      { ...at, name: 'nightly', exportName: 'nightly', kind: 'schedule', options: { cron: '0 3 * * 1-5' } },
      { ...at, name: 'onSignup', exportName: 'onSignup', kind: 'topic', options: { topic: 'signups' } },
      { ...at, name: 'onUpload', exportName: 'onUpload', kind: 'storage', options: { bucket: 'uploads' } },
      { ...at, name: 'onShipped', exportName: 'onShipped', kind: 'event', options: { type: 'com.example.shipped', source: 'shop' } },
    ] as DiscoveredFunction[];
    const t = sam(fns);
    expect(events(t, 'Nightly').Schedule!.Properties.Schedule).toBe('cron(0 3 ? * 2-6 *)');
    expect(events(t, 'OnSignup').Topic).toEqual({ Type: 'SNS', Properties: { Topic: { Ref: 'SignupsTopic' } } });
    expect(events(t, 'OnUpload').Storage!.Properties.Events).toEqual(['s3:ObjectCreated:*']);
    expect(events(t, 'OnShipped').Event!.Properties.Pattern).toEqual({ 'detail-type': ['com.example.shipped'], source: ['shop'] });
    expect(t.Resources.UploadsBucket!.Type).toBe('AWS::S3::Bucket');
  });
});

describe('Azure Functions app', () => {
  const files = (fns: DiscoveredFunction[]) => Object.fromEntries(azureFiles(input(fns)).map((f) => [f.path, JSON.parse(f.contents) as Record<string, any>]));

  it('sets routePrefix "" and the v4 extension bundle range in host.json', () => {
    const host = files([http('getItem', '/items/:id')])['host.json']!;
    expect(host.version).toBe('2.0');
    expect(host.extensions.http.routePrefix).toBe('');
    expect(host.extensionBundle).toEqual({ id: 'Microsoft.Azure.Functions.ExtensionBundle', version: '[4.*, 5.0.0)' });
  });

  it('writes an ESM package depending on @azure/functions and local settings for the node worker', () => {
    const out = files([http('getItem', '/items/:id')]);
    expect(out['package.json']).toEqual({ name: 'shop', version: '1.0.0', private: true, type: 'module', main: 'index.mjs', dependencies: { '@azure/functions': '^4.16.5' } });
    expect(out['local.settings.json']).toEqual({ IsEncrypted: false, Values: { FUNCTIONS_WORKER_RUNTIME: 'node', AzureWebJobsStorage: 'UseDevelopmentStorage=true' } });
    expect(out['faasport.json']!.functions[0]).toMatchObject({ name: 'getItem', entry: 'index.mjs' });
    expect(out['faasport.json']!.functions[0].handler).toBeUndefined();
  });

  it('sets the app-wide poison threshold from the queue functions', () => {
    const q = { ...at, name: 'onOrder', exportName: 'onOrder', kind: 'queue', options: { queue: 'orders', maxAttempts: 3 } } as DiscoveredFunction;
    expect(files([q])['host.json']!.extensions.queues).toEqual({ maxDequeueCount: 3 });
  });

  it('registers shared routes with their methods and lone routes for every method', () => {
    const stub = registerStub('azure', [http('deleteItem', '/items/:id', ['DELETE']), http('getItem', '/items/:id', ['GET']), http('files', '/files/*')], '/app');
    expect(stub).toContain('import { register } from "faasport/azure";');
    expect(stub).toContain('import { deleteItem as f0, getItem as f1, files as f2 } from "/app/src/api.ts";');
    expect(stub).toContain('register("deleteItem", f0, { methods: ["DELETE"] });');
    expect(stub).toContain('register("getItem", f1, { methods: ["GET","HEAD"] });');
    expect(stub).toContain('register("files", f2);');
    // GCP deploys each function on its own URL: no method option.
    expect(registerStub('gcp', [http('getItem', '/items/:id', ['GET']), http('deleteItem', '/items/:id', ['DELETE'])], '/app')).toContain('register("getItem", f0);');
  });
});

describe('GCP deploy manifest', () => {
  it('deploys every function from one folder with its entry point, gen2, nodejs20 and an HTTP trigger', () => {
    const manifest = gcpDeployManifest(input([http('getItem', '/items/:id', ['GET']), http('admin', '/admin', undefined, { authLevel: 'function' })]));
    expect(manifest.functions.map((f) => [f.name, f.entryPoint, f.runtime, f.gen2, f.allowUnauthenticated])).toEqual([
      ['getItem', 'getItem', 'nodejs20', true, true],
      ['admin', 'admin', 'nodejs20', true, false],
    ]);
    expect(manifest.functions[0]!.flags).toEqual(['--gen2', '--runtime=nodejs20', '--source=.', '--entry-point=getItem', '--trigger-http', '--allow-unauthenticated']);
    expect(manifest.functions[1]!.flags).toContain('--no-allow-unauthenticated');
    const script = deployScript(manifest);
    expect(script.startsWith('#!/usr/bin/env bash\n')).toBe(true);
    expect(script).toContain('set -euo pipefail');
    expect(script).toContain('gcloud functions deploy getItem --region="$REGION" --gen2 --runtime=nodejs20 --source=. --entry-point=getItem --trigger-http --allow-unauthenticated\n');
  });

  it('writes an ESM package depending on the functions-framework with a Node engine', () => {
    const pkg = JSON.parse(gcpFiles(input([http('getItem', '/x')])).find((f) => f.path === 'package.json')!.contents) as Record<string, unknown>;
    expect(pkg).toMatchObject({ type: 'module', main: 'index.mjs', engines: { node: '20.x' }, dependencies: { '@google-cloud/functions-framework': '^5.0.5' } });
  });

  it('creates the topics and scheduler jobs event functions need, and Eventarc triggers for extra event types', () => {
    const fns = [
      { ...at, name: 'nightly', exportName: 'nightly', kind: 'schedule', options: { cron: '0 3 * * SUN' } },
      { ...at, name: 'onOrder', exportName: 'onOrder', kind: 'queue', options: { queue: 'orders', maxAttempts: 3 } },
      { ...at, name: 'onUpload', exportName: 'onUpload', kind: 'storage', options: { bucket: 'up loads', events: ['created', 'deleted'] } },
    ] as DiscoveredFunction[];
    const manifest = gcpDeployManifest(input(fns));
    expect(manifest.topics).toEqual(['faasport-schedule-nightly', 'orders']);
    expect(manifest.schedulerJobs).toEqual([{ name: 'nightly', schedule: '0 3 * * 0', timeZone: 'Etc/UTC', topic: 'faasport-schedule-nightly' }]);
    const onOrder = manifest.functions.find((f) => f.name === 'onOrder')!;
    expect(onOrder.trigger).toEqual({ type: 'topic', topic: 'orders', deadLetter: { topic: 'orders-dead-letter', maxDeliveryAttempts: 5 } });
    const onUpload = manifest.functions.find((f) => f.name === 'onUpload')!;
    expect(onUpload.flags).toContain('--trigger-event-filters=type=google.cloud.storage.object.v1.finalized');
    expect(onUpload.extraTriggers).toEqual([
      { name: 'onupload-deleted', service: 'onupload', eventFilters: { type: 'google.cloud.storage.object.v1.deleted', bucket: 'up loads' } },
    ]);
    const script = deployScript(manifest);
    expect(script).toContain("'--trigger-event-filters=bucket=up loads'");
    expect(script).toContain('gcloud eventarc triggers create onupload-deleted');
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
  });
});
