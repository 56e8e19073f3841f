/**
 * Azure Storage Shared Key authorization (Blob and Queue services, version 2009-09-19 and later), pure:
 *   StringToSign = VERB \n Content-Encoding \n Content-Language \n Content-Length (empty when 0) \n Content-MD5 \n
 *                  Content-Type \n Date \n If-Modified-Since \n If-Match \n If-None-Match \n If-Unmodified-Since \n
 *                  Range \n CanonicalizedHeaders CanonicalizedResource
 *   CanonicalizedHeaders: every x-ms-* header, lower-case, sorted, `name:value\n` (value trimmed, inner runs of
 *   spaces kept as one).
 *   CanonicalizedResource: `/<account><path as sent>` then, per query parameter sorted by lower-case name,
 *   `\n<name>:<decoded values sorted, joined with ",">`.
 *   Authorization: `SharedKey <account>:<base64 HMAC-SHA256(base64-decoded key, StringToSign)>`.
 */
import { createHmac } from 'node:crypto';

/** Azurite's well-known development account (public, documented by Microsoft). */
export const DEV_ACCOUNT = 'devstoreaccount1';
export const DEV_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export interface SignableRequest {
  readonly method: string;
  readonly url: URL;
  /** Header names in any case. */
  readonly headers: Readonly<Record<string, string>>;
}

const STANDARD_HEADERS = [
  'content-encoding',
  'content-language',
  'content-length',
  'content-md5',
  'content-type',
  'date',
  'if-modified-since',
  'if-match',
  'if-none-match',
  'if-unmodified-since',
  'range',
] as const;

export function stringToSign(account: string, request: SignableRequest): string {
  const headers = new Map(Object.entries(request.headers).map(([k, v]) => [k.toLowerCase(), v]));
  const standard = STANDARD_HEADERS.map((name) => {
    const value = headers.get(name) ?? '';
    return name === 'content-length' && value === '0' ? '' : value;
  });
  const canonicalHeaders = [...headers.entries()]
    .filter(([name]) => name.startsWith('x-ms-'))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => `${name}:${value.trim().replace(/\s+/g, ' ')}\n`)
    .join('');
  const params = new Map<string, string[]>();
  for (const [name, value] of request.url.searchParams) {
    const key = name.toLowerCase();
    params.set(key, [...(params.get(key) ?? []), value]);
  }
  const canonicalQuery = [...params.keys()]
    .sort()
    .map((key) => `\n${key}:${params.get(key)!.sort().join(',')}`)
    .join('');
  const resource = `/${account}${request.url.pathname}${canonicalQuery}`;
  return `${request.method.toUpperCase()}\n${standard.join('\n')}\n${canonicalHeaders}${resource}`;
}

export function sharedKeyAuthorization(account: string, key: string, request: SignableRequest): string {
  const signature = createHmac('sha256', Buffer.from(key, 'base64')).update(stringToSign(account, request), 'utf8').digest('base64');
  return `SharedKey ${account}:${signature}`;
}
