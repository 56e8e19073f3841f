/**
 * What the front door (Google's front end / a load balancer) changes on the way through (pure):
 * hop-by-hop headers go, forwarding and trace headers come; everything else passes as sent, in
 * order, repeated lines and all. Framing headers (Content-Length, Transfer-Encoding) are kept so
 * node:http frames the streamed body the same way on the next hop.
 */
import { randomBytes } from 'node:crypto';

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'te', 'trailer', 'upgrade', 'expect']);

/** Hop-by-hop names: the fixed set plus any the Connection header lists. */
function hopByHop(rawHeaders: readonly string[]): Set<string> {
  const names = new Set(HOP_BY_HOP);
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    if (rawHeaders[i]!.toLowerCase() !== 'connection') continue;
    for (const token of rawHeaders[i + 1]!.split(',')) {
      const name = token.trim().toLowerCase();
      if (name && name !== 'transfer-encoding' && name !== 'content-length') names.add(name);
    }
  }
  return names;
}

/** Raw header list (name, value, name, value, ...) without the hop-by-hop ones. */
export function endToEndHeaders(rawHeaders: readonly string[]): string[] {
  const drop = hopByHop(rawHeaders);
  const out: string[] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    if (!drop.has(rawHeaders[i]!.toLowerCase())) out.push(rawHeaders[i]!, rawHeaders[i + 1]!);
  }
  return out;
}

const has = (raw: readonly string[], name: string) => {
  for (let i = 0; i < raw.length; i += 2) if (raw[i]!.toLowerCase() === name) return true;
  return false;
};

export interface ForwardInfo {
  /** The client's address, appended to X-Forwarded-For. */
  readonly clientAddress: string | undefined;
  /** Trace and span ids for a request that carries none; random by default. */
  readonly trace?: { readonly traceId: string; readonly spanId: bigint };
}

/**
 * Request headers for the function: as sent, minus hop-by-hop, plus what Google's front end adds on
 * every request (X-Forwarded-For/-Proto, and X-Cloud-Trace-Context + traceparent when absent).
 */
export function forwardedRequestHeaders(rawHeaders: readonly string[], info: ForwardInfo): string[] {
  const out = endToEndHeaders(rawHeaders);
  let forwardedFor = info.clientAddress;
  for (let i = 0; i < out.length; i += 2) {
    if (out[i]!.toLowerCase() === 'x-forwarded-for') {
      forwardedFor = info.clientAddress ? `${out[i + 1]}, ${info.clientAddress}` : out[i + 1];
      out.splice(i, 2);
      i -= 2;
    }
  }
  if (forwardedFor) out.push('X-Forwarded-For', forwardedFor);
  if (!has(out, 'x-forwarded-proto')) out.push('X-Forwarded-Proto', 'http');
  if (!has(out, 'x-cloud-trace-context') && !has(out, 'traceparent')) {
    const trace = info.trace ?? randomTrace();
    out.push('X-Cloud-Trace-Context', `${trace.traceId}/${trace.spanId};o=1`);
    out.push('traceparent', `00-${trace.traceId}-${trace.spanId.toString(16).padStart(16, '0')}-01`);
  }
  return out;
}

function randomTrace(): { traceId: string; spanId: bigint } {
  const span = randomBytes(8);
  span[0]! &= 0x7f; // Cloud Trace span ids are unsigned 64-bit decimals; keep it readable and non-zero
  span[7]! |= 1;
  return { traceId: randomBytes(16).toString('hex'), spanId: span.readBigUInt64BE() };
}
