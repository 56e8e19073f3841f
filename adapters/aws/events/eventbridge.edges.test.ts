import type { ScheduledEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import type { CloudEvent } from '../../../core/types.js';
import type { AwsBridgeEvent } from '../types.js';
import { cloudEventFromBridge, isCloudEvent, isScheduledEvent, matchesEventOptions } from './eventbridge.js';

const bridge = (fields: Record<string, unknown>) => ({ id: 'e-1', source: 'shop', 'detail-type': 'Order Placed', ...fields }) as unknown as AwsBridgeEvent;

describe('isScheduledEvent', () => {
  it('needs both the "Scheduled Event" detail-type and the aws.events source', () => {
    expect(isScheduledEvent({ 'detail-type': 'Scheduled Event', source: 'aws.events' } as ScheduledEvent)).toBe(true);
    expect(isScheduledEvent({ 'detail-type': 'Scheduled Event', source: 'shop' } as unknown as ScheduledEvent)).toBe(false);
    expect(isScheduledEvent({ 'detail-type': 'Order Placed', source: 'aws.events' } as unknown as ScheduledEvent)).toBe(false);
  });
});

describe('isCloudEvent', () => {
  const ce = { specversion: '1.0', id: 'c-1', source: 'src', type: 't' };

  it('needs all four of specversion, id, source and type as non-empty strings', () => {
    expect(isCloudEvent(ce)).toBe(true);
    for (const key of ['specversion', 'id', 'source', 'type'] as const) {
      expect(isCloudEvent({ ...ce, [key]: '' })).toBe(false);
      expect(isCloudEvent({ ...ce, [key]: 1 })).toBe(false);
    }
  });

  it('is false for null and non-objects', () => {
    expect(isCloudEvent(null)).toBe(false);
    expect(isCloudEvent('x')).toBe(false);
    expect(isCloudEvent(Object.assign(() => undefined, ce))).toBe(false);
  });
});

describe('cloudEventFromBridge optional fields', () => {
  it('leaves out time, data, awsregion and awsaccount when absent or empty', () => {
    expect(cloudEventFromBridge(bridge({ time: '', region: '', account: '' }))).toEqual({
      specversion: '1.0',
      id: 'e-1',
      source: 'shop',
      type: 'Order Placed',
      datacontenttype: 'application/json',
    });
    const ce = cloudEventFromBridge(bridge({}));
    expect(Object.keys(ce)).toEqual(['specversion', 'id', 'source', 'type', 'datacontenttype']);
  });

  it('keeps them when present', () => {
    expect(
      cloudEventFromBridge(bridge({ time: '2025-01-01T00:00:00Z', region: 'eu-west-1', account: '123456789012', detail: { a: 1 }, resources: ['arn:x'] })),
    ).toEqual({
      specversion: '1.0',
      id: 'e-1',
      source: 'shop',
      type: 'Order Placed',
      subject: 'arn:x',
      time: '2025-01-01T00:00:00Z',
      datacontenttype: 'application/json',
      data: { a: 1 },
      awsregion: 'eu-west-1',
      awsaccount: '123456789012',
    });
  });
});

describe('matchesEventOptions', () => {
  const ce = { specversion: '1.0', id: 'c-1', source: 'shop', type: 'Order Placed' } as CloudEvent;

  it('matches one type or a list of types, and the source when given', () => {
    expect(matchesEventOptions(ce, { type: 'Order Placed' })).toBe(true);
    expect(matchesEventOptions(ce, { type: 'Order' })).toBe(false);
    expect(matchesEventOptions({ ...ce, type: 'Order' }, { type: 'Order Placed' })).toBe(false);
    expect(matchesEventOptions(ce, { type: ['A', 'Order Placed'] })).toBe(true);
    expect(matchesEventOptions(ce, { type: ['A'] })).toBe(false);
    expect(matchesEventOptions(ce, { type: 'Order Placed', source: 'shop' })).toBe(true);
    expect(matchesEventOptions(ce, { type: 'Order Placed', source: 'other' })).toBe(false);
  });
});
