/** `faasport invoke`: run one function in this process with neutral input and print the result. */
import type { CAC } from 'cac';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import pc from 'picocolors';
import { DEFAULT_OUT_DIR } from '../codegen/build.js';
import { bundleForInvoke } from '../codegen/bundle.js';
import { discover } from '../codegen/discover.js';
import { UsageError } from './errors.js';
import type { Io, Run } from './io.js';

export interface InvokeFlags {
  debug?: boolean;
  method?: string;
  data?: string;
  header?: string | string[];
}

export async function runInvoke(io: Io, name: string, path: string | undefined, entries: string[], flags: InvokeFlags): Promise<number> {
  const { functions } = discover({ entries, cwd: io.cwd, exclude: [resolve(io.cwd, DEFAULT_OUT_DIR)] });
  const fn = functions.find((f) => f.name === name);
  if (!fn) {
    throw new UsageError(`no function named "${name}"; found: ${functions.map((f) => f.name).join(', ') || 'none'} (pass ENTRY files or folders after the name with --entry)`);
  }
  const dir = await mkdtemp(join(tmpdir(), 'faasport-invoke-'));
  try {
    const outFile = join(dir, 'invoke.mjs');
    await bundleForInvoke(fn, { cwd: io.cwd, outFile });
    const mod = (await import(pathToFileURL(outFile).href)) as {
      fn: unknown;
      invoke: (fn: unknown, input: unknown, options?: { functionName?: string }) => Promise<Response | undefined>;
    };
    if (fn.kind === 'http') {
      const headers = new Headers();
      for (const h of [flags.header ?? []].flat()) {
        const colon = h.indexOf(':');
        if (colon <= 0) throw new UsageError(`--header "${h}" must look like "name: value"`);
        headers.append(h.slice(0, colon).trim(), h.slice(colon + 1).trim());
      }
      const method = (flags.method ?? (flags.data === undefined ? 'GET' : 'POST')).toUpperCase();
      const target = path ?? fn.options.route.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, '$1').replace(/\*$/, '');
      const request = new Request(new URL(target, 'http://localhost'), { method, headers, ...(flags.data === undefined ? {} : { body: flags.data }) });
      const response = (await mod.invoke(mod.fn, request, { functionName: fn.name }))!;
      const status = response.status >= 400 ? pc.red(String(response.status)) : pc.green(String(response.status));
      io.out(response.statusText ? `${status} ${response.statusText}` : status);
      response.headers.forEach((value, key) => io.out(pc.dim(`${key}: ${value}`)));
      io.out('');
      io.out(await response.text());
      return 0;
    }
    const body = flags.data ?? '';
    const input =
      fn.kind === 'queue' || fn.kind === 'topic'
        ? { body }
        : fn.kind === 'storage'
          ? { key: body || 'example.txt' }
          : fn.kind === 'event'
            ? { type: typeof fn.options.type === 'string' ? fn.options.type : fn.options.type[0], data: body ? (JSON.parse(body) as unknown) : undefined }
            : {};
    try {
      await mod.invoke(mod.fn, input, { functionName: fn.name });
    } catch (error) {
      // The function failed (the platform would redeliver or retry): report it, exit 1.
      const detail = error instanceof Error ? (flags.debug ? (error.stack ?? error.message) : error.message) : String(error);
      io.err(`${pc.red('✘')} ${fn.name} (${fn.kind}) threw: ${detail}`);
      return 1;
    }
    io.out(`${pc.green('✔')} ${fn.name} (${fn.kind}) completed`);
    return 0;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export function invokeCommand(cli: CAC, io: Io, run: Run): void {
  cli
    .command('invoke <name> [path]', 'Run one function in this process with neutral input and print the result')
    .option('--entry <entry>', 'Where to look for the function (repeatable; default as for build)')
    .option('-X, --method <method>', 'HTTP method (default GET, or POST with --data)')
    .option('-d, --data <body>', 'HTTP body, or the message body / CloudEvent data (JSON) / object key for other kinds')
    .option('-H, --header <header>', 'HTTP header "name: value" (repeatable)')
    .example('faasport invoke getItem /items/42')
    .action((name: string, path: string | undefined, flags: InvokeFlags & { entry?: string | string[] }) =>
      run(() => runInvoke(io, name, path, [flags.entry ?? []].flat(), flags)),
    );
}
