import { describe, expect, it } from 'vitest';
import { event } from '../../../core/define.js';
import { BadEventError } from '../../../core/errors.js';
import { DeliveryFailedError } from '../../../core/events.js';
import type { CloudEvent } from '../../../core/types.js';
import { adapt } from '../adapt.js';
import { matchesEventOptions, toCloudEvent } from './event-grid.js';
import { invocationContext } from './test-helpers.js';

const cloudEvent = {
  specversion: '1.0',
  id: 'evt-1',
  source: '/orders/service',
  type: 'com.example.order.shipped',
  subject: 'orders/42',
  time: '2024-05-01T12:00:00Z',
  datacontenttype: 'application/json',
  data: { order: 42 },
  traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
};

/** An Event Grid schema event as Event Grid delivers it (azure docs sample shape). */
const eventGridEvent = {
  id: '831e1650-001e-001b-66ab-eeb76e069631',
  topic: '/subscriptions/sub/resourceGroups/rg/providers/Microsoft.EventGrid/topics/orders',
  subject: 'orders/42',
  eventType: 'com.example.order.shipped',
  eventTime: '2024-05-01T12:00:00.1234567Z',
  data: { order: 42 },
  dataVersion: '1.0',
  metadataVersion: '1',
};

describe('Event Grid trigger -> CloudEvent', () => {
  it('takes a CloudEvents-schema event as it is, extensions included', () => {
    expect(toCloudEvent(cloudEvent)).toEqual(cloudEvent);
  });

  it('turns data_base64 into bytes', () => {
    const ce = toCloudEvent({ ...cloudEvent, data: undefined, data_base64: Buffer.from([0, 255]).toString('base64') });
    expect(ce.data).toEqual(new Uint8Array([0, 255]));
    expect(ce).not.toHaveProperty('data_base64');
  });

  it('converts an Event Grid-schema event (source = topic, type = eventType)', () => {
    expect(toCloudEvent(eventGridEvent)).toEqual({
      specversion: '1.0',
      id: eventGridEvent.id,
      source: eventGridEvent.topic,
      type: 'com.example.order.shipped',
      subject: 'orders/42',
      time: eventGridEvent.eventTime,
      datacontenttype: 'application/json',
      data: { order: 42 },
      dataversion: '1.0',
    });
  });

  it('names what is wrong with a malformed event', () => {
    expect(() => toCloudEvent('nope')).toThrow(BadEventError);
    expect(() => toCloudEvent({ specversion: '1.0', id: 'x', type: 't' })).toThrow(/no "source"/);
    expect(() => toCloudEvent({ id: 'x' })).toThrow(/neither "specversion"/);
  });
});

describe('faasport/azure event adapter', () => {
  it('runs the handler for a matching type, in either schema', async () => {
    const seen: CloudEvent[] = [];
    const fn = event({ type: ['com.example.order.shipped'] }, (ce) => void seen.push(ce));
    await adapt(fn)(cloudEvent as never, invocationContext().context);
    await adapt(fn)(eventGridEvent as never, invocationContext().context);
    expect(seen.map((e) => [e.id, e.type, e.subject])).toEqual([
      ['evt-1', 'com.example.order.shipped', 'orders/42'],
      [eventGridEvent.id, 'com.example.order.shipped', 'orders/42'],
    ]);
  });

  it('acks and skips an event of another type or source with a debug log', async () => {
    let calls = 0;
    const fn = event({ type: 'com.example.order.shipped', source: '/orders/service' }, () => void calls++);
    const { context, logs } = invocationContext();
    await adapt(fn)({ ...cloudEvent, type: 'com.example.other' } as never, context);
    await adapt(fn)({ ...cloudEvent, source: '/elsewhere' } as never, context);
    expect(calls).toBe(0);
    expect(logs.filter((l) => l.level === 'debug')).toHaveLength(2);
  });

  it('fails the invocation when the handler throws (Event Grid retries, then dead-letters)', async () => {
    const fn = event({ type: 'com.example.order.shipped' }, () => {
      throw new Error('bad');
    });
    await expect(adapt(fn)(cloudEvent as never, invocationContext().context)).rejects.toBeInstanceOf(DeliveryFailedError);
  });
});

describe('CloudEvents schema fields of the wrong shape (issue 10, found by events.fuzz.test.ts)', () => {
  it('refuses a data_base64 that is not base64 instead of handing the handler garbage bytes', () => {
    expect(() => toCloudEvent({ ...cloudEvent, data: undefined, data_base64: '%zz!' })).toThrow(new BadEventError('faasport/azure: the CloudEvent\'s "data_base64" is not base64'));
    expect(() => toCloudEvent({ ...cloudEvent, data: undefined, data_base64: 42 })).toThrow(/"data_base64" is not base64/);
  });

  it('refuses an event with both data and data_base64 (the CloudEvents JSON format allows one)', () => {
    expect(() => toCloudEvent({ ...cloudEvent, data_base64: 'AA==' })).toThrow(/both "data" and "data_base64"/);
  });

  it('refuses a specversion that is not text (String() of an object whose toString is no function threw a TypeError)', () => {
    expect(() => toCloudEvent({ ...cloudEvent, specversion: { toString: 'x' } })).toThrow(new BadEventError('faasport/azure: the CloudEvent has no "specversion"'));
  });
});

describe('Event Grid schema events with fields left out', () => {
  it('an event with only id and eventType gets source "" and no subject, time, data or dataversion keys', () => {
    expect(toCloudEvent({ id: 'e-1', eventType: 'com.example.t' })).toStrictEqual({ id: 'e-1', source: '', type: 'com.example.t', specversion: '1.0' });
  });

  it('empty text fields are left out too', () => {
    expect(toCloudEvent({ id: 'e-1', eventType: 'com.example.t', topic: '', subject: '', eventTime: '', dataVersion: '' })).toStrictEqual({
      id: 'e-1', source: '', type: 'com.example.t', specversion: '1.0',
    });
  });
});

describe('malformed events, exact messages', () => {
  it('names null and the type of a non-object', () => {
    expect(() => toCloudEvent(null)).toThrow(new BadEventError('faasport/azure: expected an Event Grid event object, got null'));
    expect(() => toCloudEvent('nope')).toThrow(new BadEventError('faasport/azure: expected an Event Grid event object, got string'));
  });

  it('an empty id is no id', () => {
    expect(() => toCloudEvent({ ...cloudEvent, id: '' })).toThrow(new BadEventError('faasport/azure: the CloudEvent has no "id"'));
    expect(() => toCloudEvent({ ...eventGridEvent, id: '' })).toThrow(new BadEventError('faasport/azure: the Event Grid event has no "id"'));
  });

  it('a data_base64 that is no string is refused even when its text would be base64', () => {
    const lookalike = { length: 4, toString: () => 'AAAA' };
    expect(() => toCloudEvent({ ...cloudEvent, data: undefined, data_base64: lookalike })).toThrow(new BadEventError('faasport/azure: the CloudEvent\'s "data_base64" is not base64'));
  });
});

describe('matchesEventOptions', () => {
  const ce = { specversion: '1.0', id: 'e', source: '/s', type: 'com.example' } as CloudEvent;

  it('matches a single type exactly, not as a substring', () => {
    expect(matchesEventOptions(ce, { type: 'com.example.order' })).toBe(false);
    expect(matchesEventOptions(ce, { type: 'com.example' })).toBe(true);
  });

  it('matches when the source named is the event source', () => {
    expect(matchesEventOptions(ce, { type: ['com.example'], source: '/s' })).toBe(true);
    expect(matchesEventOptions(ce, { type: ['com.example'], source: '/t' })).toBe(false);
  });
});

describe('Event Grid adapter, what the handler and logs see', () => {
  it('logs the skipped event id, type and source at debug level', async () => {
    const fn = event({ type: 'com.example.order.shipped' }, () => undefined);
    const { context, logs } = invocationContext();
    await adapt(fn)({ ...cloudEvent, type: 'com.example.other' } as never, context);
    expect(logs).toEqual([
      { level: 'debug', args: ['faasport/azure: skipped an event this function does not listen to', { id: 'evt-1', type: 'com.example.other', source: '/orders/service' }] },
    ]);
  });

  it('hands the handler the trigger and the invocation context as native', async () => {
    let native: unknown;
    const fn = event({ type: 'com.example.order.shipped' }, (_ce, ctx) => {
      native = ctx.native;
    });
    const { context } = invocationContext();
    await adapt(fn)(cloudEvent as never, context);
    expect(native).toEqual({ trigger: cloudEvent, context });
  });

  it('a failed delivery names the function and the event id', async () => {
    const fn = event({ type: 'com.example.order.shipped' }, () => {
      throw new Error('bad');
    });
    await expect(adapt(fn)(cloudEvent as never, invocationContext().context)).rejects.toThrow('faasport/azure: the event handler of "azureName" failed on event evt-1');
  });
});
