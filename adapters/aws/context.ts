import type { ContextInit } from '../../core/context.js';
import type { AwsNative, LambdaContext } from './types.js';

/** The per-invocation part of a context: the same for every message of a batch. */
export interface AwsInvocation {
  readonly functionName: string;
  readonly invocationId: string;
  readonly deadline: number | undefined;
}

/**
 * Reads name, request id and deadline from the Lambda context. The Lambda context is always there on
 * AWS, but unit tests and hand-made calls often pass none (or a partial one), so every field is guarded.
 */
export function awsInvocation(context: LambdaContext | undefined, name: string | undefined): AwsInvocation {
  const remaining = context?.getRemainingTimeInMillis;
  return {
    functionName: name ?? context?.functionName ?? 'unknown',
    invocationId: context?.awsRequestId ?? `local-${crypto.randomUUID()}`,
    deadline: typeof remaining === 'function' ? Date.now() + remaining.call(context) : undefined,
  };
}

/** The neutral context of one invocation (awsInvocation's fields, read in place: one object less per call). */
export function awsContextInit<E>(
  event: E,
  context: LambdaContext | undefined,
  name: string | undefined,
  signal?: AbortSignal,
): ContextInit<AwsNative<E>> {
  const remaining = context?.getRemainingTimeInMillis;
  // One literal (callers pass the signal rather than spread this into another object, which V8 makes slow to read).
  return {
    provider: 'aws',
    functionName: name ?? context?.functionName ?? 'unknown',
    invocationId: context?.awsRequestId ?? `local-${crypto.randomUUID()}`,
    deadline: typeof remaining === 'function' ? Date.now() + remaining.call(context) : undefined,
    native: { event, context: context as LambdaContext },
    signal,
  };
}
