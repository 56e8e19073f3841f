/** Lambda service wording and naming: ARNs, error payloads, log tails (pure). */

export const REGION = 'us-east-1';
export const ACCOUNT_ID = '000000000000';
/** The most a synchronous invoke may carry either way (Lambda quota, bytes). */
export const MAX_SYNC_REQUEST_BYTES = 6 * 1024 * 1024;
export const MAX_SYNC_RESPONSE_BYTES = 6_291_556;
/** How long Lambda lets a runtime initialise before the first `/next`. */
export const INIT_TIMEOUT_MS = 10_000;

export const INVOCATION_TYPES = ['RequestResponse', 'Event', 'DryRun'] as const;
export type InvocationType = (typeof INVOCATION_TYPES)[number];

export const functionArn = (name: string): string => `arn:aws:lambda:${REGION}:${ACCOUNT_ID}:function:${name}`;

export interface FunctionRef {
  readonly name: string;
  readonly qualifier: string | undefined;
}

const NAME = /^[A-Za-z0-9_-]{1,140}$/;
const QUALIFIER = /^(\$LATEST|[A-Za-z0-9_-]{1,128})$/;

/**
 * Reads the FunctionName forms Lambda accepts: `name`, `name:qualifier`, `123456789012:function:name[:q]`
 * and `arn:aws:lambda:region:123456789012:function:name[:q]`. Undefined when it is none of them.
 */
export function parseFunctionRef(raw: string): FunctionRef | undefined {
  const parts = raw.split(':');
  let rest: string[];
  if (parts[0] === 'arn') {
    if (parts.length < 7 || parts[2] !== 'lambda' || parts[5] !== 'function') return undefined;
    rest = parts.slice(6);
  } else if (parts[1] === 'function') {
    rest = parts.slice(2);
  } else {
    rest = parts;
  }
  const [name, qualifier, ...extra] = rest;
  if (name === undefined || !NAME.test(name) || extra.length > 0) return undefined;
  if (qualifier !== undefined && !QUALIFIER.test(qualifier)) return undefined;
  return { name, qualifier };
}

export interface LambdaErrorPayload {
  readonly errorType: string;
  readonly errorMessage: string;
}

/** Lambda prints durations with two decimals: `Task timed out after 3.00 seconds`. */
export function timeoutError(requestId: string, timeoutMs: number): LambdaErrorPayload {
  return {
    errorType: 'Sandbox.Timedout',
    errorMessage: `RequestId: ${requestId} Error: Task timed out after ${(timeoutMs / 1000).toFixed(2)} seconds`,
  };
}

// Lambda's host reports exits the way Go's os.ProcessState prints them.
const SIGNAL_WORDS: Readonly<Record<string, string>> = {
  SIGKILL: 'killed',
  SIGTERM: 'terminated',
  SIGINT: 'interrupt',
  SIGABRT: 'aborted',
  SIGSEGV: 'segmentation fault',
  SIGBUS: 'bus error',
  SIGFPE: 'floating point exception',
  SIGILL: 'illegal instruction',
  SIGHUP: 'hangup',
  SIGQUIT: 'quit',
  SIGPIPE: 'broken pipe',
  SIGUSR1: 'user defined signal 1',
  SIGUSR2: 'user defined signal 2',
};

export function describeExit(code: number | null, signal: string | null): string {
  if (signal) return `signal: ${SIGNAL_WORDS[signal] ?? signal}`;
  return `exit status ${code ?? 0}`;
}

export function exitError(requestId: string, code: number | null, signal: string | null): LambdaErrorPayload {
  return {
    errorType: 'Runtime.ExitError',
    errorMessage: `RequestId: ${requestId} Error: Runtime exited with error: ${describeExit(code, signal)}`,
  };
}

export function responseTooLargeError(): LambdaErrorPayload {
  return {
    errorType: 'Function.ResponseSizeTooLarge',
    errorMessage: `Response payload size exceeded maximum allowed payload size (${MAX_SYNC_RESPONSE_BYTES} bytes).`,
  };
}

/** The Lambda service's own (non-function) error: `x-amzn-ErrorType` plus a JSON body the SDK reads. */
export interface ServiceError {
  readonly status: number;
  readonly type: string;
  readonly body: { readonly Type: 'User' | 'Service'; readonly message: string };
}

export const resourceNotFound = (name: string): ServiceError => ({
  status: 404,
  type: 'ResourceNotFoundException',
  body: { Type: 'User', message: `Function not found: ${functionArn(name)}` },
});

export const invalidParameter = (message: string): ServiceError => ({
  status: 400,
  type: 'InvalidParameterValueException',
  body: { Type: 'User', message },
});

export const invalidRequestContent = (message: string): ServiceError => ({
  status: 400,
  type: 'InvalidRequestContentException',
  body: { Type: 'User', message },
});

export const requestTooLarge = (): ServiceError => ({
  status: 413,
  type: 'RequestTooLargeException',
  body: { Type: 'User', message: `Request must be smaller than ${MAX_SYNC_REQUEST_BYTES} bytes for the InvokeFunction operation` },
});

export const serviceException = (message: string): ServiceError => ({
  status: 500,
  type: 'ServiceException',
  body: { Type: 'Service', message },
});

/** `X-Amz-Log-Result`: base64 of the last 4 KB of the invocation's log (START … REPORT lines). */
export function logTail(lines: readonly string[]): string {
  const all = Buffer.from(lines.map((l) => l + '\n').join(''), 'utf8');
  return all.subarray(Math.max(0, all.length - 4096)).toString('base64');
}
