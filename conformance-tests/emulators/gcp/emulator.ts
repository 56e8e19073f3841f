/**
 * The GCP emulator: the real functions-framework CLI, one process per function, behind a front door
 * that routes by faasport.json the way a load balancer / API gateway in front of the functions would.
 * Event functions get their events pushed by `deliver()` (events.ts) the way Pub/Sub and Eventarc do.
 */
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { SIGNATURE_TYPES } from '../../../adapters/gcp/types.js';
import type { DeliveryReport, Stimulus } from '../../invoker.js';
import type { AtLeastOnceOptions } from '../index.js';
import { isRecord } from '../manifest.js';
import { FunctionProcess, type OutputListener } from './child.js';
import { EventDelivery, type DeadLetter } from './events.js';
import { FRAMEWORK_PACKAGE, locateFramework } from './framework.js';
import { isHttpFunction, parseManifest, type HttpManifestFunction } from './manifest.js';
import { preloadUrl } from './preload.js';
import { declaredTooLarge, proxy, requestTooLargePage, sendText } from './proxy.js';
import { checkIdentityToken, refusalPage } from './identity-token.js';
import { createRouter } from './routing.js';

export interface GcpEmulatorOptions {
  /** A `faasport build` GCP output: faasport.json, package.json (main index.mjs), index.mjs. */
  dir: string;
  /** Front door port on 127.0.0.1 (default: a free one). */
  port?: number;
  /**
   * Extra environment for every function process, on top of each function's deployed `settings.environment`
   * (`--set-env-vars`). Secrets (`--set-secrets`) are not fetched from Secret Manager: give them here.
   */
  env?: Record<string, string>;
  /** Each line a function process writes (its structured logs included); default: kept for errors only. */
  onOutput?: OutputListener;
  /**
   * Overrides every subscription's ack deadline (a push unanswered this long is delivered again). Default: as
   * deployed, a queue function's `--ack-deadline` from deploy.json, 10 s for Eventarc's subscriptions.
   */
  ackDeadlineMs?: number;
  /**
   * Overrides every function's timeout (a request unanswered this long gets Cloud Run's 504). Default: each
   * function's deployed `settings.timeout` from faasport.json (60 s, gen2's default, when it has none).
   */
  requestTimeoutMs?: number;
  /** Deliver handled messages once more, as Pub/Sub may (see README "At-least-once"); off by default. */
  atLeastOnce?: AtLeastOnceOptions;
}

export interface GcpEmulator {
  /** The front door, e.g. http://127.0.0.1:41234 */
  readonly url: string;
  /**
   * Pushes events to a queue/topic/storage/schedule/event function as Pub/Sub or Eventarc would, with
   * redelivery and dead-lettering; resolves once every message is acked or dead-lettered.
   */
  deliver(functionName: string, stimulus: Stimulus): Promise<DeliveryReport>;
  /** Messages in the emulated dead-letter topics, by function, queue/topic/bucket or dead-letter topic name. */
  deadLetters(name: string): DeadLetter[];
  /** The last lines a function's process wrote (stdout and stderr), oldest first. */
  logs(functionName: string): string[];
  /** Stops every function process and the front door; safe to call twice, and after failures. */
  stop(): Promise<void>;
}

/** API Gateway's answer for a path no route matches, so every emulator's 404 looks alike. */
const NOT_FOUND_BODY = JSON.stringify({ message: 'Not Found' });

export async function startGcpEmulator(options: GcpEmulatorOptions): Promise<GcpEmulator> {
  const dir = resolve(options.dir);
  const manifestPath = join(dir, 'faasport.json');
  let manifestJson: unknown;
  try {
    manifestJson = JSON.parse(await readFile(manifestPath, 'utf8'));
  } catch (error) {
    throw new Error(`faasport gcp emulator: cannot read ${manifestPath}: ${(error as Error).message}`, { cause: error });
  }
  const all = parseManifest(manifestJson, manifestPath).functions;
  const pushAckDeadlines = await readPushAckDeadlines(join(dir, 'deploy.json'));
  const functions = all.filter(isHttpFunction);
  const framework = locateFramework(dir);
  const preload = preloadUrl({ packages: [FRAMEWORK_PACKAGE], fallbackParentUrl: framework.mainUrl });

  const processes = new Map<string, FunctionProcess>(
    all.map((fn) => [
      fn.name,
      new FunctionProcess({
        name: fn.name,
        dir,
        cliPath: framework.cliPath,
        preload,
        signatureType: SIGNATURE_TYPES[fn.kind],
        // The deployed environment (--set-env-vars), then the emulator's own `env` on top.
        env: { ...fn.environment, ...options.env },
        ...(options.onOutput ? { onOutput: options.onOutput } : {}),
      }),
    ]),
  );
  // Built before any process starts: a bad atLeastOnce rate fails here, with nothing to clean up.
  const events = new EventDelivery({
    functions: all,
    processes,
    ...(options.ackDeadlineMs !== undefined ? { ackDeadlineMs: options.ackDeadlineMs } : {}),
    ...(options.requestTimeoutMs !== undefined ? { requestTimeoutMs: options.requestTimeoutMs } : {}),
    ...(options.atLeastOnce ? { atLeastOnce: options.atLeastOnce } : {}),
    pushAckDeadlines,
  });
  const router = createRouter<HttpManifestFunction>(functions);
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split(/[?#]/, 1)[0]!;
    const fn = router.pick(req.method ?? 'GET', path.startsWith('/') ? path : new URL(req.url ?? '/', 'http://x').pathname);
    if (!fn) {
      req.resume();
      sendText(res, 404, NOT_FOUND_BODY, 'application/json');
      return;
    }
    if (declaredTooLarge(req)) {
      // Google's front end refuses it before any function sees it (Cloud Run's 32 MiB HTTP/1 request limit).
      req.resume();
      options.onOutput?.(fn.name, 'stderr', `faasport gcp emulator: 413 because the request body (${req.headers['content-length']} bytes) is over Cloud Run's 32 MiB limit`);
      sendText(res, 413, requestTooLargePage(), 'text/html; charset=UTF-8');
      return;
    }
    if (fn.authLevel !== 'anonymous') {
      // Deployed without --allow-unauthenticated (codegen/emit/gcp.ts): Cloud Run checks the caller's token.
      const check = checkIdentityToken(req.headers.authorization);
      if (!check.ok) {
        req.resume();
        options.onOutput?.(fn.name, 'stderr', `faasport gcp emulator: ${check.status} because ${check.reason}`);
        sendText(res, check.status, refusalPage(check.status, path), 'text/html; charset=UTF-8');
        return;
      }
    }
    void proxy(processes.get(fn.name)!, req, res, options.requestTimeoutMs ?? fn.timeoutSeconds * 1000);
  });

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      await Promise.allSettled([...processes.values()].map((p) => p.stop()));
      await closeServer(server);
    })());

  try {
    // Start the functions a few at a time (all at once starves each of them past its start timeout on a small
    // machine); the first failure stops the rest and names the culprit.
    await startInBatches([...processes.values()], STARTS_AT_ONCE);
    await listen(server, options.port ?? 0);
  } catch (error) {
    await stop();
    throw error;
  }
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    deliver: (functionName, stimulus) => {
      if (stopping) return Promise.reject(new Error('faasport gcp emulator: stopped; cannot deliver events'));
      return events.deliver(functionName, stimulus);
    },
    deadLetters: (name) => events.deadLetters(name),
    logs: (name) => processes.get(name)?.output.split('\n').filter((line) => line !== '') ?? [],
    stop,
  };
}

/**
 * The ack deadline of each queue function's push subscription as deploy.sh creates it (`--ack-deadline`,
 * deploy.json `pushSubscriptions[].ackDeadlineSeconds`), by function name; empty without a deploy.json.
 */
async function readPushAckDeadlines(path: string): Promise<Map<string, number>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return new Map(); // an output without deploy.json (hand-made); the emulator falls back to the timeout
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`faasport gcp emulator: ${path} is not JSON (${(error as Error).message}); rebuild with faasport build`, { cause: error });
  }
  const deadlines = new Map<string, number>();
  const subscriptions = isRecord(json) && Array.isArray(json.pushSubscriptions) ? json.pushSubscriptions : [];
  for (const [index, sub] of subscriptions.entries()) {
    if (!isRecord(sub) || typeof sub.function !== 'string' || !(typeof sub.ackDeadlineSeconds === 'number' && sub.ackDeadlineSeconds > 0)) {
      throw new Error(`faasport gcp emulator: ${path}: pushSubscriptions[${index}] needs "function" and a positive "ackDeadlineSeconds"; rebuild with faasport build`);
    }
    deadlines.set(sub.function, sub.ackDeadlineSeconds);
  }
  return deadlines;
}

/** How many function processes start side by side. */
const STARTS_AT_ONCE = 4;

async function startInBatches(processes: readonly FunctionProcess[], atOnce: number): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < processes.length) await processes[next++]!.instance();
  };
  await Promise.all(Array.from({ length: Math.min(atOnce, processes.length) }, lane));
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(new Error(`faasport gcp emulator: cannot listen on 127.0.0.1:${port}: ${error.code ?? error.message}`)),
    );
    server.listen(port, '127.0.0.1', () => resolvePromise());
  });
}

function closeServer(server: Server): Promise<void> {
  if (!server.listening) return Promise.resolve();
  return new Promise((resolvePromise) => {
    server.close(() => resolvePromise());
    server.closeAllConnections();
  });
}
