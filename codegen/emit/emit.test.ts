import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { discover, type DiscoveredFunction } from '../discover.js';
import { parse as parseYaml } from 'yaml';
import { awsHttpApiPaths, routeKey } from '../routes.js';
import { awsStub, registerStub } from '../stubs.js';
import { asyncRetries, awsFiles, pascalCase, samTemplate } from './aws.js';
import { azureFiles, eventTopicName } from './azure.js';
import { accountVariable, LOCAL_SERVICE_BUS_CONNECTION } from './azure-connections.js';
import { deployScript, gcpDeployManifest, gcpFiles, pubsubAttempts, shellQuote, type GcpDeployManifest } from './gcp.js';
import { callsTo, hasBash, runWithStubs, STUB_FUNCTION_URL, STUB_PROJECT_NUMBER } from './shell-stub.testing.js';
import type { EmitInput } from './types.js';

const at = { file: 'src/api.ts', line: 1, column: 1 };
const http = (name: string, route: string, methods?: string[], extra: object = {}) =>
  ({ ...at, name, exportName: name, kind: 'http', options: { route, ...(methods ? { methods } : {}), ...extra } }) as DiscoveredFunction;

const input = (functions: readonly DiscoveredFunction[]): EmitInput => ({
  functions,
  appName: 'shop',
  versions: { azureFunctions: '^4.16.5', functionsFramework: '^5.0.5' },
  runtime: 'node24',
});
const fnOf = (name: string, kind: DiscoveredFunction['kind'], options: object) => ({ ...at, name, exportName: name, kind, options }) as DiscoveredFunction;

/** The fixtures every kind is tested on: codegen/fixtures/all-kinds and the example app examples/shop/src. */
const byName = (a: DiscoveredFunction, b: DiscoveredFunction) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
const allKinds = () => discover({ entries: ['all-kinds'], cwd: fileURLToPath(new URL('../fixtures', import.meta.url)) }).functions.sort(byName);
const shop = () => discover({ cwd: fileURLToPath(new URL('../../examples/shop', import.meta.url)) }).functions.sort(byName);

type Sam = { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>; Globals: unknown; Transform: string };
const sam = (functions: readonly DiscoveredFunction[]) => parseYaml(awsFiles(input(functions)).find((f) => f.path === 'template.yaml')!.contents) as Sam;
const events = (t: Sam, id: string) => t.Resources[id]!.Properties.Events as Record<string, { Type: string; Properties: Record<string, unknown> }>;

describe('AWS SAM template', () => {
  it('declares the SAM transform and Node 24 globals', () => {
    const t = sam([http('getItem', '/items/:id', ['GET'])]);
    expect(t.Transform).toBe('AWS::Serverless-2016-10-31');
    expect(t.Globals).toEqual({ Function: { Runtime: 'nodejs24.x', Architectures: ['arm64'], MemorySize: 256, Timeout: 30 } });
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

  it('puts a streaming function behind a Function URL in RESPONSE_STREAM mode, never on the HTTP API (which buffers)', () => {
    const t = sam([http('feed', '/feed', ['GET'], { stream: true }), http('getItem', '/items/:id', ['GET'])]);
    expect(t.Resources.Feed!.Properties).toMatchObject({ FunctionUrlConfig: { AuthType: 'NONE', InvokeMode: 'RESPONSE_STREAM' } });
    expect(t.Resources.Feed!.Properties.Events).toBeUndefined();
    const outputs = (t as unknown as { Outputs: Record<string, { Value: unknown }> }).Outputs;
    expect(outputs.FeedUrl!.Value).toEqual({ 'Fn::GetAtt': ['FeedUrl', 'FunctionUrl'] });
    expect(outputs.ApiUrl).toBeDefined();
  });

  it('wraps a streaming entry with awslambda.streamifyResponse, reading payload 2.0 events (Function URLs) and never ALB', () => {
    const stub = awsStub(http('feed', '/feed', ['GET'], { stream: true }), '/app', ['apigw-v2', 'alb']);
    expect(stub).toContain('export const handler = awslambda.streamifyResponse(adaptStreamingHttpFor([apiGatewayV2Events], fn, { name: "feed" }));');
  });

  it('deploys a non-anonymous function behind IAM authorization, and only that one', () => {
    const t = sam([http('open', '/open', ['GET']), http('secret', '/secret/*', ['GET'], { authLevel: 'admin' })]);
    expect(t.Globals).toMatchObject({ HttpApi: { Auth: { EnableIamAuthorizer: true } } });
    expect(events(t, 'Secret')).toEqual({
      Http: { Type: 'HttpApi', Properties: { Path: '/secret/{proxy+}', Method: 'ANY', Auth: { Authorizer: 'AWS_IAM' } } },
      HttpPrefix: { Type: 'HttpApi', Properties: { Path: '/secret', Method: 'ANY', Auth: { Authorizer: 'AWS_IAM' } } },
    });
    expect(events(t, 'Open').Http!.Properties).not.toHaveProperty('Auth');
    expect(sam([http('open', '/open')]).Globals).not.toHaveProperty('HttpApi');
    const stream = sam([http('feed', '/feed', ['GET'], { stream: true, authLevel: 'function' })]);
    expect(stream.Resources.Feed!.Properties).toMatchObject({ FunctionUrlConfig: { AuthType: 'AWS_IAM', InvokeMode: 'RESPONSE_STREAM' } });
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
    expect(t.Resources.OrdersQueue!.Properties).toEqual({
      QueueName: 'orders',
      // Six times the 30 s function timeout (AWS guidance for SQS event sources).
      VisibilityTimeout: 180,
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


describe('AWS SAM event triggers', () => {
  const props = (t: Sam, id: string) => t.Resources[id]!.Properties;

  it('widens the SQS visibility timeout by the batching window that batches above 10 need, and keeps FIFO queues FIFO', () => {
    const t = sam([fnOf('bulk', 'queue', { queue: 'bulk', batchSize: 50 }), fnOf('ordered', 'queue', { queue: 'ledger.fifo' })]);
    expect(events(t, 'Bulk').Queue!.Properties).toMatchObject({ BatchSize: 50, MaximumBatchingWindowInSeconds: 1, FunctionResponseTypes: ['ReportBatchItemFailures'] });
    // SAM names bulk's own event source mapping BulkQueue (function id + event name), so the queue takes BulkQueue2.
    expect(t.Resources.BulkQueue).toBeUndefined();
    expect(props(t, 'BulkQueue2')).toMatchObject({ VisibilityTimeout: 181, RedrivePolicy: { maxReceiveCount: 5 } });
    expect(props(t, 'LedgerQueue')).toMatchObject({ QueueName: 'ledger.fifo', FifoQueue: true });
    expect(props(t, 'LedgerDeadLetterQueue')).toMatchObject({ QueueName: 'ledger-dlq.fifo', FifoQueue: true });
    expect(props(t, 'BulkDeadLetterQueue').FifoQueue).toBeUndefined();
  });

  it('maps maxAttempts to Lambda async retries (0 to 2) and sends what still fails to an SQS on-failure destination', () => {
    expect([1, 2, 3].map(asyncRetries)).toEqual([0, 1, 2]);
    // Never a silent clamp: validation refuses such a value first (validate.ts), so reaching here is a bug.
    expect(() => asyncRetries(10)).toThrow(/outside Lambda's 1 to 3 attempts/);
    const t = sam([fnOf('once', 'topic', { topic: 'pings', maxAttempts: 1 }), fnOf('twice', 'topic', { topic: 'pings', maxAttempts: 2 })]);
    expect(props(t, 'Once').EventInvokeConfig).toEqual({
      MaximumRetryAttempts: 0,
      DestinationConfig: { OnFailure: { Type: 'SQS', Destination: { 'Fn::GetAtt': ['OnceFailureQueue', 'Arn'] } } },
    });
    expect((props(t, 'Twice').EventInvokeConfig as { MaximumRetryAttempts: number }).MaximumRetryAttempts).toBe(1);
    expect(t.Resources.OnceFailureQueue).toEqual({ Type: 'AWS::SQS::Queue', Properties: { MessageRetentionPeriod: 1209600 } });
    // Both subscribe to the one topic.
    expect(events(t, 'Once').Topic).toEqual({ Type: 'SNS', Properties: { Topic: { Ref: 'PingsTopic' } } });
    expect(events(t, 'Twice').Topic).toEqual({ Type: 'SNS', Properties: { Topic: { Ref: 'PingsTopic' } } });
    expect(Object.values(t.Resources).filter((r) => r.Type === 'AWS::SNS::Topic')).toHaveLength(1);
    expect(props(t, 'Once').DeadLetterQueue).toBeUndefined();
  });

  it('deploys every kind of codegen/fixtures/all-kinds with the settings the AWS adapter expects', () => {
    const t = sam(allKinds());
    // queue
    expect(events(t, 'OnOrder')).toEqual({
      Queue: { Type: 'SQS', Properties: { Queue: { 'Fn::GetAtt': ['OrdersQueue', 'Arn'] }, BatchSize: 5, FunctionResponseTypes: ['ReportBatchItemFailures'] } },
    });
    expect(props(t, 'OrdersQueue')).toMatchObject({ VisibilityTimeout: 180, RedrivePolicy: { maxReceiveCount: 3 } });
    expect(props(t, 'OnOrder').EventInvokeConfig).toBeUndefined();
    // storage: the bucket is in the template, with both notifications
    expect(t.Resources.UploadsBucket).toEqual({ Type: 'AWS::S3::Bucket', Properties: { BucketName: 'uploads' } });
    expect(events(t, 'OnUpload').Storage).toEqual({ Type: 'S3', Properties: { Bucket: { Ref: 'UploadsBucket' }, Events: ['s3:ObjectCreated:*', 's3:ObjectRemoved:*'] } });
    // schedule and event: EventBridge rules with a retry policy and a rule DLQ that SAM creates
    expect(events(t, 'Nightly').Schedule).toEqual({
      Type: 'Schedule',
      Properties: {
        Schedule: 'cron(0 3 ? * 2-6 *)',
        Enabled: true,
        DeadLetterConfig: { Type: 'SQS', QueueLogicalId: 'NightlyRuleDeadLetterQueue' },
        RetryPolicy: { MaximumRetryAttempts: 4 },
      },
    });
    expect(events(t, 'OnShipped').Event).toEqual({
      Type: 'EventBridgeRule',
      Properties: {
        Pattern: { 'detail-type': ['com.example.order.shipped'], source: ['shop'] },
        DeadLetterConfig: { Type: 'SQS', QueueLogicalId: 'OnShippedRuleDeadLetterQueue' },
        RetryPolicy: { MaximumRetryAttempts: 4 },
      },
    });
    // SAM declares the rule DLQs itself: the template must not, or the IDs would clash.
    expect(t.Resources.NightlyRuleDeadLetterQueue).toBeUndefined();
    // every asynchronously invoked function that sets no maxAttempts: Lambda's most, 2 retries (3 attempts), then its failure queue
    for (const id of ['Nightly', 'OnShipped', 'OnSignup', 'OnUpload']) {
      expect(props(t, id).EventInvokeConfig).toEqual({
        MaximumRetryAttempts: 2,
        DestinationConfig: { OnFailure: { Type: 'SQS', Destination: { 'Fn::GetAtt': [`${id}FailureQueue`, 'Arn'] } } },
      });
      expect(t.Resources[`${id}FailureQueue`]!.Type).toBe('AWS::SQS::Queue');
    }
  });

  it('deploys the example shop app: queue worker, image index on created and deleted, nightly report', () => {
    const t = sam(shop());
    expect(events(t, 'FulfilOrder').Queue!.Properties).toMatchObject({ Queue: { 'Fn::GetAtt': ['OrdersQueue', 'Arn'] }, BatchSize: 10, FunctionResponseTypes: ['ReportBatchItemFailures'] });
    expect(props(t, 'OrdersQueue')).toMatchObject({ QueueName: 'orders', VisibilityTimeout: 180, RedrivePolicy: { maxReceiveCount: 5 } });
    expect(events(t, 'IndexImage').Storage!.Properties).toEqual({ Bucket: { Ref: 'ProductImagesBucket' }, Events: ['s3:ObjectCreated:*', 's3:ObjectRemoved:*'] });
    expect(props(t, 'ProductImagesBucket')).toEqual({ BucketName: 'product-images' });
    expect(events(t, 'NightlyReport').Schedule!.Properties.Schedule).toBe('cron(0 3 * * ? *)');
    expect(props(t, 'NightlyReport').EventInvokeConfig).toMatchObject({ MaximumRetryAttempts: 2 });
  });
});

describe('Azure Functions app', () => {
  const files = (fns: readonly DiscoveredFunction[]) => Object.fromEntries(azureFiles(input(fns)).filter((f) => f.path.endsWith('.json')).map((f) => [f.path, JSON.parse(f.contents) as Record<string, any>]));
  const script = (fns: readonly DiscoveredFunction[]) => azureFiles(input(fns)).find((f) => f.path === 'deploy.sh')!.contents;

  it('sets routePrefix "" and the v4 extension bundle range in host.json', () => {
    const host = files([http('getItem', '/items/:id')])['host.json']!;
    expect(host.version).toBe('2.0');
    expect(host.extensions.http.routePrefix).toBe('');
    expect(host.extensionBundle).toEqual({ id: 'Microsoft.Azure.Functions.ExtensionBundle', version: '[4.*, 5.0.0)' });
    expect(host.extensions.queues).toBeUndefined();
    expect(host.extensions.serviceBus).toBeUndefined();
  });

  it('writes an ESM package depending on @azure/functions and local settings for the node worker', () => {
    const out = files([http('getItem', '/items/:id')]);
    expect(out['package.json']).toEqual({ name: 'shop', version: '1.0.0', private: true, type: 'module', main: 'index.mjs', dependencies: { '@azure/functions': '^4.16.5' } });
    expect(out['local.settings.json']).toEqual({ IsEncrypted: false, Values: { FUNCTIONS_WORKER_RUNTIME: 'node', AzureWebJobsStorage: 'UseDevelopmentStorage=true' } });
    expect(out['faasport.json']!.functions[0]).toMatchObject({ name: 'getItem', entry: 'index.mjs' });
    expect(out['faasport.json']!.functions[0].handler).toBeUndefined();
    expect(out['deploy.json']).toEqual({
      functionApp: { plan: 'FlexConsumption', runtime: 'node', runtimeVersion: '24', instanceMemoryMb: 2048 },
      environment: [],
      storageQueues: [],
      blobContainers: [], serviceBusSubscriptions: [], eventGridTopics: [], eventGridSubscriptions: [], blobTriggerSubscriptions: [], appSettings: [] });
  });

  it('writes every connection setting the functions use into local.settings.json', () => {
    const values = files([
      fnOf('a', 'queue', { queue: 'q', connection: 'OrdersStorage' }),
      fnOf('b', 'topic', { topic: 't' }),
      fnOf('c', 'topic', { topic: 't', connection: 'EventsBus' }),
      fnOf('d', 'storage', { bucket: 'b', connection: 'MediaStorage' }),
      fnOf('e', 'storage', { bucket: 'b', events: ['deleted'], connection: 'OnlyDeletes' }),
    ])['local.settings.json']!.Values;
    expect(values).toEqual({
      FUNCTIONS_WORKER_RUNTIME: 'node',
      AzureWebJobsStorage: 'UseDevelopmentStorage=true',
      OrdersStorage: 'UseDevelopmentStorage=true',
      // Service Bus topics get the Service Bus emulator's connection string as a placeholder.
      ServiceBusConnection: LOCAL_SERVICE_BUS_CONNECTION,
      EventsBus: LOCAL_SERVICE_BUS_CONNECTION,
      MediaStorage: 'UseDevelopmentStorage=true',
      // A deletes-only storage function is an Event Grid function: it reads no storage connection.
    });
  });

  it('sets the app-wide poison threshold from the queue functions, and Service Bus completion for topics', () => {
    const q = fnOf('onOrder', 'queue', { queue: 'orders', maxAttempts: 3 });
    expect(files([q])['host.json']!.extensions.queues).toEqual({ maxDequeueCount: 3 });
    expect(files([fnOf('onOrder', 'queue', { queue: 'orders' })])['host.json']!.extensions.queues).toEqual({ maxDequeueCount: 5 });
    expect(files([fnOf('onSignup', 'topic', { topic: 'signups' })])['host.json']!.extensions.serviceBus).toEqual({ autoCompleteMessages: true });
  });

  it('lists in deploy.json what every kind of codegen/fixtures/all-kinds needs outside the app', () => {
    const deploy = files(allKinds())['deploy.json']!;
    expect(deploy.storageQueues).toEqual([{ name: 'orders', connection: 'AzureWebJobsStorage', functions: ['onOrder'], poisonQueue: 'orders-poison', maxDequeueCount: 3 }]);
    expect(deploy.blobContainers).toEqual([{ name: 'uploads', connection: 'AzureWebJobsStorage', functions: ['onUpload'] }]);
    expect(deploy.serviceBusSubscriptions).toEqual([{ topic: 'signups', subscription: 'onSignup', connection: 'ServiceBusConnection', function: 'onSignup', maxDeliveryCount: 5 }]);
    expect(deploy.eventGridTopics).toEqual(['shop-events']);
    expect(deploy.eventGridSubscriptions).toEqual([
      {
        name: 'onShipped-events',
        function: 'onShipped',
        faasportFunction: 'onShipped',
        source: { kind: 'customTopic', topic: 'shop-events' },
        includedEventTypes: ['com.example.order.shipped'],
        advancedFilters: [{ key: 'source', operator: 'StringIn', values: ['shop'] }],
        deliverySchema: 'cloudeventschemav1_0',
        maxDeliveryAttempts: 5,
        deadLetter: { connection: 'AzureWebJobsStorage', container: 'faasport-dead-letters' },
      },
      {
        // The Event Grid function register() adds for a storage function's deletes.
        name: 'onUpload-deleted',
        function: 'onUpload-deleted',
        faasportFunction: 'onUpload',
        source: { kind: 'storageAccount', connection: 'AzureWebJobsStorage' },
        includedEventTypes: ['Microsoft.Storage.BlobDeleted'],
        subjectBeginsWith: '/blobServices/default/containers/uploads/',
        advancedFilters: [],
        deliverySchema: 'eventgridschema',
        maxDeliveryAttempts: 5,
        deadLetter: { connection: 'AzureWebJobsStorage', container: 'faasport-dead-letters' },
      },
    ]);
    expect(deploy.appSettings).toEqual([{ name: 'ServiceBusConnection', kind: 'serviceBus' }]);
  });

  it('names Service Bus subscriptions as register() does, and custom connections by their setting', () => {
    const deploy = files([fnOf('onSignup', 'topic', { topic: 'signups', subscription: 'mailer', connection: 'EventsBus', maxAttempts: 8 })])['deploy.json']!;
    expect(deploy.serviceBusSubscriptions).toEqual([{ topic: 'signups', subscription: 'mailer', connection: 'EventsBus', function: 'onSignup', maxDeliveryCount: 8 }]);
    expect(deploy.appSettings).toEqual([{ name: 'EventsBus', kind: 'serviceBus' }]);
    expect(accountVariable('serviceBus', 'EventsBus')).toBe('SERVICEBUS_NAMESPACE_EVENTSBUS');
    expect(accountVariable('storage', 'AzureWebJobsStorage')).toBe('STORAGE_ACCOUNT');
    expect(eventTopicName('@acme/shop.api')).toBe('acme-shop-api-events');
  });

  it.skipIf(!hasBash)('runs az commands that create the queues, Service Bus subscriptions and Event Grid subscriptions (deploy.sh)', () => {
    const env = { RESOURCE_GROUP: 'rg', FUNCTION_APP: 'shop-app', STORAGE_ACCOUNT: 'shopstore', SERVICEBUS_NAMESPACE: 'shopbus' };
    const run = runWithStubs(script(allKinds()), env);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(callsTo(run, 'az', 'storage', 'queue', 'create')).toEqual([['az', 'storage', 'queue', 'create', '--name', 'orders', '--account-name', 'shopstore', '--auth-mode', 'key', '--output', 'none']]);
    expect(callsTo(run, 'az', 'storage', 'container', 'create').map((c) => c[5])).toEqual(['uploads', 'faasport-dead-letters']);
    expect(callsTo(run, 'az', 'servicebus', 'topic', 'create')).toEqual([
      ['az', 'servicebus', 'topic', 'create', '--resource-group', 'rg', '--namespace-name', 'shopbus', '--name', 'signups', '--output', 'none'],
    ]);
    expect(callsTo(run, 'az', 'servicebus', 'topic', 'subscription', 'create')).toEqual([
      ['az', 'servicebus', 'topic', 'subscription', 'create', '--resource-group', 'rg', '--namespace-name', 'shopbus', '--topic-name', 'signups', '--name', 'onSignup', '--max-delivery-count', '5', '--output', 'none'],
    ]);
    expect(callsTo(run, 'az', 'functionapp', 'config', 'appsettings', 'set')).toEqual([
      ['az', 'functionapp', 'config', 'appsettings', 'set', '--name', 'shop-app', '--resource-group', 'rg', '--settings', 'ServiceBusConnection=Endpoint=sb://bus/;SharedAccessKey=k', '--output', 'none'],
    ]);
    // The app is published before Event Grid validates its functions as endpoints.
    const publish = run.calls.findIndex((c) => c[0] === 'func');
    expect(run.calls[publish]).toEqual(['func', 'azure', 'functionapp', 'publish', 'shop-app']);
    expect(callsTo(run, 'az', 'eventgrid', 'topic', 'create')[0]).toEqual([
      'az', 'eventgrid', 'topic', 'create', '--name', 'shop-events', '--resource-group', 'rg', '--location', 'westeurope', '--input-schema', 'cloudeventschemav1_0', '--output', 'none',
    ]);
    const subs = callsTo(run, 'az', 'eventgrid', 'event-subscription', 'create');
    expect(run.calls.indexOf(subs[0]!)).toBeGreaterThan(publish);
    const appId = '/subscriptions/sub/resourceGroups/rg/providers/functionapp/shop-app';
    const storageId = '/subscriptions/sub/resourceGroups/rg/providers/storage/shopstore';
    expect(subs).toEqual([
      [
        'az', 'eventgrid', 'event-subscription', 'create', '--name', 'onShipped-events',
        '--source-resource-id', '/subscriptions/sub/resourceGroups/rg/providers/eventgrid/shop-events',
        '--endpoint', `${appId}/functions/onShipped`, '--endpoint-type', 'azurefunction', '--event-delivery-schema', 'cloudeventschemav1_0',
        '--included-event-types', 'com.example.order.shipped', '--advanced-filter', 'source', 'StringIn', 'shop', '--max-delivery-attempts', '5',
        '--deadletter-endpoint', `${storageId}/blobServices/default/containers/faasport-dead-letters`, '--output', 'none',
      ],
      [
        'az', 'eventgrid', 'event-subscription', 'create', '--name', 'onUpload-deleted', '--source-resource-id', storageId,
        '--endpoint', `${appId}/functions/onUpload-deleted`, '--endpoint-type', 'azurefunction', '--event-delivery-schema', 'eventgridschema',
        '--included-event-types', 'Microsoft.Storage.BlobDeleted', '--subject-begins-with', '/blobServices/default/containers/uploads/',
        '--max-delivery-attempts', '5', '--deadletter-endpoint', `${storageId}/blobServices/default/containers/faasport-dead-letters`, '--output', 'none',
      ],
    ]);
  });

  it.skipIf(!hasBash)('updates existing Service Bus subscriptions, and stops with a clear message when an account is not named', () => {
    const fns = [fnOf('onSignup', 'topic', { topic: 'signups', maxAttempts: 7 })];
    const again = runWithStubs(script(fns), { RESOURCE_GROUP: 'rg', FUNCTION_APP: 'app', STORAGE_ACCOUNT: 'store', SERVICEBUS_NAMESPACE: 'bus' }, { exists: true });
    expect(again.status).toBe(0);
    expect(callsTo(again, 'az', 'servicebus', 'topic', 'create')).toEqual([]);
    expect(callsTo(again, 'az', 'servicebus', 'topic', 'subscription', 'update')[0]).toContain('--max-delivery-count');
    expect(callsTo(again, 'az', 'servicebus', 'topic', 'subscription', 'update')[0]!.slice(-3)).toEqual(['7', '--output', 'none']);
    const missing = runWithStubs(script(fns), { RESOURCE_GROUP: 'rg', FUNCTION_APP: 'app', STORAGE_ACCOUNT: 'store' });
    expect(missing.status).not.toBe(0);
    expect(missing.stderr).toContain('set SERVICEBUS_NAMESPACE to the Service Bus namespace of the ServiceBusConnection connection');
    expect(missing.calls).toEqual([]);
  });

  it('deploys the example shop app: orders queue, product-images container, Event Grid for image deletes', () => {
    const out = files(shop());
    expect(out['host.json']!.extensions.queues).toEqual({ maxDequeueCount: 5 });
    expect(out['deploy.json']!.storageQueues).toEqual([{ name: 'orders', connection: 'AzureWebJobsStorage', functions: ['fulfilOrder'], poisonQueue: 'orders-poison', maxDequeueCount: 5 }]);
    expect(out['deploy.json']!.blobContainers).toEqual([{ name: 'product-images', connection: 'AzureWebJobsStorage', functions: ['indexImage'] }]);
    expect(out['deploy.json']!.eventGridSubscriptions.map((s: { function: string; subjectBeginsWith: string }) => [s.function, s.subjectBeginsWith])).toEqual([
      ['indexImage-deleted', '/blobServices/default/containers/product-images/'],
    ]);
  });

  it('registers shared routes with their methods and lone routes for every method', () => {
    const stub = registerStub('azure', [http('deleteItem', '/items/:id', ['DELETE']), http('getItem', '/items/:id', ['GET']), http('files', '/files/*')], '/app');
    expect(stub).toContain('import { registerBufferedHttp } from "faasport/azure";');
    expect(stub).toContain('import { deleteItem as f0, getItem as f1, files as f2 } from "/app/src/api.ts";');
    expect(stub).toContain('registerBufferedHttp("deleteItem", f0, { methods: ["DELETE"], timeoutMs: 1800000 });');
    expect(stub).toContain('registerBufferedHttp("getItem", f1, { methods: ["GET","HEAD"], timeoutMs: 1800000 });');
    expect(stub).toContain('registerBufferedHttp("files", f2, { timeoutMs: 1800000 });');
    // GCP deploys each function on its own URL: no method option.
    expect(registerStub('gcp', [http('getItem', '/items/:id', ['GET']), http('deleteItem', '/items/:id', ['DELETE'])], '/app')).toContain('registerBufferedHttp("getItem", f0, { timeoutMs: 60000 });');
  });
});

describe('GCP deploy manifest', () => {
  const fnIn = (manifest: GcpDeployManifest, name: string) => manifest.functions.find((f) => f.name === name)!;
  const runScript = (manifest: GcpDeployManifest, options: { exists?: boolean } = {}) => runWithStubs(deployScript(manifest), {}, options);
  const PUBSUB_AGENT = `serviceAccount:service-${STUB_PROJECT_NUMBER}@gcp-sa-pubsub.iam.gserviceaccount.com`;

  it('deploys every function from one folder with its entry point, gen2, nodejs24 and an HTTP trigger', () => {
    const manifest = gcpDeployManifest(input([http('getItem', '/items/:id', ['GET']), http('admin', '/admin', undefined, { authLevel: 'function' })]));
    expect(manifest.functions.map((f) => [f.name, f.entryPoint, f.runtime, f.gen2, f.allowUnauthenticated])).toEqual([
      ['getItem', 'getItem', 'nodejs24', true, true],
      ['admin', 'admin', 'nodejs24', true, false],
    ]);
    expect(manifest.functions[0]!.flags).toEqual(['--gen2', '--runtime=nodejs24', '--source=.', '--entry-point=getItem', '--trigger-http', '--allow-unauthenticated']);
    expect(manifest.functions[1]!.flags).toContain('--no-allow-unauthenticated');
    const script = deployScript(manifest);
    expect(script.startsWith('#!/usr/bin/env bash\n')).toBe(true);
    expect(script).toContain('set -euo pipefail');
    expect(script).toContain('gcloud functions deploy getItem --region="$REGION" --gen2 --runtime=nodejs24 --source=. --entry-point=getItem --trigger-http --allow-unauthenticated\n');
    expect(manifest.topics).toEqual([]);
    expect(manifest.pushSubscriptions).toEqual([]);
  });

  it('writes an ESM package depending on the functions-framework with a Node engine', () => {
    const pkg = JSON.parse(gcpFiles(input([http('getItem', '/x')])).find((f) => f.path === 'package.json')!.contents) as Record<string, unknown>;
    expect(pkg).toMatchObject({ type: 'module', main: 'index.mjs', engines: { node: '24.x' }, dependencies: { '@google-cloud/functions-framework': '^5.0.5' } });
  });

  it('clamps maxAttempts to the 5..100 delivery attempts Pub/Sub dead-lettering accepts, with a note', () => {
    expect(pubsubAttempts(7)).toEqual({ attempts: 7 });
    expect(pubsubAttempts(3)).toEqual({ attempts: 5, note: "maxAttempts 3 is outside Pub/Sub's 5 to 100 delivery attempts: messages are dead-lettered after 5" });
    expect(pubsubAttempts(500).attempts).toBe(100);
  });

  it('deploys a queue function as a private HTTP function fed by a push subscription with a dead-letter policy', () => {
    const manifest = gcpDeployManifest(input(allKinds()));
    const onOrder = fnIn(manifest, 'onOrder');
    expect(onOrder.trigger).toEqual({ type: 'pubsub-push', topic: 'orders', subscription: 'onOrder-push' });
    expect(onOrder.flags).toEqual(['--gen2', '--runtime=nodejs24', '--source=.', '--entry-point=onOrder', '--trigger-http', '--timeout=60s', '--no-allow-unauthenticated']);
    expect(onOrder.allowUnauthenticated).toBe(false);
    expect(onOrder.notes).toEqual(["maxAttempts 3 is outside Pub/Sub's 5 to 100 delivery attempts: messages are dead-lettered after 5"]);
    expect(manifest.pushSubscriptions).toEqual([
      {
        name: 'onOrder-push',
        topic: 'orders',
        function: 'onOrder',
        pushEndpointFrom: 'serviceConfig.uri',
        pushAuthServiceAccount: '$PUSH_SERVICE_ACCOUNT',
        ackDeadlineSeconds: 60,
        minRetryDelay: '10s',
        maxRetryDelay: '600s',
        deadLetter: { topic: 'orders-dead-letter', maxDeliveryAttempts: 5 },
      },
    ]);
  });

  it('deploys topic, storage, schedule and event functions as Eventarc triggers with --retry, dead-lettered after maxAttempts', () => {
    const manifest = gcpDeployManifest(input([...allKinds(), fnOf('onAudit', 'topic', { topic: 'audit', maxAttempts: 12 })]));
    expect(fnIn(manifest, 'onSignup').flags.slice(4)).toEqual(['--trigger-topic=signups', '--retry']);
    expect(fnIn(manifest, 'onUpload').flags.slice(4)).toEqual([
      '--trigger-event-filters=type=google.cloud.storage.object.v1.finalized',
      '--trigger-event-filters=bucket=uploads',
      '--retry',
    ]);
    expect(fnIn(manifest, 'onUpload').extraTriggers).toEqual([
      { name: 'onupload-deleted', service: 'onupload', eventFilters: { type: 'google.cloud.storage.object.v1.deleted', bucket: 'uploads' } },
    ]);
    expect(fnIn(manifest, 'onUpload').notes[0]).toContain('--trigger-location');
    expect(fnIn(manifest, 'nightly').flags.slice(4)).toEqual(['--trigger-topic=faasport-schedule-nightly', '--retry']);
    expect(fnIn(manifest, 'onShipped').flags.slice(4)).toEqual(['--trigger-event-filters=type=com.example.order.shipped', '--trigger-event-filters=source=shop', '--retry']);
    for (const name of ['onSignup', 'onUpload', 'nightly', 'onShipped']) expect(fnIn(manifest, name).flags).not.toContain('--allow-unauthenticated');
    expect(manifest.schedulerJobs).toEqual([{ name: 'nightly', schedule: '0 3 * * 1-5', timeZone: 'Etc/UTC', topic: 'faasport-schedule-nightly', messageBody: '{}' }]);
    expect(manifest.eventarcDeadLetters).toEqual([
      { function: 'nightly', deadLetter: { topic: 'nightly-dead-letter', maxDeliveryAttempts: 5 } },
      { function: 'onShipped', deadLetter: { topic: 'onShipped-dead-letter', maxDeliveryAttempts: 5 } },
      { function: 'onSignup', deadLetter: { topic: 'signups-dead-letter', maxDeliveryAttempts: 5 } },
      { function: 'onUpload', deadLetter: { topic: 'onUpload-dead-letter', maxDeliveryAttempts: 5 } },
      { function: 'onUpload', trigger: 'onupload-deleted', deadLetter: { topic: 'onUpload-dead-letter', maxDeliveryAttempts: 5 } },
      { function: 'onAudit', deadLetter: { topic: 'audit-dead-letter', maxDeliveryAttempts: 12 } },
    ]);
    expect(manifest.topics).toEqual([
      'audit', 'audit-dead-letter', 'faasport-schedule-nightly', 'nightly-dead-letter', 'onShipped-dead-letter', 'onUpload-dead-letter', 'orders', 'orders-dead-letter', 'signups', 'signups-dead-letter',
    ]);
    expect(manifest.deadLetterTopics).toEqual(['audit-dead-letter', 'nightly-dead-letter', 'onShipped-dead-letter', 'onUpload-dead-letter', 'orders-dead-letter', 'signups-dead-letter']);
  });

  it.skipIf(!hasBash)('runs gcloud commands that create topics, the push subscription and its grants (deploy.sh)', () => {
    const run = runScript(gcpDeployManifest(input(allKinds())));
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(callsTo(run, 'gcloud', 'pubsub', 'topics', 'create').map((c) => c[4])).toEqual(gcpDeployManifest(input(allKinds())).topics);
    // The Pub/Sub service agent publishes to every dead-letter topic; each keeps a pull subscription so nothing is lost.
    expect(callsTo(run, 'gcloud', 'pubsub', 'topics', 'add-iam-policy-binding')).toContainEqual([
      'gcloud', 'pubsub', 'topics', 'add-iam-policy-binding', 'orders-dead-letter', `--member=${PUBSUB_AGENT}`, '--role=roles/pubsub.publisher',
    ]);
    expect(callsTo(run, 'gcloud', 'pubsub', 'subscriptions', 'create')).toContainEqual([
      'gcloud', 'pubsub', 'subscriptions', 'create', 'orders-dead-letter', '--topic=orders-dead-letter',
    ]);
    const deployOrder = callsTo(run, 'gcloud', 'functions', 'deploy').map((c) => c[3]);
    expect(deployOrder).toEqual(['nightly', 'onOrder', 'onShipped', 'onSignup', 'onUpload']);
    const push = callsTo(run, 'gcloud', 'pubsub', 'subscriptions', 'create', 'onOrder-push');
    expect(push).toEqual([
      [
        'gcloud', 'pubsub', 'subscriptions', 'create', 'onOrder-push', '--topic=orders',
        `--push-endpoint=${STUB_FUNCTION_URL}`,
        `--push-auth-service-account=${STUB_PROJECT_NUMBER}-compute@developer.gserviceaccount.com`,
        '--ack-deadline=60', '--dead-letter-topic=orders-dead-letter', '--max-delivery-attempts=5', '--min-retry-delay=10s', '--max-retry-delay=600s',
      ],
    ]);
    // The push identity may invoke the private function; the service agent may pull to dead-letter.
    expect(callsTo(run, 'gcloud', 'functions', 'add-invoker-policy-binding')).toEqual([
      ['gcloud', 'functions', 'add-invoker-policy-binding', 'onOrder', '--region=us-central1', `--member=serviceAccount:${STUB_PROJECT_NUMBER}-compute@developer.gserviceaccount.com`],
    ]);
    expect(callsTo(run, 'gcloud', 'pubsub', 'subscriptions', 'add-iam-policy-binding', 'onOrder-push')).toEqual([
      ['gcloud', 'pubsub', 'subscriptions', 'add-iam-policy-binding', 'onOrder-push', `--member=${PUBSUB_AGENT}`, '--role=roles/pubsub.subscriber'],
    ]);
    const pushAt = run.calls.indexOf(push[0]!);
    expect(run.calls.findIndex((c) => c[1] === 'functions' && c[2] === 'deploy' && c[3] === 'onOrder')).toBeLessThan(pushAt);
  });

  it.skipIf(!hasBash)('runs gcloud commands that dead-letter the Eventarc subscriptions and schedule the job (deploy.sh)', () => {
    const run = runScript(gcpDeployManifest(input(allKinds())));
    expect(run.status).toBe(0);
    const updates = callsTo(run, 'gcloud', 'pubsub', 'subscriptions', 'update');
    expect(updates).toEqual(
      [
        ['nightly-trigger', 'nightly-dead-letter'],
        ['onShipped-trigger', 'onShipped-dead-letter'],
        ['onSignup-trigger', 'signups-dead-letter'],
        ['onUpload-trigger', 'onUpload-dead-letter'],
        ['onupload-deleted', 'onUpload-dead-letter'],
      ].map(([trigger, topic]) => [
        'gcloud', 'pubsub', 'subscriptions', 'update', `eventarc-${trigger}`, `--dead-letter-topic=${topic}`, '--max-delivery-attempts=5', '--min-retry-delay=10s', '--max-retry-delay=600s',
      ]),
    );
    // The subscription is found through the function's Eventarc trigger.
    expect(callsTo(run, 'gcloud', 'functions', 'describe', 'nightly')[0]).toContain('--format=value(eventTrigger.trigger)');
    expect(callsTo(run, 'gcloud', 'eventarc', 'triggers', 'describe', 'nightly-trigger')[0]).toContain('--format=value(transport.pubsub.subscription)');
    expect(callsTo(run, 'gcloud', 'pubsub', 'subscriptions', 'add-iam-policy-binding', 'eventarc-nightly-trigger')).toEqual([
      ['gcloud', 'pubsub', 'subscriptions', 'add-iam-policy-binding', 'eventarc-nightly-trigger', `--member=${PUBSUB_AGENT}`, '--role=roles/pubsub.subscriber'],
    ]);
    expect(callsTo(run, 'gcloud', 'eventarc', 'triggers', 'create')).toEqual([
      [
        'gcloud', 'eventarc', 'triggers', 'create', 'onupload-deleted', '--location=us-central1', '--destination-run-service=onupload', '--destination-run-region=us-central1',
        '--event-filters=type=google.cloud.storage.object.v1.deleted', '--event-filters=bucket=uploads',
      ],
    ]);
    expect(callsTo(run, 'gcloud', 'scheduler', 'jobs', 'create', 'pubsub')).toEqual([
      ['gcloud', 'scheduler', 'jobs', 'create', 'pubsub', 'nightly', '--location=us-central1', '--schedule=0 3 * * 1-5', '--time-zone=Etc/UTC', '--topic=faasport-schedule-nightly', '--message-body={}'],
    ]);
  });

  it.skipIf(!hasBash)('updates what exists on a second run instead of creating it again', () => {
    const run = runScript(gcpDeployManifest(input(allKinds())), { exists: true });
    expect(run.status).toBe(0);
    expect(callsTo(run, 'gcloud', 'pubsub', 'topics', 'create')).toEqual([]);
    expect(callsTo(run, 'gcloud', 'pubsub', 'subscriptions', 'create')).toEqual([]);
    expect(callsTo(run, 'gcloud', 'pubsub', 'subscriptions', 'update', 'onOrder-push')[0]).toEqual([
      'gcloud', 'pubsub', 'subscriptions', 'update', 'onOrder-push', `--push-endpoint=${STUB_FUNCTION_URL}`,
      `--push-auth-service-account=${STUB_PROJECT_NUMBER}-compute@developer.gserviceaccount.com`,
      '--ack-deadline=60', '--dead-letter-topic=orders-dead-letter', '--max-delivery-attempts=5', '--min-retry-delay=10s', '--max-retry-delay=600s',
    ]);
    expect(callsTo(run, 'gcloud', 'scheduler', 'jobs', 'update', 'pubsub')).toHaveLength(1);
    expect(callsTo(run, 'gcloud', 'eventarc', 'triggers', 'create')).toEqual([]);
  });

  it('deploys the example shop app: fulfilOrder by push, indexImage on two storage triggers, nightlyReport by Scheduler', () => {
    const manifest = gcpDeployManifest(input(shop()));
    expect(manifest.pushSubscriptions.map((s) => [s.function, s.topic, s.deadLetter.maxDeliveryAttempts])).toEqual([['fulfilOrder', 'orders', 5]]);
    expect(fnIn(manifest, 'fulfilOrder').flags).toContain('--no-allow-unauthenticated');
    expect(fnIn(manifest, 'indexImage').extraTriggers.map((t) => t.eventFilters)).toEqual([{ type: 'google.cloud.storage.object.v1.deleted', bucket: 'product-images' }]);
    expect(manifest.schedulerJobs).toEqual([{ name: 'nightlyReport', schedule: '0 3 * * *', timeZone: 'Etc/UTC', topic: 'faasport-schedule-nightlyReport', messageBody: '{}' }]);
  });

  it('quotes shell words that are not plainly safe', () => {
    const manifest = gcpDeployManifest(input([fnOf('onUpload', 'storage', { bucket: 'up loads', events: ['created', 'deleted'] })]));
    const script = deployScript(manifest);
    expect(script).toContain("'--trigger-event-filters=bucket=up loads'");
    expect(script).toContain("--event-filters='bucket=up loads'");
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
  });
});
