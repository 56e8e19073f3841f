import { describe, expect, it } from 'vitest';
import { describeExit, exitError, functionArn, logTail, parseFunctionRef, resourceNotFound, timeoutError } from './lambda-protocol.js';

describe('parseFunctionRef', () => {
  it('reads a plain name, a qualified name, a partial ARN and a full ARN', () => {
    expect(parseFunctionRef('getItem')).toEqual({ name: 'getItem', qualifier: undefined });
    expect(parseFunctionRef('getItem:$LATEST')).toEqual({ name: 'getItem', qualifier: '$LATEST' });
    expect(parseFunctionRef('123456789012:function:getItem')).toEqual({ name: 'getItem', qualifier: undefined });
    expect(parseFunctionRef('arn:aws:lambda:us-east-1:000000000000:function:getItem:prod')).toEqual({
      name: 'getItem',
      qualifier: 'prod',
    });
  });

  it('refuses what Lambda refuses', () => {
    expect(parseFunctionRef('')).toBeUndefined();
    expect(parseFunctionRef('has space')).toBeUndefined();
    expect(parseFunctionRef('arn:aws:s3:::bucket')).toBeUndefined();
    expect(parseFunctionRef('a:b:c')).toBeUndefined();
  });
});

describe('Lambda error wording', () => {
  it('prints the timeout with two decimals', () => {
    expect(timeoutError('id-1', 1000)).toEqual({
      errorType: 'Sandbox.Timedout',
      errorMessage: 'RequestId: id-1 Error: Task timed out after 1.00 seconds',
    });
    expect(timeoutError('id-2', 2500).errorMessage).toBe('RequestId: id-2 Error: Task timed out after 2.50 seconds');
  });

  it('describes exits as Go prints a process state', () => {
    expect(describeExit(1, null)).toBe('exit status 1');
    expect(describeExit(null, 'SIGKILL')).toBe('signal: killed');
    expect(describeExit(null, 'SIGSEGV')).toBe('signal: segmentation fault');
    expect(exitError('r', 129, null)).toEqual({
      errorType: 'Runtime.ExitError',
      errorMessage: 'RequestId: r Error: Runtime exited with error: exit status 129',
    });
  });

  it('names the function ARN in ResourceNotFoundException', () => {
    expect(functionArn('f')).toBe('arn:aws:lambda:us-east-1:000000000000:function:f');
    expect(resourceNotFound('f')).toEqual({
      status: 404,
      type: 'ResourceNotFoundException',
      body: { Type: 'User', message: 'Function not found: arn:aws:lambda:us-east-1:000000000000:function:f' },
    });
  });
});

describe('logTail', () => {
  it('keeps the last 4 KB, base64-encoded', () => {
    const lines = Array.from({ length: 200 }, (_, i) => `line ${i} ${'x'.repeat(40)}`);
    const tail = Buffer.from(logTail(lines), 'base64').toString('utf8');
    expect(tail.length).toBe(4096);
    expect(tail.endsWith(`line 199 ${'x'.repeat(40)}\n`)).toBe(true);
    expect(Buffer.from(logTail(['a', 'b']), 'base64').toString()).toBe('a\nb\n');
  });
});
