/**
 * Sandbox fixtures: what happens to work a handler leaves running after its response, and where a function
 * may write. Each answers with a verdict it computed itself, so the answer is the same on every run.
 */
import { randomUUID } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { http } from 'faasport';

const TICK_MS = 10;
/** Margin around the two edges of the idle time (answering, then being handed the next request). */
const EDGE_MS = 150;

let ticks: number[] = [];
let respondedAt: number | undefined;
let timer: ReturnType<typeof setInterval> | undefined;

/**
 * POST starts fire-and-forget work (a 10 ms interval, for 4 s at most) and answers at once. GET then waits
 * `?waitMs=` and says whether the work ticked while no request was running, and whether it ticked during this one.
 */
export const background = http({ route: '/sandbox/background', methods: ['GET', 'POST'] }, async (req) => {
  if (req.method === 'POST') {
    clearInterval(timer);
    ticks = [];
    timer = setInterval(() => {
      ticks.push(Date.now());
      if (ticks.length >= 400) clearInterval(timer);
    }, TICK_MS);
    respondedAt = Date.now();
    return Response.json({ started: true });
  }
  if (respondedAt === undefined) return Response.json({ error: 'this instance started no work: the POST went to another one' }, { status: 409 });
  const startedAt = Date.now();
  await new Promise((resolve) => setTimeout(resolve, Number(new URL(req.url).searchParams.get('waitMs') ?? '300')));
  const since = respondedAt;
  clearInterval(timer);
  respondedAt = undefined;
  return Response.json({
    progressedWhileIdle: ticks.some((t) => t > since + EDGE_MS && t < startedAt - EDGE_MS),
    ranDuringRequest: ticks.filter((t) => t >= startedAt - EDGE_MS).length >= 3,
  });
});

function tryWrite(file: string): { outcome: 'written' | 'refused'; code: string | null } {
  try {
    writeFileSync(file, 'faasport sandbox probe');
    rmSync(file, { force: true });
    return { outcome: 'written', code: null };
  } catch (error) {
    return { outcome: 'refused', code: (error as NodeJS.ErrnoException).code ?? null };
  }
}

/** Tries to write a file beside its own deployed code, and one in the temp directory. */
export const writeProbe = http({ route: '/sandbox/write', methods: ['POST'] }, () => {
  const codeDir = dirname(fileURLToPath(import.meta.url));
  const code = tryWrite(join(codeDir, `faasport-sandbox-${randomUUID()}.txt`));
  const tmp = tryWrite(join(tmpdir(), `faasport-sandbox-${randomUUID()}.txt`));
  return Response.json({ codeFolder: code.outcome, tmp: tmp.outcome }, { headers: { 'x-code-folder-error': code.code ?? 'none' } });
});
