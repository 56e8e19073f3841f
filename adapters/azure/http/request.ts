import type { HttpRequest } from '@azure/functions';
import { BadEventError, describeValue } from '../../../core/errors.js';
import { headersOver } from '../../../core/fetch/headers.js';
import { fastFetchEnabled } from '../../../core/fetch/install.js';
import { LightRequest, pathStart } from '../../../core/fetch/request.js';

/** The parts of an Azure HttpRequest that make the Fetch Request, checked. */
export interface NativeRequestParts {
  /** Upper-case. */
  method: string;
  /** Absolute, in WHATWG serialised form. */
  url: string;
  /** Percent-encoded, as on the wire, without query. */
  path: string;
  headers: Headers;
}

/** Reads method, URL and headers; a request the host would never send is the caller's fault (400). */
export function readNativeRequest(request: HttpRequest): NativeRequestParts {
  if (typeof request !== 'object' || request === null) {
    throw new BadEventError(`faasport/azure: expected an HttpRequest from @azure/functions, got ${request === null ? 'null' : typeof request}`);
  }
  const { method, url, headers } = request;
  if (typeof method !== 'string' || method === '') {
    throw new BadEventError('faasport/azure: the HttpRequest has no method');
  }
  if (typeof url !== 'string') throw notAbsolute(url);
  if (!(headers instanceof Headers)) {
    throw new BadEventError('faasport/azure: the HttpRequest has no headers');
  }
  // The library's url is undici's serialisation of the host's URL: the path can be cut out of it without a
  // parse. Anything else (a hand-made request) goes through the URL parser.
  const at = pathStart(url);
  // Stryker disable next-line ConditionalExpression,EqualityOperator,BlockStatement: a shortcut (at is never 0): the URL parser gives the same url and path for any url pathStart accepts
  if (at >= 0) {
    const query = url.indexOf('?', at);
    return { method: method.toUpperCase(), url, path: query === -1 ? url.slice(at) : url.slice(at, query), headers };
  }
  if (!URL.canParse(url)) throw notAbsolute(url);
  const parsed = new URL(url);
  return { method: method.toUpperCase(), url: parsed.href, path: parsed.pathname, headers };
}

// (A string is quoted; anything else described: JSON.stringify throws on a BigInt a hand-made request may hold.)
const notAbsolute = (url: unknown): BadEventError =>
  new BadEventError(`faasport/azure: the HttpRequest url ${typeof url === 'string' ? JSON.stringify(url) : `(${describeValue(url)})`} is not an absolute URL`);

/** GET and HEAD carry no body; for the rest the exact bytes, none when empty. */
export async function readNativeBody(request: HttpRequest, method: string): Promise<Uint8Array<ArrayBuffer> | undefined> {
  if (method === 'GET' || method === 'HEAD') return undefined;
  const bytes = new Uint8Array(await request.arrayBuffer());
  return bytes.byteLength === 0 ? undefined : bytes;
}

/**
 * The handler's Request: a LightRequest (core/fetch) reading the HttpRequest's own headers until the
 * handler changes them, or Node's Request when FAASPORT_NATIVE_FETCH=1. The body bytes are ours (read
 * from the HttpRequest), so the request may own them.
 */
export function toFetchRequest(parts: NativeRequestParts, body: Uint8Array<ArrayBuffer> | undefined): Request {
  if (fastFetchEnabled()) return new LightRequest(parts.method, parts.url, headersOver(parts.headers), body) as unknown as Request;
  return new Request(parts.url, { method: parts.method, headers: parts.headers, body });
}
