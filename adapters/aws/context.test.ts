import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { awsContextInit, awsInvocation } from './context.js';
import type { LambdaContext } from './types.js';

const UUID = '11111111-2222-4333-8444-555555555555';

const lambdaContext = (): LambdaContext =>
  ({
    functionName: 'orders-fn',
    awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e812345678',
    getRemainingTimeInMillis() {
      return this === undefined ? -1 : 2500;
    },
  }) as unknown as LambdaContext;

describe('AWS invocation context fields', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(1_700_000_000_000);
    vi.spyOn(crypto, 'randomUUID').mockReturnValue(UUID);
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  it('awsInvocation reads name, request id and deadline (now + remaining, called on the context)', () => {
    expect(awsInvocation(lambdaContext(), undefined)).toEqual({
      functionName: 'orders-fn',
      invocationId: 'c6af9ac6-7b61-11e6-9a41-93e812345678',
      deadline: 1_700_000_002_500,
    });
    expect(awsInvocation(lambdaContext(), 'given-name').functionName).toBe('given-name');
  });

  it('awsInvocation without a Lambda context: "unknown", a local id and no deadline', () => {
    expect(awsInvocation(undefined, undefined)).toEqual({ functionName: 'unknown', invocationId: `local-${UUID}`, deadline: undefined });
    expect(awsInvocation({} as LambdaContext, undefined)).toEqual({ functionName: 'unknown', invocationId: `local-${UUID}`, deadline: undefined });
    expect(awsInvocation(undefined, 'given-name').functionName).toBe('given-name');
  });

  it('awsContextInit gives provider "aws", the same fields and the native event and context', () => {
    const context = lambdaContext();
    const event = { detail: 1 };
    const init = awsContextInit(event, context, undefined);
    expect(init).toEqual({
      provider: 'aws',
      functionName: 'orders-fn',
      invocationId: 'c6af9ac6-7b61-11e6-9a41-93e812345678',
      deadline: 1_700_000_002_500,
      native: { event, context },
    });
    expect(init.native.event).toBe(event);
    expect(init.native.context).toBe(context);
    expect(awsContextInit(event, context, 'given-name').functionName).toBe('given-name');
  });

  it('awsContextInit without a Lambda context: "unknown", a local id and no deadline', () => {
    expect(awsContextInit('e', undefined, undefined)).toEqual({
      provider: 'aws',
      functionName: 'unknown',
      invocationId: `local-${UUID}`,
      deadline: undefined,
      native: { event: 'e', context: undefined },
    });
    const partial = { functionName: 'only-name' } as LambdaContext;
    expect(awsContextInit('e', partial, undefined)).toEqual({
      provider: 'aws',
      functionName: 'only-name',
      invocationId: `local-${UUID}`,
      deadline: undefined,
      native: { event: 'e', context: partial },
    });
    expect(awsContextInit('e', undefined, 'given-name').functionName).toBe('given-name');
  });
});
