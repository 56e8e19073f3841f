/**
 * IAM invoker checks for functions deployed without `--allow-unauthenticated` (pure).
 *
 * On Cloud Run functions a caller presents a Google-signed OpenID Connect identity token as
 * `Authorization: Bearer <jwt>` (docs.cloud.google.com/run/docs/authenticating/service-to-service). The
 * emulator has no Google keys, so it checks presence and shape only: three base64url parts, a JSON header
 * with `alg` and a JSON payload with `aud`. Which principal holds `roles/run.invoker` is not modelled.
 *
 * Answers, as Google's front end gives them (docs.cloud.google.com/run/docs/troubleshooting, "403
 * Forbidden" and "401 Unauthorized"): no token -> 403 with the HTML page "Your client does not have
 * permission to get URL ... from this server."; a token that cannot be verified -> 401.
 */
import { randomBytes } from 'node:crypto';

export type TokenCheck = { readonly ok: true; readonly audience: string } | { readonly ok: false; readonly status: 401 | 403; readonly reason: string };

const BASE64URL = /^[A-Za-z0-9_-]+$/;

function jsonPart(part: string): Record<string, unknown> | undefined {
  if (!BASE64URL.test(part)) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export function checkIdentityToken(authorization: string | undefined): TokenCheck {
  if (authorization === undefined || authorization.trim() === '') return { ok: false, status: 403, reason: 'no Authorization header' };
  const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
  if (!match) return { ok: false, status: 401, reason: 'the Authorization header is not "Bearer <identity token>"' };
  const parts = match[1]!.split('.');
  if (parts.length !== 3 || !BASE64URL.test(parts[2]!)) return { ok: false, status: 401, reason: 'the bearer token is not a JWT (three base64url parts)' };
  const header = jsonPart(parts[0]!);
  const payload = jsonPart(parts[1]!);
  if (typeof header?.alg !== 'string') return { ok: false, status: 401, reason: 'the token header has no "alg"' };
  if (typeof payload?.aud !== 'string') return { ok: false, status: 401, reason: 'the token has no "aud" claim (an access token is not an identity token)' };
  return { ok: true, audience: payload.aud };
}

/** A token of the right shape for `audience`, as `gcloud auth print-identity-token` would give (unsigned here). */
export function makeIdentityToken(audience: string, now = Date.now()): string {
  const seconds = Math.floor(now / 1000);
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const header = part({ alg: 'RS256', kid: 'faasport-local', typ: 'JWT' });
  const payload = part({ aud: audience, azp: 'faasport-local', email: 'faasport-local@example.iam.gserviceaccount.com', exp: seconds + 3600, iat: seconds, iss: 'https://accounts.google.com', sub: '100000000000000000000' });
  return `${header}.${payload}.${randomBytes(64).toString('base64url')}`;
}

const escapeHtml = (text: string): string => text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

/** The HTML error page of Google's front end for a refused call. */
export function refusalPage(status: 401 | 403, path: string): string {
  const title = status === 403 ? 'Forbidden' : 'Unauthorized';
  const text =
    status === 403
      ? `Your client does not have permission to get URL <code>${escapeHtml(path)}</code> from this server.`
      : 'Your client does not have permission to the requested URL.';
  return `<html><head>\n<meta http-equiv="content-type" content="text/html;charset=utf-8">\n<title>${status} ${title}</title>\n</head>\n<body text=#000000 bgcolor=#ffffff>\n<h1>Error: ${title}</h1>\n<h2>${text}</h2>\n<h2></h2>\n</body></html>\n`;
}
