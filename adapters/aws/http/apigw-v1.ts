/**
 * API Gateway REST API, payload format 1.0 (also HTTP APIs configured for payload 1.0).
 * Facts (from live captures): `path` is the resource path without the stage on the execute-api domain
 * (`requestContext.path` carries the stage) and stays percent-encoded as sent on REST APIs (HTTP APIs decode
 * it, see apigw-v2.ts); header names keep the client's case; `multiValueHeaders` holds every value of a
 * repeated header while `headers` keeps only the last; `multiValueQueryStringParameters` are DECODED
 * (`a+b` -> "a b", `a%2Bb` -> "a+b"), so they are percent-encoded again here.
 * Responses: Set-Cookie goes in `multiValueHeaders`; a `cookies` field makes API Gateway answer 502.
 */
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import type { ResponseParts } from '../../../core/http.js';
import type { HttpEventReader } from '../types.js';
import {
  checkBody,
  encodeQuery,
  findHeader,
  findMultiHeader,
  headerPairs,
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
} from './common.js';
import { APIGW_V1_NAME as label } from './source.js';

export const apigwV1: HttpShape<APIGatewayProxyEvent, APIGatewayProxyResult> = {
  id: 'apigw-v1',
  label,

  parse(event): RequestHead {
    const method = readMethod(event.httpMethod ?? event.requestContext?.httpMethod, label, 'httpMethod');
    const path = readPath(event.path, label, 'path');
    const decoded = checkBody(event.body, event.isBase64Encoded, label);
    return { method, path, decoded };
  },

  request(event, head): Request {
    const single = readStringMap(event.headers, label, 'headers');
    const multi = readMultiMap(event.multiValueHeaders, label, 'multiValueHeaders');
    // Every value of a repeated header (Headers joins them: ", ", or "; " for cookie), and the keys only in `headers`.
    const headers: HeadersInit = multi ? headerPairs(multi, single) : ((single ?? {}) as Record<string, string>);
    return newRequest(
      head.method,
      pickHost(findMultiHeader(multi, 'host') ?? findHeader(single, 'host'), event.requestContext?.domainName),
      head.path,
      encodeQuery(
        readMultiMap(event.multiValueQueryStringParameters, label, 'multiValueQueryStringParameters'),
        readStringMap(event.queryStringParameters, label, 'queryStringParameters'),
      ),
      headers,
      requestBody(head.method, event.body, event.isBase64Encoded, head.decoded),
    );
  },

  result(parts: ResponseParts): APIGatewayProxyResult {
    const { body, isBase64Encoded } = responseBody(parts);
    if (parts.cookies.length === 0) return { statusCode: parts.status, headers: parts.headers, body, isBase64Encoded };
    return {
      statusCode: parts.status,
      headers: parts.headers,
      multiValueHeaders: { 'set-cookie': parts.cookies },
      body,
      isBase64Encoded,
    };
  },
};

/** Reads API Gateway REST API events (payload 1.0, also HTTP APIs set to 1.0): pass it to adaptHttpFor(). */
export const apiGatewayV1Events: HttpEventReader = {
  id: 'apigw-v1',
  expected: 'an API Gateway REST API (payload 1.0) event (httpMethod, path, requestContext.stage)',
  shapeOf: () => apigwV1,
} satisfies ShapeReader;
