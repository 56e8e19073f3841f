import { describe, expect, it } from 'vitest';
import { checkIdentityToken, makeIdentityToken, refusalPage } from './identity-token.js';

describe('checkIdentityToken', () => {
  it('accepts an identity token of the right shape and reads its audience', () => {
    expect(checkIdentityToken(`Bearer ${makeIdentityToken('https://fn.example')}`)).toEqual({ ok: true, audience: 'https://fn.example' });
  });

  it('answers 403 when there is no token, as Cloud Run does for an unauthenticated caller', () => {
    expect(checkIdentityToken(undefined)).toMatchObject({ ok: false, status: 403 });
  });

  it('answers 401 for a token it cannot read: another scheme, not a JWT, no audience', () => {
    const noAud = makeIdentityToken('x').split('.');
    noAud[1] = Buffer.from(JSON.stringify({ sub: '1' })).toString('base64url');
    for (const header of ['Basic dXNlcjpwYXNz', 'Bearer ya29.opaque-access-token', `Bearer ${noAud.join('.')}`]) {
      expect(checkIdentityToken(header)).toMatchObject({ ok: false, status: 401 });
    }
  });
});

describe('refusalPage', () => {
  it("names the path in Google's words and escapes it", () => {
    expect(refusalPage(403, '/a<b')).toContain('Your client does not have permission to get URL <code>/a&#60;b</code> from this server.');
    expect(refusalPage(401, '/a')).toContain('<title>401 Unauthorized</title>');
  });
});
