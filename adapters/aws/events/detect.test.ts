import { describe, expect, it } from 'vitest';
import { describeEvent, detectEventSource, wrongEvent } from './detect.js';

describe('detectEventSource', () => {
  it('answers undefined for null, an array, a string and a number', () => {
    expect(detectEventSource(null)).toBeUndefined();
    expect(detectEventSource([{ eventSource: 'aws:sqs' }])).toBeUndefined();
    expect(detectEventSource('aws:sqs')).toBeUndefined();
    expect(detectEventSource(3)).toBeUndefined();
  });

  it('needs both a string detail-type and a string source for EventBridge', () => {
    expect(detectEventSource({ 'detail-type': 'Order Placed', source: 'shop' })).toBe('eventbridge');
    expect(detectEventSource({ 'detail-type': 'Order Placed' })).toBeUndefined();
    expect(detectEventSource({ 'detail-type': 'Order Placed', source: 1 })).toBeUndefined();
    expect(detectEventSource({ source: 'faasport.scheduler' })).toBe('scheduler');
  });
});

describe('describeEvent', () => {
  it('names null, undefined, an array and a primitive', () => {
    expect(describeEvent(null)).toBe('null');
    expect(describeEvent(undefined)).toBe('undefined');
    expect(describeEvent([1])).toBe('an array');
    expect(describeEvent('x')).toBe('a string');
    expect(describeEvent(2)).toBe('a number');
  });

  it('names the sources it knows, with an EventBridge event source and detail-type', () => {
    expect(describeEvent({ Records: [{ eventSource: 'aws:sqs' }] })).toBe('an SQS event');
    expect(describeEvent({ Records: [{ EventSource: 'aws:sns' }] })).toBe('an SNS event');
    expect(describeEvent({ Records: [{ eventSource: 'aws:s3' }] })).toBe('an S3 event');
    expect(describeEvent({ source: 'faasport.scheduler' })).toBe('an EventBridge Scheduler payload');
    expect(describeEvent({ source: 'shop', 'detail-type': 'Order Placed' })).toBe('an EventBridge event (source "shop", detail-type "Order Placed")');
  });

  it('names what Records[0] carries when the source is unknown', () => {
    expect(describeEvent({ Records: [] })).toBe('an event with no Records');
    expect(describeEvent({ Records: [7] })).toBe('an event whose Records[0] is the number 7');
    expect(describeEvent({ Records: [{ eventSource: 'aws:kinesis' }] })).toBe('an event whose Records[0].eventSource is the string "aws:kinesis"');
    expect(describeEvent({ Records: [{ EventSource: 'aws:dynamodb' }] })).toBe('an event whose Records[0].EventSource is the string "aws:dynamodb"');
    expect(describeEvent({ Records: [{ other: 1 }] })).toBe('an event whose Records come from an unknown source (Records[0] has no eventSource)');
  });

  it('lists at most six keys of an unknown object, then ", ..."', () => {
    expect(describeEvent({})).toBe('an empty object');
    expect(describeEvent({ a: 1, b: 2 })).toBe('an object with keys a, b');
    expect(describeEvent({ a: 1, b: 2, c: 3, d: 4, e: 5, f: 6 })).toBe('an object with keys a, b, c, d, e, f');
    expect(describeEvent({ a: 1, b: 2, c: 3, d: 4, e: 5, f: 6, g: 7 })).toBe('an object with keys a, b, c, d, e, f, ...');
  });
});

describe('wrongEvent', () => {
  it('says what was expected and what arrived', () => {
    const error = wrongEvent('SQS', 'an SQS event', { Records: [{ EventSource: 'aws:sns' }] });
    expect(error.message).toBe(
      "faasport/aws: this SQS function cannot read the event: expected an SQS event; got an SNS event. Check the function's trigger.",
    );
  });
});
