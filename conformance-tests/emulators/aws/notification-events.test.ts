import { describe, expect, it } from 'vitest';
import { EventBridgeError, bridgeTime, toBridgeEvent, toScheduledEvent } from './eventbridge-event.js';
import { encodeS3Key, sequencerFactory, toS3Event } from './s3-event.js';
import { toSnsEvent } from './sns-event.js';

describe('encodeS3Key (form encoding, as S3 writes keys into notifications)', () => {
  it.each([
    ['my file+name é.txt', 'my+file%2Bname+%C3%A9.txt'],
    ['Happy Face.jpg', 'Happy+Face.jpg'],
    ['test/key', 'test%2Fkey'],
    ['a(1)!~\'*.-_', 'a%281%29%21%7E%27*.-_'],
    ['10:47:07;x=y&z', '10%3A47%3A07%3Bx%3Dy%26z'],
    ['日本', '%E6%97%A5%E6%9C%AC'],
    ['%', '%25'],
  ])('%s -> %s', (key, encoded) => {
    expect(encodeS3Key(key)).toBe(encoded);
  });

  it('decodes back with + as space first', () => {
    const key = 'dir/a b+c%d é.txt';
    expect(decodeURIComponent(encodeS3Key(key).replaceAll('+', ' '))).toBe(key);
  });
});

describe('toS3Event', () => {
  it('leaves size and eTag out of a delete', () => {
    const event = toS3Event({ bucket: 'b', key: 'k', type: 'deleted', object: undefined, time: new Date(0), sequencer: '0A', configurationId: 'c' });
    expect(event.Records[0]!.s3.object).toEqual({ key: 'k', sequencer: '0A' });
    expect(event.Records[0]!.eventName).toBe('ObjectRemoved:Delete');
  });

  it('hands out growing sequencers of fixed width', () => {
    let now = 5;
    const next = sequencerFactory(() => now);
    const a = next();
    const b = next();
    now = 6;
    const c = next();
    expect(a.length).toBe(18);
    expect(a < b && b < c).toBe(true);
  });
});

describe('toSnsEvent', () => {
  it('writes a null Subject and string attributes', () => {
    const event = toSnsEvent({ topic: 't', subscriptionId: 's', messageId: 'm', message: 'x', attributes: { a: '1' }, timestamp: new Date(0), subject: null });
    expect(event.Records[0]!.Sns).toMatchObject({ Subject: null, MessageAttributes: { a: { Type: 'String', Value: '1' } }, TopicArn: 'arn:aws:sns:us-east-1:000000000000:t' });
    expect(event.Records[0]!.EventSubscriptionArn).toBe('arn:aws:sns:us-east-1:000000000000:t:s');
  });
});

describe('EventBridge events', () => {
  it('writes time to the second', () => {
    expect(bridgeTime(new Date('2024-01-02T03:04:05.678Z'))).toBe('2024-01-02T03:04:05Z');
  });

  it('names the rule in a scheduled event', () => {
    expect(toScheduledEvent({ id: 'i', rule: 'r', scheduledTime: new Date('2024-01-01T00:00:00Z') })).toMatchObject({
      resources: ['arn:aws:events:us-east-1:000000000000:rule/r'],
      time: '2024-01-01T00:00:00Z',
      detail: {},
    });
  });

  it('maps a CloudEvent without data, subject or time to detail {}, no resources and the put time', () => {
    const event = toBridgeEvent({ specversion: '1.0', id: 'x', source: 'app', type: 't' }, { id: 'eb', now: new Date('2024-06-01T10:00:00.999Z') });
    expect(event).toMatchObject({ id: 'eb', source: 'app', 'detail-type': 't', resources: [], detail: {}, time: '2024-06-01T10:00:00Z' });
  });

  it('can carry the whole CloudEvent as detail, keeping id and extensions', () => {
    const ce = { specversion: '1.0', id: 'ce-7', source: 'app', type: 't', subject: 's', traceparent: 'tp', data: 'text is fine here' };
    const event = toBridgeEvent(ce, { id: 'eb', now: new Date(), layout: 'cloudevent' });
    expect(event).toMatchObject({ id: 'eb', source: 'app', 'detail-type': 't', resources: ['s'], detail: ce });
  });

  it.each([
    ['a source starting with aws.', { source: 'aws.s3' }, /aws\./],
    ['array data', { data: [1] }, /data is an array/],
    ['a bad time', { time: 'yesterday' }, /not a timestamp/],
  ])('refuses %s', (_, patch, message) => {
    const ce = { specversion: '1.0', id: 'x', source: 'app', type: 't', ...patch };
    expect(() => toBridgeEvent(ce, { id: 'eb', now: new Date() })).toThrow(EventBridgeError);
    expect(() => toBridgeEvent(ce, { id: 'eb', now: new Date() })).toThrow(message);
  });
});
