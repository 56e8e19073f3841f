import { describe, expect, it } from 'vitest';
import { endToEndHeaders, forwardedRequestHeaders } from './forwarding.js';

describe('forwarding headers', () => {
  it('drops hop-by-hop headers, including those Connection names, and keeps repeated ones in order', () => {
    const raw = ['Connection', 'keep-alive, X-Hop', 'X-Hop', '1', 'Set-Cookie', 'a=1', 'Keep-Alive', 'timeout=5', 'Set-Cookie', 'b=2', 'Content-Length', '3'];
    expect(endToEndHeaders(raw)).toEqual(['Set-Cookie', 'a=1', 'Set-Cookie', 'b=2', 'Content-Length', '3']);
  });

  it('adds X-Forwarded-For/-Proto and trace headers the way Google\'s front end does', () => {
    const out = forwardedRequestHeaders(['Host', 'h', 'X-Forwarded-For', '10.0.0.1'], {
      clientAddress: '127.0.0.1',
      trace: { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 255n },
    });
    expect(out).toEqual([
      'Host', 'h',
      'X-Forwarded-For', '10.0.0.1, 127.0.0.1',
      'X-Forwarded-Proto', 'http',
      'X-Cloud-Trace-Context', '0af7651916cd43dd8448eb211c80319c/255;o=1',
      'traceparent', '00-0af7651916cd43dd8448eb211c80319c-00000000000000ff-01',
    ]);
  });

  it('keeps a trace the client already sent', () => {
    const out = forwardedRequestHeaders(['x-cloud-trace-context', 'abc/1;o=1', 'x-forwarded-proto', 'https'], { clientAddress: undefined });
    expect(out).toEqual(['x-cloud-trace-context', 'abc/1;o=1', 'x-forwarded-proto', 'https']);
  });
});
