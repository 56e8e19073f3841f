/**
 * API Gateway HTTP API, payload format 2.0 — also the shape of Lambda Function URL events.
 * Facts (from live captures): header names arrive lower-case and repeated headers comma-joined ("a,b");
 * request cookies arrive in `cookies[]`, not in headers (Function URLs send both); `rawQueryString` is the
 * query exactly as sent; `rawPath` is percent-encoded on Function URLs but DECODED on HTTP APIs
 * (`%20` -> " ", `%C3%A9` -> "é", `%2F` -> "/" so the segment split is lost, `%3F` cuts the path, `%25` is
 * refused by the gateway). toWirePath re-escapes what it can; a `%2F` inside a segment cannot be recovered.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { ResponseParts } from '../../../core/http.js';
import type { HttpEventReader } from '../types.js';
import {
  checkBody,
  checkCookies,
  newRequest,
  pickHost,
  readMethod,
  readPath,
  readStringMap,
  requestBody,
  responseBody,
  type HttpShape,
  type RequestHead,
  type ShapeReader,
} from './common.js';
import { APIGW_V2_NAME as label } from './source.js';

export const apigwV2: HttpShape<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2> = {
  id: 'apigw-v2',
  label,

  parse(event): RequestHead {
    const http = event.requestContext?.http;
    const method = readMethod(http?.method, label, 'requestContext.http.method');
    // Stryker disable next-line OptionalChaining: readMethod above has already refused an event without requestContext.http
    const path = event.rawPath === undefined ? readPath(http?.path, label, 'rawPath') : readPath(event.rawPath, label, 'rawPath');
    const decoded = checkBody(event.body, event.isBase64Encoded, label);
    return { method, path, decoded };
  },

  request(event, head): Request {
    const source = readStringMap(event.headers, label, 'headers') ?? {};
    return newRequest(
      head.method,
      pickHost(source.host, event.requestContext?.domainName),
      head.path,
      typeof event.rawQueryString === 'string' ? event.rawQueryString : '',
      source as Record<string, string>,
      requestBody(head.method, event.body, event.isBase64Encoded, head.decoded),
      checkCookies(event.cookies, label),
    );
  },

  result(parts: ResponseParts): APIGatewayProxyStructuredResultV2 {
    const { body, isBase64Encoded } = responseBody(parts);
    // Each Set-Cookie travels in `cookies`; API Gateway writes one header line per entry.
    if (parts.cookies.length === 0) return { statusCode: parts.status, headers: parts.headers, body, isBase64Encoded };
    return { statusCode: parts.status, headers: parts.headers, cookies: parts.cookies, body, isBase64Encoded };
  },
};

/** Reads API Gateway HTTP API and Function URL events (payload 2.0): pass it to adaptHttpFor(). */
export const apiGatewayV2Events: HttpEventReader = {
  id: 'apigw-v2',
  expected: 'an API Gateway HTTP API / Function URL (payload 2.0) event (version "2.0", requestContext.http)',
  shapeOf: () => apigwV2,
} satisfies ShapeReader;
