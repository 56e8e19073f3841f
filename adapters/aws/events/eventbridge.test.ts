import { describe, expect, it } from 'vitest';
import { cloudEventFromBridge, isCloudEvent, isScheduledEvent, matchesEventOptions, scheduleFromBridge } from './eventbridge.js';
import { isSchedulerInput, SCHEDULER_INPUT, scheduleFromScheduler } from './scheduler.js';
import { fixture, sharedFixture } from './test-helpers.js';

describe('cloudEventFromBridge', () => {
  it('maps the shared EventBridge sample field by field', () => {
    expect(cloudEventFromBridge(sharedFixture('eventbridge/base.json'))).toEqual({
      specversion: '1.0',
      id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
      source: 'aws.ec2',
      type: 'EC2 Instance State-change Notification',
      subject: 'arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0',
      time: '2017-12-22T18:43:48Z',
      datacontenttype: 'application/json',
      data: { instance_id: 'i-1234567890abcdef0', state: 'terminated' },
      awsregion: 'us-west-1',
      awsaccount: '111122223333',
    });
  });

  it('uses the first resource as subject and leaves subject out when there are none', () => {
    const custom = fixture('eventbridge-custom.json');
    expect(cloudEventFromBridge(custom).subject).toBe('arn:aws:example:eu-central-1:123456789012:order/o-123');
    custom.resources = [];
    expect(cloudEventFromBridge(custom)).not.toHaveProperty('subject');
  });

  it('names extensions in lower-case letters and digits only, as CloudEvents requires', () => {
    const ce = cloudEventFromBridge(fixture('eventbridge-custom.json'));
    const standard = ['specversion', 'id', 'source', 'type', 'subject', 'time', 'datacontenttype', 'data'];
    const extensions = Object.keys(ce).filter((k) => !standard.includes(k));
    expect(extensions).toEqual(['awsregion', 'awsaccount']);
    for (const name of extensions) expect(name).toMatch(/^[a-z0-9]+$/);
  });

  it('passes a CloudEvent put on the bus as detail through unchanged', () => {
    const event = fixture('eventbridge-cloudevent-detail.json');
    expect(cloudEventFromBridge(event)).toEqual(event.detail);
    expect(isCloudEvent({ specversion: '1.0', id: 'x', source: 's' })).toBe(false);
  });

  it('rejects an event without id, source or detail-type', () => {
    const event = sharedFixture('eventbridge/base.json');
    delete event.id;
    expect(() => cloudEventFromBridge(event)).toThrow('faasport/aws: the EventBridge event has no id, source and detail-type strings');
  });

  it('matches options.type (one or several) and options.source', () => {
    const ce = cloudEventFromBridge(fixture('eventbridge-custom.json'));
    expect(matchesEventOptions(ce, { type: 'com.example.order.shipped' })).toBe(true);
    expect(matchesEventOptions(ce, { type: ['a', 'com.example.order.shipped'] })).toBe(true);
    expect(matchesEventOptions(ce, { type: 'com.example.order.created' })).toBe(false);
    expect(matchesEventOptions(ce, { type: 'com.example.order.shipped', source: 'com.example.orders' })).toBe(true);
    expect(matchesEventOptions(ce, { type: 'com.example.order.shipped', source: 'elsewhere' })).toBe(false);
  });
});

describe('schedules', () => {
  it('reads the scheduled time of an EventBridge rule event', () => {
    const event = fixture('eventbridge-scheduled.json');
    expect(isScheduledEvent(event)).toBe(true);
    expect(scheduleFromBridge(event)).toEqual({ scheduledTime: new Date('2024-05-05T03:00:00Z') });
    expect(isScheduledEvent(sharedFixture('eventbridge/base.json'))).toBe(false);
  });

  it('reads the scheduled time of the EventBridge Scheduler input', () => {
    const input = fixture('scheduler-input.json');
    expect(isSchedulerInput(input)).toBe(true);
    expect(scheduleFromScheduler(input)).toEqual({ scheduledTime: new Date('2024-05-05T03:00:00Z') });
  });

  it('says which Input to set when the Scheduler placeholders were not filled', () => {
    expect(() => scheduleFromScheduler({ ...SCHEDULER_INPUT })).toThrow(/no valid scheduledTime \(it is the string "<aws.scheduler.scheduled-time>"\); the schedule's Input must be \{"source":"faasport.scheduler"/);
  });
});
