import azureFunctions from '@azure/functions';
import { describe, expect, it } from 'vitest';
import { event, http, queue, schedule, storage, topic } from '../../core/define.js';
import { invocationContext } from './events/test-helpers.js';
import { azureMethods, azureRegistrations } from './registration.js';

const summary = (regs: ReturnType<typeof azureRegistrations>) =>
  regs.map(({ trigger, name, options }) => {
    const { handler, ...rest } = options as { handler: unknown } & Record<string, unknown>;
    expect(typeof handler).toBe('function');
    return { trigger, name, ...rest };
  });

describe('azureRegistrations', () => {
  it('registers a queue function as a Storage queue trigger with bytes and the default connection', () => {
    expect(summary(azureRegistrations('onOrder', queue({ queue: 'orders' }, () => {})))).toEqual([
      { trigger: 'storageQueue', name: 'onOrder', queueName: 'orders', connection: 'AzureWebJobsStorage', dataType: 'binary' },
    ]);
  });

  it('takes the connection from register options, then from the function', () => {
    const fn = queue({ queue: 'orders', connection: 'OrdersStorage' }, () => {});
    expect(summary(azureRegistrations('onOrder', fn))[0]).toMatchObject({ connection: 'OrdersStorage' });
    expect(summary(azureRegistrations('onOrder', fn, { connection: 'Other' }))[0]).toMatchObject({ connection: 'Other' });
  });

  it('registers a topic function on a Service Bus subscription (the function name when none is given)', () => {
    expect(summary(azureRegistrations('onSignup', topic({ topic: 'signups' }, () => {})))).toEqual([
      {
        trigger: 'serviceBusTopic',
        name: 'onSignup',
        topicName: 'signups',
        subscriptionName: 'onSignup',
        connection: 'ServiceBusConnection',
        dataType: 'binary',
      },
    ]);
    expect(summary(azureRegistrations('onSignup', topic({ topic: 'signups', subscription: 'mail' }, () => {})))[0]).toMatchObject({
      subscriptionName: 'mail',
    });
  });

  it('registers a storage function listening to both events as a blob trigger and an Event Grid "-deleted" function', () => {
    const fn = storage({ bucket: 'uploads', events: ['created', 'deleted'] }, () => {});
    expect(summary(azureRegistrations('onUpload', fn))).toEqual([
      { trigger: 'storageBlob', name: 'onUpload', path: 'uploads/{name}', connection: 'AzureWebJobsStorage', source: 'EventGrid', dataType: 'binary' },
      { trigger: 'eventGrid', name: 'onUpload-deleted' },
    ]);
  });

  it('uses the Event Grid blob source by default (the only one Flex Consumption runs) and the polling one on request', () => {
    const fn = storage({ bucket: 'uploads' }, () => {});
    expect(summary(azureRegistrations('onUpload', fn))[0]).toMatchObject({ source: 'EventGrid' });
    expect(summary(azureRegistrations('onUpload', fn, { blobSource: 'LogsAndContainerScan' }))[0]).toMatchObject({ source: 'LogsAndContainerScan' });
  });

  it('registers only what a storage function listens to ("created" by default)', () => {
    expect(azureRegistrations('a', storage({ bucket: 'b' }, () => {})).map((r) => r.name)).toEqual(['a']);
    expect(azureRegistrations('a', storage({ bucket: 'b', events: ['deleted'] }, () => {})).map((r) => r.name)).toEqual(['a-deleted']);
  });

  it('registers a schedule as a timer with the 6-field NCRONTAB', () => {
    expect(summary(azureRegistrations('nightly', schedule({ cron: '0 3 * * *' }, () => {})))).toEqual([
      { trigger: 'timer', name: 'nightly', schedule: '0 0 3 * * *' },
    ]);
  });

  it('registers an event function as an Event Grid trigger', () => {
    expect(summary(azureRegistrations('onShipped', event({ type: 'x' }, () => {})))).toEqual([{ trigger: 'eventGrid', name: 'onShipped' }]);
  });
});

describe('azureRegistrations, connections and names', () => {
  it('takes the connection from the function when register options name none (blob and Service Bus too)', () => {
    expect(summary(azureRegistrations('a', storage({ bucket: 'b', connection: 'BlobConn' }, () => {})))[0]).toMatchObject({ connection: 'BlobConn' });
    expect(summary(azureRegistrations('a', topic({ topic: 't', connection: 'BusConn' }, () => {})))[0]).toMatchObject({ connection: 'BusConn' });
  });

  it('refuses a function of a kind it does not know, naming the kind', () => {
    expect(() => azureRegistrations('a', { kind: 'weird', options: {}, handler: () => undefined } as never)).toThrow(
      new TypeError('faasport/azure: register() got a function of unknown kind "weird"'),
    );
  });

  it('gives every handler the registered name as the function name, not the host\'s', async () => {
    const names: string[] = [];
    const record = (_input: unknown, ctx: { functionName: string }) => void names.push(ctx.functionName);
    const handlerOf = (fn: Parameters<typeof azureRegistrations>[1], at = 0) =>
      azureRegistrations(`reg${names.length}`, fn)[at]!.options.handler as (trigger: unknown, context: unknown) => Promise<unknown>;
    const cloudEvent = { specversion: '1.0', id: 'e', source: '/s', type: 'x' };
    const deleted = { ...cloudEvent, type: 'Microsoft.Storage.BlobDeleted', subject: '/blobServices/default/containers/b/blobs/k' };
    const timer = { isPastDue: false, scheduleStatus: { next: '2024-05-01T03:00:00+00:00', last: '2024-04-30T03:00:00+00:00', lastUpdated: '2024-05-01T03:00:00+00:00' } };
    await handlerOf(queue({ queue: 'q' }, record))(Buffer.from('x'), invocationContext().context);
    await handlerOf(topic({ topic: 't' }, record))(Buffer.from('x'), invocationContext().context);
    await handlerOf(storage({ bucket: 'b' }, record))(Buffer.from('x'), invocationContext({ blobTrigger: 'b/k' }).context);
    await handlerOf(storage({ bucket: 'b', events: ['deleted'] }, record))(deleted, invocationContext().context);
    await handlerOf(schedule({ cron: '0 3 * * *' }, record))(timer, invocationContext().context);
    await handlerOf(event({ type: 'x' }, record))(cloudEvent, invocationContext().context);
    const httpFn = http({ route: '/x' }, (_req, ctx) => (names.push(ctx.functionName), new Response('ok')));
    await handlerOf(httpFn)(new azureFunctions.HttpRequest({ method: 'GET', url: 'https://app.azurewebsites.net/x' }), invocationContext().context);
    expect(names).toEqual(['reg0', 'reg1', 'reg2', 'reg3', 'reg4', 'reg5', 'reg6']);
  });
});

describe('azureMethods', () => {
  it('lets every method through for an empty list', () => {
    expect(azureMethods([])).toEqual(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
  });

  it('adds HEAD next to GET only once', () => {
    expect(azureMethods(['GET', 'HEAD'])).toEqual(['GET', 'HEAD']);
    expect(azureMethods(['GET'])).toEqual(['GET', 'HEAD']);
  });
});
