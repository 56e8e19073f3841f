/**
 * Signature Version 4 for API Gateway routes with `AWS_IAM` authorization (pure).
 *
 * The front door checks a request's signature for presence and shape only: it holds no IAM users, so it
 * cannot recompute the signature or evaluate `execute-api:Invoke` policies. `signRequest` makes a real
 * signature (with whatever keys it is given), so callers exercise the same client code as against AWS.
 * Format: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html
 * (header form and the presigned query form `X-Amz-Algorithm`/`X-Amz-Credential`/... are both accepted).
 */
import { createHash, createHmac } from 'node:crypto';

export const SIGV4_ALGORITHM = 'AWS4-HMAC-SHA256';
/** The service name API Gateway's invoke URLs are signed for. */
export const EXECUTE_API = 'execute-api';
/**
 * The service name a Function URL with `AuthType: AWS_IAM` is signed for (a streaming function's endpoint):
 * https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html ("sign ... using the lambda service name").
 */
export const FUNCTION_URL_SERVICE = 'lambda';

export interface SignedIdentity {
  readonly accessKeyId: string;
  readonly region: string;
}

const AMZ_DATE = /^\d{8}T\d{6}Z$/;
const SIGNATURE = /^[0-9a-f]{64}$/;
/** IAM's AccessKeyId: 16 to 128 word characters (AKIA... for users, ASIA... for sessions). */
const ACCESS_KEY = /^\w{16,128}$/;

/**
 * The caller's identity when the request carries a well-formed SigV4 signature for `service` (API Gateway's
 * `execute-api` by default; `lambda` for a Function URL), else a
 * sentence saying what is missing or malformed. `headers` have lower-case names.
 */
export function checkSignatureShape(headers: Readonly<Record<string, string>>, query: URLSearchParams, service = EXECUTE_API): SignedIdentity | string {
  const header = headers.authorization;
  let credential: string | undefined;
  let signedHeaders: string | undefined;
  let signature: string | undefined;
  let date: string | undefined;
  if (header !== undefined) {
    if (!header.startsWith(`${SIGV4_ALGORITHM} `)) return `the Authorization header does not start with ${SIGV4_ALGORITHM}`;
    const fields = new Map(
      header
        .slice(SIGV4_ALGORITHM.length + 1)
        .split(',')
        .map((part) => part.trim().split('=', 2) as [string, string | undefined]),
    );
    credential = fields.get('Credential');
    signedHeaders = fields.get('SignedHeaders');
    signature = fields.get('Signature');
    date = headers['x-amz-date'];
  } else if (query.has('X-Amz-Algorithm')) {
    if (query.get('X-Amz-Algorithm') !== SIGV4_ALGORITHM) return `X-Amz-Algorithm is not ${SIGV4_ALGORITHM}`;
    credential = query.get('X-Amz-Credential') ?? undefined;
    signedHeaders = query.get('X-Amz-SignedHeaders') ?? undefined;
    signature = query.get('X-Amz-Signature') ?? undefined;
    date = query.get('X-Amz-Date') ?? undefined;
  } else {
    return 'the request is not signed (no Authorization header, no X-Amz-Signature query)';
  }
  const scope = credential?.split('/');
  if (!scope || scope.length !== 5 || scope[4] !== 'aws4_request') return 'Credential is not <key>/<date>/<region>/<service>/aws4_request';
  const [accessKeyId, scopeDate, region, scoped] = scope as [string, string, string, string];
  if (!ACCESS_KEY.test(accessKeyId)) return 'Credential does not start with an access key id';
  if (scoped !== service) return `Credential is scoped to "${scoped}", not ${service}`;
  if (!date || !AMZ_DATE.test(date)) return 'X-Amz-Date is missing or not YYYYMMDDTHHMMSSZ';
  if (date.slice(0, 8) !== scopeDate) return 'X-Amz-Date is not the day of the credential scope';
  if (!signedHeaders?.split(';').includes('host')) return 'SignedHeaders does not include host';
  if (!signature || !SIGNATURE.test(signature)) return 'Signature is not 64 hex digits';
  return { accessKeyId, region };
}

export interface SigningKeys {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

export interface RequestToSign {
  readonly method: string;
  readonly url: URL;
  /** Lower-case names; the signer adds host, x-amz-date and authorization. */
  readonly headers: Record<string, string>;
  readonly body: Uint8Array;
}

const sha256Hex = (data: string | Uint8Array): string => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string): Buffer => createHmac('sha256', key).update(data).digest();
/** RFC 3986 unreserved characters stay; everything else is %XX (what SigV4 asks for). */
const uriEncode = (text: string): string =>
  encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** Signs `request` in place with SigV4 for `service` (API Gateway: `execute-api`) in `region`, at `now`. */
export function signRequest(request: RequestToSign, keys: SigningKeys, region: string, now = new Date(), service = EXECUTE_API): void {
  const amzDate = now.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  const day = amzDate.slice(0, 8);
  const payloadHash = sha256Hex(request.body);
  const headers = request.headers;
  headers.host = request.url.host;
  headers['x-amz-date'] = amzDate;
  if (keys.sessionToken) headers['x-amz-security-token'] = keys.sessionToken;
  const names = Object.keys(headers)
    .map((n) => n.toLowerCase())
    .filter((n) => n !== 'authorization')
    .sort();
  const canonicalHeaders = names.map((n) => `${n}:${headers[n]!.trim().replace(/\s+/g, ' ')}\n`).join('');
  const canonicalQuery = [...request.url.searchParams]
    .map(([k, v]) => [uriEncode(k), uriEncode(v)] as const)
    .sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  // Services other than S3 encode each path segment twice: once in the URL, once here.
  const canonicalPath = request.url.pathname.split('/').map(uriEncode).join('/') || '/';
  const signedHeaders = names.join(';');
  const canonicalRequest = [request.method.toUpperCase(), canonicalPath, canonicalQuery, canonicalHeaders, signedHeaders, payloadHash].join('\n');
  const scope = `${day}/${region}/${service}/aws4_request`;
  const stringToSign = [SIGV4_ALGORITHM, amzDate, scope, sha256Hex(canonicalRequest)].join('\n');
  const signingKey = hmac(hmac(hmac(hmac(`AWS4${keys.secretAccessKey}`, day), region), service), 'aws4_request');
  const signature = createHmac('sha256', signingKey).update(stringToSign).digest('hex');
  headers.authorization = `${SIGV4_ALGORITHM} Credential=${keys.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
}
