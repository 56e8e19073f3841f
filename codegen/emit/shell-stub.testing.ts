/**
 * Test helper: runs a generated deploy.sh with stand-ins for `gcloud`, `az` and `func` on PATH. Each stand-in
 * records its argv (after shell expansion, so quoting and variables are checked too) and answers the few
 * queries deploy scripts make with canned values. Resources "do not exist" (describe/show fail) unless
 * `exists` is set, so the create paths run; with `exists`, the update paths run.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const STUB_PROJECT_NUMBER = '123456789';
export const STUB_FUNCTION_URL = 'https://fn-abc123-uc.a.run.app';

const STUB = String.raw`#!/usr/bin/env bash
name="$(basename "$0")"
{ printf '%s' "$name"; for a in "$@"; do printf '\037%s' "$a"; done; printf '\n'; } >> "$STUB_LOG"
joined=" $* "
# The value after --name, for resource IDs.
named=""; previous=""; for a in "$@"; do [ "$previous" = "--name" ] && named="$a"; previous="$a"; done
case "$joined" in
  *" config get-value project "*) echo my-project ;;
  *"value(projectNumber)"*) echo ${STUB_PROJECT_NUMBER} ;;
  *"value(serviceConfig.uri)"*) echo ${STUB_FUNCTION_URL} ;;
  *"value(eventTrigger.trigger)"*) echo "projects/my-project/locations/us-central1/triggers/$3-trigger" ;;
  *"value(transport.pubsub.subscription)"*) echo "projects/my-project/subscriptions/eventarc-$4" ;;
  *"properties.functionAppConfig.runtime"*) echo "$STUB_FLEX_RUNTIME" ;;
  *" --query id "*) echo "/subscriptions/sub/resourceGroups/rg/providers/$1/$named" ;;
  *" --query defaultHostName "*) echo "$named-abc123.westeurope-01.azurewebsites.net" ;;
  *" --query systemKeys.blobs_extension "*) echo "blobs-key" ;;
  *" --query principalId "*) echo "principal-1" ;;
  *" --query location "*) echo westeurope ;;
  *" --query primaryConnectionString "*) echo "Endpoint=sb://bus/;SharedAccessKey=k" ;;
  *" --query connectionString "*) echo "DefaultEndpointsProtocol=https;AccountName=acct" ;;
  *" describe "*|*" show "*) [ -n "$STUB_EXISTS" ] || exit 1 ;;
esac
exit 0
`;

export interface StubRun {
  readonly status: number | null;
  readonly stderr: string;
  /** Every CLI call in order: `[cli, ...args]`. */
  readonly calls: readonly (readonly string[])[];
}

export const hasBash = spawnSync('bash', ['--version']).status === 0;

export function runWithStubs(script: string, env: Record<string, string> = {}, options: { exists?: boolean } = {}): StubRun {
  const dir = mkdtempSync(join(tmpdir(), 'faasport-deploy-'));
  try {
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    for (const cli of ['gcloud', 'az', 'func']) {
      writeFileSync(join(bin, cli), STUB);
      chmodSync(join(bin, cli), 0o755);
    }
    const file = join(dir, 'deploy.sh');
    writeFileSync(file, script);
    const log = join(dir, 'calls.log');
    writeFileSync(log, '');
    const result = spawnSync('bash', [file], {
      // The function app is a Flex Consumption app on Node 24 unless the test says otherwise.
      env: { PATH: `${bin}:${process.env.PATH ?? ''}`, HOME: dir, STUB_LOG: log, STUB_FLEX_RUNTIME: 'node 24', ...(options.exists ? { STUB_EXISTS: '1' } : {}), ...env },
      encoding: 'utf8',
    });
    const calls = readFileSync(log, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => line.split('\x1f'));
    return { status: result.status, stderr: result.stderr, calls };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The calls whose argv starts with `prefix`. */
export function callsTo(run: StubRun, ...prefix: string[]): (readonly string[])[] {
  return run.calls.filter((call) => prefix.every((word, i) => call[i] === word));
}
