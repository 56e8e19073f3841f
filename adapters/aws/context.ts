import type { ContextInit } from '../../core/context.js';
import type { AwsNative, LambdaContext } from './types.js';

/**
 * The neutral context of one invocation. The Lambda context is always there on AWS, but unit tests and
 * hand-made calls often pass none (or a partial one), so every field is guarded.
 */
export function awsContextInit<E>(
  event: E,
  context: LambdaContext | undefined,
  name: string | undefined,
): ContextInit<AwsNative<E>> {
  const remaining = context?.getRemainingTimeInMillis;
  return {
    provider: 'aws',
    functionName: name ?? context?.functionName ?? 'unknown',
    invocationId: context?.awsRequestId ?? `local-${crypto.randomUUID()}`,
    deadline: typeof remaining === 'function' ? Date.now() + remaining.call(context) : undefined,
    native: { event, context: context as LambdaContext },
  };
}
