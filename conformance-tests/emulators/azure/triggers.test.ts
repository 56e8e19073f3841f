import { describe, expect, it } from 'vitest';
import type { RegisteredFunction } from './protocol.js';
import { blobDeletedEvent, dotnetDate, queueTrigger, serviceBusTrigger, timerTrigger, toEventInvocationRequest, triggerValue } from './triggers.js';

const queueFn = (dataType?: string): RegisteredFunction => ({
  functionId: 'onOrder',
  name: 'onOrder',
  bindings: { storageQueueTrigger1a2b: { type: 'queueTrigger', direction: 'in', queueName: 'orders', connection: 'AzureWebJobsStorage', ...(dataType ? { dataType } : {}) } },
});

const message = {
  id: 'm-1',
  popReceipt: 'AgAAAA==',
  insertionTime: new Date('2024-05-01T12:00:00Z'),
  expirationTime: new Date('2024-05-08T12:00:00.5Z'),
  nextVisibleTime: new Date('2024-05-01T12:10:00.123Z'),
  dequeueCount: 2,
  body: new TextEncoder().encode('{ "a": 1 }'),
};

describe('host-side trigger data', () => {
  it('writes dates as Newtonsoft does (DateTimeOffset +00:00, UTC DateTime Z, trailing zeros dropped)', () => {
    expect(dotnetDate(new Date('2024-05-01T12:00:00Z'), 'offset')).toBe('2024-05-01T12:00:00+00:00');
    expect(dotnetDate(new Date('2024-05-01T12:00:00.120Z'), 'utc')).toBe('2024-05-01T12:00:00.12Z');
  });

  it('sends the trigger value as bytes for dataType binary, as a string otherwise (queue default)', () => {
    const bytes = new Uint8Array([1, 2]);
    expect(triggerValue({ dataType: 'binary' }, bytes, 'string')).toEqual({ bytes });
    expect(triggerValue({}, new TextEncoder().encode('x'), 'string')).toEqual({ string: 'x' });
    expect(triggerValue({}, bytes, 'binary')).toEqual({ bytes });
  });

  it('sends queue metadata with the host names and types', () => {
    const { data, triggerMetadata } = queueTrigger(queueFn('binary'), message, new Date('2024-05-01T12:00:01Z'));
    expect(data).toEqual({ bytes: message.body });
    expect(triggerMetadata).toMatchObject({
      QueueTrigger: { string: '{ "a": 1 }' },
      DequeueCount: { json: '2' },
      Id: { string: 'm-1' },
      PopReceipt: { string: 'AgAAAA==' },
      InsertionTime: { json: '"2024-05-01T12:00:00+00:00"' },
      ExpirationTime: { json: '"2024-05-08T12:00:00.5+00:00"' },
      NextVisibleTime: { json: '"2024-05-01T12:10:00.123+00:00"' },
    });
    expect(JSON.parse(triggerMetadata.sys!.json!)).toMatchObject({ MethodName: 'onOrder', UtcNow: '2024-05-01T12:00:01Z' });
  });

  it('addresses the trigger binding, with string data when the binding has no dataType', () => {
    const request = toEventInvocationRequest({ invocationId: 'i', fn: queueFn(), ...queueTrigger(queueFn(), message, new Date()) });
    expect(request.inputData).toEqual([{ name: 'storageQueueTrigger1a2b', data: { string: '{ "a": 1 }' } }]);
    expect(request.retryContext).toBeNull();
  });

  it('sends Service Bus properties as JSON and the delivery count as a number', () => {
    const fn: RegisteredFunction = { functionId: 's', name: 's', bindings: { t: { type: 'serviceBusTrigger', direction: 'in', dataType: 'binary' } } };
    const { triggerMetadata } = serviceBusTrigger(
      fn,
      { messageId: 'id', sequenceNumber: 3, enqueuedTime: new Date('2024-05-01T12:00:00Z'), deliveryCount: 2, body: new Uint8Array(), applicationProperties: { region: 'eu' }, lockToken: 'l' },
      new Date(),
    );
    expect(triggerMetadata).toMatchObject({
      MessageId: { string: 'id' },
      DeliveryCount: { json: '2' },
      EnqueuedTimeUtc: { json: '"2024-05-01T12:00:00Z"' },
      ApplicationProperties: { json: '{"region":"eu"}' },
    });
  });

  it('puts the occurrence being fired in ScheduleStatus.Next and the previous invocation in Last', () => {
    const fn: RegisteredFunction = { functionId: 't', name: 't', bindings: { t: { type: 'timerTrigger', direction: 'in' } } };
    const tick = { scheduledTime: new Date('2024-05-01T03:00:00Z'), last: new Date('2024-05-01T02:00:00.3Z'), isPastDue: false };
    const { data } = timerTrigger(fn, tick, new Date('2024-05-01T03:00:00.2Z'));
    expect(JSON.parse(data.json!)).toEqual({
      Schedule: { AdjustForDST: true },
      ScheduleStatus: { Last: '2024-05-01T02:00:00.3+00:00', Next: '2024-05-01T03:00:00+00:00', LastUpdated: '2024-05-01T02:00:00.3+00:00' },
      IsPastDue: false,
    });
  });

  it("sends DateTime's default as Last before any invocation was stored", () => {
    const fn: RegisteredFunction = { functionId: 't', name: 't', bindings: { t: { type: 'timerTrigger', direction: 'in' } } };
    const { data } = timerTrigger(fn, { scheduledTime: new Date('2024-05-01T03:00:00Z'), last: undefined, isPastDue: true }, new Date());
    expect(JSON.parse(data.json!)).toMatchObject({ ScheduleStatus: { Last: '0001-01-01T00:00:00', LastUpdated: '0001-01-01T00:00:00' }, IsPastDue: true });
  });

  it('writes BlobDeleted with the raw key in the subject and the encoded key in the url', () => {
    const event = blobDeletedEvent({ container: 'uploads', key: 'a b/ü+.txt', url: 'http://h/devstoreaccount1/uploads/a%20b/%C3%BC%2B.txt', contentType: undefined }, new Date(0));
    expect(event).toMatchObject({ subject: '/blobServices/default/containers/uploads/blobs/a b/ü+.txt', eventType: 'Microsoft.Storage.BlobDeleted' });
    expect((event.data as { url: string }).url).toContain('a%20b/%C3%BC%2B.txt');
  });
});
