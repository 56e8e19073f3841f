/**
 * What a provider answered during one case, kept so the runner can compare providers with each other (pure).
 *
 * Each exchange becomes flat `key -> value` entries (`GET /items/9 → status` -> `200`), so a comparison can say
 * exactly which part differs, and a documented difference can name the parts it covers. Values that differ
 * between providers by nature, not by behaviour, are normalised here, each for a stated reason; nothing else is.
 */
import { createHash } from 'node:crypto';
import type { Provider } from '../core/types.js';
import type { DeliveryReport } from './invoker.js';
import type { ProbeRecord } from './probe.js';

/**
 * Response headers left out of the comparison, and why. Anything not listed here is compared value for value.
 * Body bytes are always compared (by hash), so dropping the framing headers hides no content.
 */
export const VARYING_RESPONSE_HEADERS: Readonly<Record<string, string>> = {
  date: 'the time of the answer',
  connection: 'hop-by-hop, about this connection only (RFC 9110 §7.6.1)',
  'keep-alive': 'hop-by-hop, about this connection only (RFC 9110 §7.6.1)',
  'transfer-encoding': 'message framing (RFC 9112 §6); the body itself is compared by hash',
  'content-length': 'message framing (RFC 9110 §8.6); the body itself is compared by hash, HEAD by the wire cases',
  server: "each front door names its own software",
  'apigw-requestid': "API Gateway HTTP API's request id, new on every request",
  'x-amzn-requestid': "Lambda's request id, new on every request",
  'x-amz-apigw-id': "API Gateway's request id, new on every request",
  'x-amzn-trace-id': 'X-Ray trace id, new on every request',
  'function-execution-id': "Cloud Functions' execution id, new on every request",
  'x-cloud-trace-context': 'Cloud Trace context, new on every request',
  'x-request-id': 'a request id, new on every request',
  traceparent: 'W3C trace context, new on every request',
  'x-ms-invocation-id': "the Functions invocation id @azure/functions' stream-mode server answers with, new on every request",
};

/**
 * Fields of the probe records (what a fixture handler saw) that each platform assigns itself, and why.
 * Keyed by fixture function; a listed field is compared by type only.
 */
export const PLATFORM_ASSIGNED_FIELDS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  onOrder: { id: 'the queue assigns message ids', publishedAt: 'the time the queue accepted the message' },
  onSignup: { id: 'the topic assigns message ids', publishedAt: 'the time the topic accepted the message' },
  onceMore: { id: 'the queue assigns message ids (cases/at-least-once.ts checks that a duplicate repeats its own)' },
  sseStream: { firstEmittedAt: 'the time the handler emitted its first event', lastEmittedAt: 'the time the handler emitted its last event' },
  onUpload: { time: 'the time the store wrote or deleted the object' },
  deadlineReport: { untilDeadline: 'milliseconds on the clock, checked by range in cases/deadlines.ts', remainingMs: 'milliseconds on the clock, checked by range' },
  deadlineSignal: { budget: 'milliseconds; Azure has one functionTimeout per app, AWS and GCP one per function (checked in cases/deadlines.ts)' },
};

/** A provider's own name inside a body or record: every provider must say its own name, so it is read as one token. */
export const PROVIDER_TOKEN = '<provider>';

export type Observations = ReadonlyMap<string, string>;

export const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');
/** How bytes appear in observations and failure messages: length and hash, never the bytes themselves. */
export const describeBytes = (bytes: Uint8Array): string => `${bytes.byteLength} bytes, sha256 ${sha256(bytes)}`;

/**
 * Set-Cookie compared by meaning: RFC 6265 §5.2 reads attribute names case-insensitively and gives their order
 * no meaning, and the Azure host re-writes every cookie from the library's cookie object (see
 * adapters/azure/cookies.ts). The name=value pair is kept exactly.
 */
export function normaliseSetCookie(header: string): string {
  const [pair = '', ...attributes] = header.split(';');
  const attrs = attributes
    .map((a) => a.trim())
    .filter((a) => a !== '')
    .map((a) => {
      const eq = a.indexOf('=');
      if (eq < 0) return a.toLowerCase();
      const name = a.slice(0, eq).trim().toLowerCase();
      const value = a.slice(eq + 1).trim();
      // SameSite's values are case-insensitive too (RFC 6265bis §5.6.7).
      return `${name}=${name === 'samesite' ? value.toLowerCase() : value}`;
    })
    .sort();
  return [pair.trim(), ...attrs].join('; ');
}

const textual = (contentType: string | undefined) => /json|^text\//i.test(contentType ?? '');

/** Text bodies up to this size are kept as text, so a difference shows what differs; larger ones as length and hash. */
const TEXT_BODY_LIMIT = 2048;

/**
 * The body as compared: small text bodies as their text, any other as length and hash; in text bodies the
 * provider's own JSON-quoted name is read as PROVIDER_TOKEN.
 */
export function bodyValue(bytes: Uint8Array, contentType: string | undefined, provider: Provider): string {
  if (bytes.byteLength === 0) return 'empty';
  if (!textual(contentType)) return describeBytes(bytes);
  const text = Buffer.from(bytes).toString('utf8').replaceAll(JSON.stringify(provider), JSON.stringify(PROVIDER_TOKEN));
  return bytes.byteLength <= TEXT_BODY_LIMIT ? `text ${JSON.stringify(text)}` : describeBytes(Buffer.from(text));
}

/** One HTTP answer as observations under `label` (e.g. `GET /items/9`). */
export function httpObservations(
  label: string,
  answer: { status: number; headers: readonly (readonly [string, string])[]; body: Uint8Array },
  provider: Provider,
): [string, string][] {
  const out: [string, string][] = [[`${label} → status`, String(answer.status)]];
  const byName = new Map<string, string[]>();
  for (const [rawName, value] of answer.headers) {
    const name = rawName.toLowerCase();
    if (name in VARYING_RESPONSE_HEADERS) continue;
    byName.set(name, [...(byName.get(name) ?? []), name === 'set-cookie' ? normaliseSetCookie(value) : value]);
  }
  for (const [name, values] of [...byName].sort(([a], [b]) => (a < b ? -1 : 1))) {
    out.push([`${label} → header ${name}`, (name === 'set-cookie' ? [...values].sort() : values).join('\n')]);
  }
  const contentType = byName.get('content-type')?.[0];
  out.push([`${label} → body`, bodyValue(answer.body, contentType, provider)]);
  return out;
}

export function deliveryObservations(label: string, report: DeliveryReport): [string, string][] {
  return [[`${label} → outcomes`, JSON.stringify(report.outcomes)]];
}

const typeOf = (value: unknown) => (value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value);

/** The handler's view: every probe record of the case, platform-assigned fields read by type, sorted per function. */
export function probeObservations(records: readonly ProbeRecord[], provider: Provider): [string, string][] {
  const byFn = new Map<string, string[]>();
  for (const record of records) {
    const assigned = PLATFORM_ASSIGNED_FIELDS[record.fn] ?? {};
    const view: Record<string, unknown> = {};
    for (const [field, value] of Object.entries(record)) {
      if (field in assigned) view[field] = `<${typeOf(value)}>`;
      else view[field] = value === provider ? PROVIDER_TOKEN : value;
    }
    byFn.set(record.fn, [...(byFn.get(record.fn) ?? []), JSON.stringify(view)]);
  }
  const out: [string, string][] = [];
  for (const [fn, views] of [...byFn].sort(([a], [b]) => (a < b ? -1 : 1))) {
    views.sort();
    out.push([`handler ${fn} saw → count`, String(views.length)]);
    views.forEach((view, i) => {
      for (const [field, value] of Object.entries(JSON.parse(view) as Record<string, unknown>)) {
        if (field !== 'fn') out.push([`handler ${fn} saw → #${i + 1} ${field}`, JSON.stringify(value)]);
      }
    });
  }
  return out;
}

/** Status and headers as read, and the body as a stream that did not end. */
const unfinished = (entries: [string, string][], why: string): [string, string][] =>
  entries.map(([key, value]) => [key, key.endsWith('→ body') ? `unfinished: ${why}` : value]);

/**
 * How long, after a case ended, a copy of a response body may still be read. A case that stopped reading a
 * stream it never finishes (a client abort) leaves the copy open; it is then recorded as unfinished.
 */
const SETTLE_MS = 10_000;

/** Collects one case's observations in call order; a repeated label gets a counter so keys stay unique. */
export class ObservationLog {
  readonly #entries = new Map<string, string>();
  readonly #labels = new Map<string, number>();
  readonly #pending: { reader: ReadableStreamDefaultReader<Uint8Array> | undefined; done: Promise<void> }[] = [];
  #late = false;

  label(base: string): string {
    const n = (this.#labels.get(base) ?? 0) + 1;
    this.#labels.set(base, n);
    return n === 1 ? base : `${base} (${n})`;
  }

  add(entries: readonly [string, string][]): void {
    for (const [key, value] of entries) this.#entries.set(key, value);
  }

  /** Reads `body` to its end beside the case, then adds what `observe` makes of its bytes. */
  pending(body: ReadableStream<Uint8Array> | null, observe: (bytes: Uint8Array) => [string, string][]): void {
    const reader = body?.getReader();
    const done = (async () => {
      const chunks: Uint8Array[] = [];
      try {
        for (;;) {
          const next = await reader?.read();
          if (!next || next.done) break;
          chunks.push(next.value);
        }
        if (!this.#late) return this.add(observe(Buffer.concat(chunks)));
        this.add(unfinished(observe(new Uint8Array()), `still open ${SETTLE_MS / 1000} s after the case ended`));
      } catch (error) {
        this.add(unfinished(observe(new Uint8Array()), error instanceof Error ? error.message : String(error)));
      }
    })();
    this.#pending.push({ reader, done });
  }

  /** Waits for the body copies still being read (at most SETTLE_MS), then cancels the rest. */
  async settle(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), SETTLE_MS);
    });
    const all = Promise.all(this.#pending.map((p) => p.done));
    if ((await Promise.race([all, late])) === 'late') {
      this.#late = true;
      for (const p of this.#pending) await p.reader?.cancel().catch(() => {});
      await all;
    }
    clearTimeout(timer);
  }

  get entries(): Observations {
    return new Map(this.#entries);
  }
}
