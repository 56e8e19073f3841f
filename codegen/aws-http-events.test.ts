import { describe, expect, it } from 'vitest';
import { checkAwsHttpEvents, DEFAULT_AWS_HTTP_EVENTS, parseAwsHttpEvents } from './aws-http-events.js';

describe('--aws-http-events', () => {
  it('defaults to HTTP API / Function URL events, what the generated template sends', () => {
    expect(DEFAULT_AWS_HTTP_EVENTS).toEqual(['apigw-v2']);
    expect(parseAwsHttpEvents(undefined)).toEqual(['apigw-v2']);
  });

  it('reads a comma list, or a repeated flag, in one fixed order without repeats', () => {
    expect(parseAwsHttpEvents('alb')).toEqual(['alb']);
    expect(parseAwsHttpEvents('alb, APIGW-V1,alb')).toEqual(['apigw-v1', 'alb']);
    expect(parseAwsHttpEvents(['alb', 'apigw-v2'])).toEqual(['apigw-v2', 'alb']);
  });

  it('reads "all" as every kind', () => {
    expect(parseAwsHttpEvents('all')).toEqual(['apigw-v2', 'apigw-v1', 'alb']);
    expect(parseAwsHttpEvents('alb,all')).toEqual(['apigw-v2', 'apigw-v1', 'alb']);
  });

  it('refuses an unknown kind, naming it and the valid values', () => {
    expect(() => parseAwsHttpEvents('apigw-v2,apigw-v3')).toThrow(
      'unknown AWS HTTP event kind "apigw-v3" (--aws-http-events); use apigw-v2 (API Gateway HTTP API, Function URL), apigw-v1 (API Gateway REST API), alb, a comma list of them, or all',
    );
    expect(() => checkAwsHttpEvents(['rest'])).toThrow(/unknown AWS HTTP event kind "rest"/);
  });

  it('refuses an empty list', () => {
    expect(() => parseAwsHttpEvents(' , ')).toThrow(/--aws-http-events needs at least one kind of event: apigw-v2/);
    expect(() => checkAwsHttpEvents([])).toThrow(/needs at least one kind of event/);
  });
});
