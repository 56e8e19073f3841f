import { describe, expect, it } from 'vitest';
import { checkSignatureShape, signRequest, type RequestToSign } from './sigv4.js';

const keys = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const at = new Date('2015-08-30T12:36:00Z');
const request = (url: string, method = 'GET'): RequestToSign => ({ method, url: new URL(url), headers: {}, body: new Uint8Array(0) });

describe('signRequest', () => {
  // AWS's SigV4 test suite, case "get-vanilla" (aws-sig-v4-test-suite, service "service").
  it('matches the get-vanilla vector of the SigV4 test suite', () => {
    const req = request('https://example.amazonaws.com/');
    signRequest(req, keys, 'us-east-1', at, 'service');
    expect(req.headers.authorization).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31',
    );
  });

  // Same suite, case "get-vanilla-query-order-key-case": parameters sorted by name.
  it('sorts query parameters as the get-vanilla-query-order-key-case vector', () => {
    const req = request('https://example.amazonaws.com/?Param2=value2&Param1=value1');
    signRequest(req, keys, 'us-east-1', at, 'service');
    expect(req.headers.authorization).toContain('Signature=b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500');
  });
});

describe('checkSignatureShape', () => {
  const signed = () => {
    const req = request('http://127.0.0.1:1234/secret?x=1');
    signRequest(req, { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: keys.secretAccessKey }, 'us-east-1');
    return req.headers;
  };

  it('accepts a signed request and names the caller', () => {
    expect(checkSignatureShape(signed(), new URLSearchParams())).toEqual({ accessKeyId: 'AKIAIOSFODNN7EXAMPLE', region: 'us-east-1' });
  });

  it("takes a Function URL's signature for the lambda service, and refuses API Gateway's there", () => {
    const req = request('http://127.0.0.1:1234/stream');
    signRequest(req, { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: keys.secretAccessKey }, 'us-east-1', new Date(), 'lambda');
    expect(checkSignatureShape(req.headers, new URLSearchParams(), 'lambda')).toEqual({ accessKeyId: 'AKIAIOSFODNN7EXAMPLE', region: 'us-east-1' });
    expect(checkSignatureShape(req.headers, new URLSearchParams())).toMatch(/scoped to "lambda", not execute-api/);
    expect(checkSignatureShape(signed(), new URLSearchParams(), 'lambda')).toMatch(/scoped to "execute-api", not lambda/);
  });

  it('refuses an unsigned request', () => {
    expect(checkSignatureShape({}, new URLSearchParams())).toMatch(/not signed/);
  });

  it('refuses a bearer token, a signature for another service, a missing date and a short signature', () => {
    expect(checkSignatureShape({ authorization: 'Bearer abc' }, new URLSearchParams())).toMatch(/does not start with/);
    const s3 = signed();
    s3.authorization = s3.authorization!.replace('/execute-api/', '/s3/');
    expect(checkSignatureShape(s3, new URLSearchParams())).toMatch(/scoped to "s3"/);
    const { 'x-amz-date': _date, ...undated } = signed();
    expect(checkSignatureShape(undated, new URLSearchParams())).toMatch(/X-Amz-Date/);
    const short = signed();
    short.authorization = short.authorization!.replace(/Signature=\w+/, 'Signature=abc');
    expect(checkSignatureShape(short, new URLSearchParams())).toMatch(/64 hex/);
  });

  it('accepts the presigned query form', () => {
    const query = new URLSearchParams({
      'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
      'X-Amz-Credential': 'AKIAIOSFODNN7EXAMPLE/20150830/us-east-1/execute-api/aws4_request',
      'X-Amz-Date': '20150830T123600Z',
      'X-Amz-SignedHeaders': 'host',
      'X-Amz-Signature': 'a'.repeat(64),
    });
    expect(checkSignatureShape({}, query)).toEqual({ accessKeyId: 'AKIAIOSFODNN7EXAMPLE', region: 'us-east-1' });
  });
});
