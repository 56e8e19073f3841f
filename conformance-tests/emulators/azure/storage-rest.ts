/**
 * A small client for the Azure Storage REST API (Queue and Blob services) over fetch with Shared Key auth,
 * as the Functions host's storage extensions use them. Only the calls the emulated host makes. No Azure SDK:
 * none is installed, and the REST calls are few.
 */
import type { AzuriteEndpoints } from './azurite.js';
import { sharedKeyAuthorization } from './shared-key.js';
import { childText, elements, escapeXml, unescapeXml } from './xml.js';

const API_VERSION = '2021-12-02';

export class StorageRequestError extends Error {
  override name = 'StorageRequestError';
  constructor(
    message: string,
    readonly status: number,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

/** One message as Get Messages returns it (times as the service writes them, RFC 1123). */
export interface ReceivedQueueMessage {
  readonly id: string;
  readonly popReceipt: string;
  readonly insertionTime: Date;
  readonly expirationTime: Date;
  readonly nextVisibleTime: Date;
  readonly dequeueCount: number;
  /** MessageText as stored (base64 when the writer encoded it). */
  readonly text: string;
}

export interface BlobProperties {
  readonly contentLength: number;
  readonly contentType: string | undefined;
  readonly etag: string | undefined;
  readonly lastModified: Date | undefined;
  readonly createdOn: Date | undefined;
}

/** `a b/ü+.txt` -> `a%20b/%C3%BC%2B.txt`: each segment encoded, `/` kept as the separator. */
export const encodeBlobPath = (key: string): string => key.split('/').map(encodeURIComponent).join('/');

const dateOf = (text: string | undefined): Date | undefined => {
  if (text === undefined) return undefined;
  const time = Date.parse(text);
  return Number.isNaN(time) ? undefined : new Date(time);
};

export class StorageRest {
  constructor(private readonly endpoints: AzuriteEndpoints) {}

  async #send(
    service: 'blob' | 'queue',
    method: string,
    pathAndQuery: string,
    init: { headers?: Record<string, string>; body?: Uint8Array; ok?: readonly number[] } = {},
  ): Promise<Response> {
    const url = new URL(`${service === 'blob' ? this.endpoints.blob : this.endpoints.queue}${pathAndQuery}`);
    const headers: Record<string, string> = { 'x-ms-date': new Date().toUTCString(), 'x-ms-version': API_VERSION, ...init.headers };
    // fetch computes Content-Length itself; the signature must name the same value.
    const signed = { ...headers, ...(init.body ? { 'content-length': String(init.body.byteLength) } : {}) };
    headers.authorization = sharedKeyAuthorization(this.endpoints.account, this.endpoints.key, { method, url, headers: signed });
    const res = await fetch(url, { method, headers, ...(init.body ? { body: init.body as Uint8Array<ArrayBuffer> } : {}) });
    if (!(init.ok ?? [200, 201, 202, 204]).includes(res.status)) {
      const text = await res.text();
      const code = childText(text, 'Code') ?? res.headers.get('x-ms-error-code') ?? undefined;
      throw new StorageRequestError(`${method} ${url.pathname}: ${res.status} ${code ?? ''} ${childText(text, 'Message') ?? ''}`.trim(), res.status, code);
    }
    return res;
  }

  // ---- queues ----

  async createQueue(queue: string): Promise<void> {
    // 201 created, 204 already there with the same metadata.
    await this.#send('queue', 'PUT', `/${queue}`, { ok: [201, 204] });
  }

  async putMessage(queue: string, text: string): Promise<{ id: string; popReceipt: string }> {
    const body = new TextEncoder().encode(`<QueueMessage><MessageText>${escapeXml(text)}</MessageText></QueueMessage>`);
    const res = await this.#send('queue', 'POST', `/${queue}/messages`, { body, headers: { 'content-type': 'application/xml' } });
    const xml = await res.text();
    const id = childText(xml, 'MessageId');
    const popReceipt = childText(xml, 'PopReceipt');
    if (!id || !popReceipt) throw new Error(`Put Message on ${queue} answered no MessageId: ${xml.slice(0, 300)}`);
    return { id, popReceipt };
  }

  /** Get Messages: up to 32, each invisible for `visibilitySeconds` (at least 1) and its DequeueCount raised. */
  async getMessages(queue: string, count: number, visibilitySeconds: number): Promise<ReceivedQueueMessage[]> {
    const res = await this.#send('queue', 'GET', `/${queue}/messages?numofmessages=${count}&visibilitytimeout=${visibilitySeconds}`);
    return elements(await res.text(), 'QueueMessage').map((xml) => ({
      id: childText(xml, 'MessageId') ?? '',
      popReceipt: childText(xml, 'PopReceipt') ?? '',
      insertionTime: dateOf(childText(xml, 'InsertionTime')) ?? new Date(),
      expirationTime: dateOf(childText(xml, 'ExpirationTime')) ?? new Date(),
      nextVisibleTime: dateOf(childText(xml, 'TimeNextVisible')) ?? new Date(),
      dequeueCount: Number(childText(xml, 'DequeueCount') ?? '0'),
      text: childText(xml, 'MessageText') ?? '',
    }));
  }

  /** Peek Messages: the texts of up to 32 visible messages, without dequeuing them. */
  async peekMessages(queue: string, count = 32): Promise<string[]> {
    const res = await this.#send('queue', 'GET', `/${queue}/messages?peekonly=true&numofmessages=${count}`);
    return elements(await res.text(), 'MessageText').map(unescapeXml);
  }

  async deleteMessage(queue: string, id: string, popReceipt: string): Promise<void> {
    await this.#send('queue', 'DELETE', `/${queue}/messages/${id}?popreceipt=${encodeURIComponent(popReceipt)}`);
  }

  /** Update Message (visibility only): the message comes back after `visibilitySeconds`; a new pop receipt. */
  async releaseMessage(queue: string, id: string, popReceipt: string, visibilitySeconds: number): Promise<void> {
    await this.#send('queue', 'PUT', `/${queue}/messages/${id}?popreceipt=${encodeURIComponent(popReceipt)}&visibilitytimeout=${visibilitySeconds}`);
  }

  // ---- blobs ----

  async createContainer(container: string): Promise<void> {
    await this.#send('blob', 'PUT', `/${container}?restype=container`, { ok: [201, 409] });
  }

  async putBlob(container: string, key: string, body: Uint8Array, contentType: string | undefined): Promise<void> {
    await this.#send('blob', 'PUT', `/${container}/${encodeBlobPath(key)}`, {
      body,
      headers: { 'x-ms-blob-type': 'BlockBlob', ...(contentType ? { 'content-type': contentType } : {}) },
    });
  }

  async getBlob(container: string, key: string): Promise<{ body: Uint8Array; properties: BlobProperties }> {
    const res = await this.#send('blob', 'GET', `/${container}/${encodeBlobPath(key)}`);
    const body = new Uint8Array(await res.arrayBuffer());
    return { body, properties: propertiesOf(res.headers, body.byteLength) };
  }

  /** Whether the blob exists (Get Blob Properties). */
  async blobExists(container: string, key: string): Promise<boolean> {
    const res = await this.#send('blob', 'HEAD', `/${container}/${encodeBlobPath(key)}`, { ok: [200, 404] });
    return res.status === 200;
  }

  async deleteBlob(container: string, key: string): Promise<void> {
    await this.#send('blob', 'DELETE', `/${container}/${encodeBlobPath(key)}`, { ok: [202, 404] });
  }
}

function propertiesOf(headers: Headers, length: number): BlobProperties {
  return {
    contentLength: Number(headers.get('content-length') ?? length),
    contentType: headers.get('content-type') ?? undefined,
    etag: headers.get('etag') ?? undefined,
    lastModified: dateOf(headers.get('last-modified') ?? undefined),
    createdOn: dateOf(headers.get('x-ms-creation-time') ?? undefined),
  };
}
