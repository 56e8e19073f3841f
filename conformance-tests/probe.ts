import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What a fixture function reported about one invocation. */
export type ProbeRecord = { fn: string } & Record<string, unknown>;

/**
 * An HTTP endpoint the runner owns; fixture functions POST what they saw to it (`FAASPORT_PROBE_URL`),
 * so one assertion checks the handler's view on every provider.
 */
export interface Probe {
  readonly url: string;
  records(fn?: string): ProbeRecord[];
  /** Resolves with the records of `fn` once `predicate` holds, or rejects after `timeoutMs`. */
  waitFor(fn: string, predicate: (records: ProbeRecord[]) => boolean, timeoutMs?: number): Promise<ProbeRecord[]>;
  clear(): void;
  stop(): Promise<void>;
}

export async function startProbe(): Promise<Probe> {
  let records: ProbeRecord[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      try {
        const record = JSON.parse(Buffer.concat(chunks).toString('utf8')) as ProbeRecord;
        if (typeof record.fn !== 'string') throw new Error('a probe record needs "fn"');
        records.push(record);
        res.writeHead(204).end();
      } catch (error) {
        res.writeHead(400, { 'content-type': 'text/plain' }).end(String(error));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const of = (fn?: string) => (fn === undefined ? [...records] : records.filter((r) => r.fn === fn));
  return {
    url: `http://127.0.0.1:${port}/probe`,
    records: of,
    async waitFor(fn, predicate, timeoutMs = 10_000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const mine = of(fn);
        if (predicate(mine)) return mine;
        if (Date.now() > until) throw new Error(`probe: timed out waiting for ${fn}; saw ${JSON.stringify(mine).slice(0, 500)}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    clear() {
      records = [];
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
