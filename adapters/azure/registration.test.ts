import { describe, expect, it } from 'vitest';
import { event, queue, schedule, storage, topic } from '../../core/define.js';
import { azureRegistrations } from './registration.js';

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
