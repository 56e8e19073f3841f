/**
 * Application Load Balancer, in both target group modes. The event tells the mode: with
 * `lambda.multi_value_headers.enabled` the event carries `multiValueHeaders`/`multiValueQueryStringParameters`
 * and the response MUST use `multiValueHeaders` too (ALB ignores the other form); without it the event
 * carries `headers`/`queryStringParameters` holding only the LAST value of a repeated header or query key,
 * and the response can carry only single-value `headers`.
 * Facts: `path` and query keys/values stay percent-encoded as sent (ALB decodes neither); header names are
 * lower-case; responses need `statusDescription` ("200 OK").
 */
import type { ALBEvent, ALBResult } from 'aws-lambda';
import type { ResponseParts } from '../../../core/http.js';
import type { HttpEventReader } from '../types.js';
import {
  checkBody,
  findHeader,
  findMultiHeader,
  headerPairs,
  joinRawQuery,
  newRequest,
  pickHost,
  readMethod,
  readMultiMap,
  readPath,
  readStringMap,
  requestBody,
  responseBody,
  type HttpShape,
  type RequestHead,
  type ShapeReader,
  type Warn,
} from './common.js';
import { statusDescription } from './status.js';

function parse(label: string, event: ALBEvent): RequestHead {
  const method = readMethod(event.httpMethod, label, 'httpMethod');
  const path = readPath(event.path, label, 'path');
  const decoded = checkBody(event.body, event.isBase64Encoded, label);
  return { method, path, decoded };
}

const singleLabel = 'ALB (single-value headers)';

export const albSingle: HttpShape<ALBEvent, ALBResult> = {
  id: 'alb',
  label: singleLabel,
  parse: (event) => parse(singleLabel, event),

  request(event, head): Request {
    const headers = readStringMap(event.headers, singleLabel, 'headers') ?? {};
    return newRequest(
      head.method,
      pickHost(findHeader(headers, 'host'), undefined),
      head.path,
      joinRawQuery(undefined, readStringMap(event.queryStringParameters, singleLabel, 'queryStringParameters')),
      headers as Record<string, string>,
      requestBody(head.method, event.body, event.isBase64Encoded, head.decoded),
    );
  },

  result(parts: ResponseParts, warn: Warn): ALBResult {
    const { body, isBase64Encoded } = responseBody(parts);
    let headers = parts.headers;
    const cookies = parts.cookies;
    if (cookies.length > 0) {
      // Single-value mode has room for ONE Set-Cookie: send the first, and say loudly that the rest were
      // dropped. The only fix is on the target group: enable multi-value headers.
      headers = { ...headers, 'set-cookie': cookies[0]! };
      if (cookies.length > 1) {
        warn(
          `faasport: the response sets ${cookies.length} cookies, but this ALB target group sends single-value headers, ` +
            'so only the first Set-Cookie reaches the client. Fix: enable multi-value headers on the target group ' +
            '(attribute lambda.multi_value_headers.enabled=true).',
          { dropped: cookies.length - 1 },
        );
      }
    }
    return { statusCode: parts.status, statusDescription: statusDescription(parts.status), headers, body, isBase64Encoded };
  },
};

const multiLabel = 'ALB (multi-value headers)';

export const albMultiValue: HttpShape<ALBEvent, ALBResult> = {
  id: 'alb-multi-value',
  label: multiLabel,
  parse: (event) => parse(multiLabel, event),

  request(event, head): Request {
    const multi = readMultiMap(event.multiValueHeaders, multiLabel, 'multiValueHeaders') ?? {};
    const single = readStringMap(event.headers, multiLabel, 'headers');
    return newRequest(
      head.method,
      pickHost(findMultiHeader(multi, 'host') ?? findHeader(single, 'host'), undefined),
      head.path,
      joinRawQuery(
        readMultiMap(event.multiValueQueryStringParameters, multiLabel, 'multiValueQueryStringParameters') ?? {},
        readStringMap(event.queryStringParameters, multiLabel, 'queryStringParameters'),
      ),
      // Every value of a repeated header, and the keys found only in `headers`.
      headerPairs(multi, single),
      requestBody(head.method, event.body, event.isBase64Encoded, head.decoded),
    );
  },

  result(parts: ResponseParts): ALBResult {
    const { body, isBase64Encoded } = responseBody(parts);
    const multiValueHeaders: Record<string, string[]> = {};
    for (const name in parts.headers) multiValueHeaders[name] = [parts.headers[name]!];
    if (parts.cookies.length > 0) multiValueHeaders['set-cookie'] = parts.cookies;
    return { statusCode: parts.status, statusDescription: statusDescription(parts.status), multiValueHeaders, body, isBase64Encoded };
  },
};

/** Reads ALB events, in both target group modes (the event tells which): pass it to adaptHttpFor(). */
export const albEvents: HttpEventReader = {
  id: 'alb',
  expected: 'an ALB event (requestContext.elb, httpMethod, path)',
  shapeOf: (event) => (event.multiValueHeaders || event.multiValueQueryStringParameters ? albMultiValue : albSingle),
} satisfies ShapeReader;
