/**
 * One HTTP/1.1 exchange read byte for byte off a socket. `fetch` (and node:http's parser) drop whatever a
 * server writes after the headers of a HEAD or 204 answer, so "no body" can only be checked here: every byte
 * after the blank line that ends the headers, until the server closes the connection, is reported as `body`.
 */
import { connect } from 'node:net';

export interface WireResponse {
  readonly status: number;
  /** In the order received, names lower-cased. */
  readonly headers: readonly (readonly [string, string])[];
  /** The bytes after the header block, unparsed: chunk framing, if any, included. */
  readonly body: Uint8Array;
}

export interface WireRequest {
  readonly method?: string;
  readonly headers?: Record<string, string>;
  readonly body?: string | Uint8Array;
  /** Gives up when the server neither answers nor closes by then (default 30 s). */
  readonly timeoutMs?: number;
}

const HEADER_END = Buffer.from('\r\n\r\n');

/** Sends one request with `Connection: close` and resolves with the raw answer once the server closes. */
export function wireRequest(base: string, path: string, init: WireRequest = {}): Promise<WireResponse> {
  const url = new URL(path, base);
  const body = init.body === undefined ? undefined : Buffer.from(init.body);
  const lines = [`${init.method ?? 'GET'} ${url.pathname}${url.search} HTTP/1.1`, `Host: ${url.host}`, 'Connection: close'];
  for (const [name, value] of Object.entries(init.headers ?? {})) lines.push(`${name}: ${value}`);
  if (body) lines.push(`Content-Length: ${body.byteLength}`);
  const head = Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = connect({ host: url.hostname, port: Number(url.port) }, () => {
      socket.write(body ? Buffer.concat([head, body]) : head);
    });
    socket.setTimeout(init.timeoutMs ?? 30_000, () => socket.destroy(new Error(`wire: ${url.href} neither answered nor closed in time`)));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      try {
        resolve(parseWireResponse(Buffer.concat(chunks)));
      } catch (error) {
        reject(error);
      }
    });
  });
}

/** Splits raw response bytes into status line, headers and whatever follows them (pure). */
export function parseWireResponse(raw: Buffer): WireResponse {
  const end = raw.indexOf(HEADER_END);
  if (end < 0) throw new Error(`wire: the answer has no complete header block (${raw.byteLength} bytes)`);
  const [statusLine, ...headerLines] = raw.subarray(0, end).toString('latin1').split('\r\n');
  const match = /^HTTP\/1\.[01] (\d{3})/.exec(statusLine ?? '');
  if (!match) throw new Error(`wire: not an HTTP/1.x status line: ${JSON.stringify(statusLine)}`);
  const headers = headerLines.map((line): readonly [string, string] => {
    const colon = line.indexOf(':');
    return [line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()];
  });
  return { status: Number(match[1]), headers, body: new Uint8Array(raw.subarray(end + HEADER_END.byteLength)) };
}
