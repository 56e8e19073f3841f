import { describe, expect, it } from 'vitest';
import { detectHttpShape } from './detect.js';
import { describeEvent } from './source.js';
import { fixture, sharedFixture } from './test-helpers.js';

describe('detectHttpShape', () => {
  const cases: [string, unknown, string][] = [
    ['HTTP API payload 2.0', sharedFixture('apigw-http/no-auth.json'), 'apigw-v2'],
    ['HTTP API with JWT authorizer', sharedFixture('apigw-http/jwt-authorizer-auth.json'), 'apigw-v2'],
    ['Function URL', sharedFixture('lambda/base.json'), 'apigw-v2'],
    ['Function URL GET', sharedFixture('lambda/get-request.json'), 'apigw-v2'],
    ['REST API payload 1.0', sharedFixture('apigw-rest/no-auth.json'), 'apigw-v1'],
    ['REST API with IAM auth', sharedFixture('apigw-rest/iam-auth.json'), 'apigw-v1'],
    ['ALB single-value', sharedFixture('alb/base.json'), 'alb'],
    ['ALB multi-value', sharedFixture('alb/multi-fields.json'), 'alb-multi-value'],
    ['HTTP API payload 1.0 (version "1.0")', { version: '1.0', path: '/', httpMethod: 'GET', requestContext: {} }, 'apigw-v1'],
    ['payload 2.0 without method', fixture('malformed-apigw-v2-no-method.json'), 'apigw-v2'],
    ['payload 1.0 without path', fixture('malformed-apigw-v1-no-path.json'), 'apigw-v1'],
    ['ALB without method', fixture('malformed-alb-no-method.json'), 'alb'],
  ];
  for (const [name, event, shape] of cases) {
    it(`recognises ${name} as ${shape}`, () => {
      expect(detectHttpShape(event)?.id).toBe(shape);
    });
  }

  it('recognises nothing in non-HTTP events and non-objects', () => {
    for (const event of [sharedFixture('sqs/base.json'), sharedFixture('s3/base.json'), sharedFixture('eventbridge/base.json'), {}, null, 'x', 1, []]) {
      expect(detectHttpShape(event)).toBeUndefined();
    }
  });
});

describe('describeEvent', () => {
  it('names the kind of value, and the first keys of an object', () => {
    expect(describeEvent('x')).toBe('a string');
    expect(describeEvent(undefined)).toBe('a undefined');
    expect(describeEvent({})).toBe('an empty object');
    expect(describeEvent({ a: 1, b: 2, c: 3, d: 4, e: 5, f: 6, g: 7 })).toBe('an object with keys a, b, c, d, e, f, ...');
  });
});
