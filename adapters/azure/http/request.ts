import type { HttpRequest } from '@azure/functions';
import { BadEventError } from '../../../core/errors.js';

/** The parts of an Azure HttpRequest that make the Fetch Request, checked. */
export interface NativeRequestParts {
  /** Upper-case. */
  method: string;
  url: URL;
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
  if (typeof url !== 'string' || !URL.canParse(url)) {
    throw new BadEventError(`faasport/azure: the HttpRequest url ${JSON.stringify(url)} is not an absolute URL`);
  }
  if (!(headers instanceof Headers)) {
    throw new BadEventError('faasport/azure: the HttpRequest has no headers');
  }
  return { method: method.toUpperCase(), url: new URL(url), headers };
}

/** GET and HEAD carry no body; for the rest the exact bytes, none when empty. */
export async function readNativeBody(request: HttpRequest, method: string): Promise<Uint8Array<ArrayBuffer> | undefined> {
  if (method === 'GET' || method === 'HEAD') return undefined;
  const bytes = new Uint8Array(await request.arrayBuffer());
  return bytes.byteLength === 0 ? undefined : bytes;
}

export function toFetchRequest(parts: NativeRequestParts, body: Uint8Array<ArrayBuffer> | undefined): Request {
  return new Request(parts.url, { method: parts.method, headers: parts.headers, body });
}
