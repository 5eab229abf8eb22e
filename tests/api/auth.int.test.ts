import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestContext, login, problemOf, type TestContext } from '../support/app.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => {
  await ctx?.close();
});

const post = (url: string, payload: unknown, ip = '10.1.0.1', headers: Record<string, string> = {}) =>
  ctx.app.inject({ method: 'POST', url, payload: payload as object, remoteAddress: ip, headers });

describe('login', () => {
  it('returns a 15-minute access token, a refresh token and the user with roles per site', async () => {
    const res = await post('/api/v1/auth/login', { email: 'TECH.CHU@ght-demo.fr', password: 'Demo!2026' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    const ttl = new Date(body.accessTokenExpiresAt).getTime() - Date.now();
    expect(ttl).toBeGreaterThan(14 * 60_000);
    expect(ttl).toBeLessThanOrEqual(15 * 60_000);
    const payload = JSON.parse(Buffer.from(body.accessToken.split('.')[1], 'base64url').toString());
    expect(payload.exp - payload.iat).toBe(900);
    expect(body.user.email).toBe('tech.chu@ght-demo.fr');
    expect(body.user.homeSite.name).toBe('CHU Démo');
    expect(body.user.roles).toEqual([expect.objectContaining({ role: 'technician', siteName: 'CHU Démo', siteShortCode: 'CHU' })]);
    expect(body.user).not.toHaveProperty('passwordHash');
  });

  it('answers 401 with the same message for a wrong password and an unknown email', async () => {
    const wrong = await post('/api/v1/auth/login', { email: 'tech.chu@ght-demo.fr', password: 'not-the-password' }, '10.1.0.2');
    const unknown = await post('/api/v1/auth/login', { email: 'nobody@ght-demo.fr', password: 'not-the-password' }, '10.1.0.2');
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(problemOf(wrong).code).toBe('invalid_credentials');
    expect(problemOf(unknown).detail).toBe(problemOf(wrong).detail);
  });

  it('GET /me needs a valid bearer token', async () => {
    const s = await login(ctx.app, 'responsable.ch1@ght-demo.fr');
    const me = await ctx.app.inject({ method: 'GET', url: '/api/v1/me', headers: s.auth });
    expect(me.statusCode).toBe(200);
    expect(me.json().roles.map((r: { role: string; siteShortCode: string }) => `${r.role}@${r.siteShortCode}`)).toEqual(['site_manager@CH1']);
    const none = await ctx.app.inject({ method: 'GET', url: '/api/v1/me' });
    expect(problemOf(none).code).toBe('missing_token');
    const bad = await ctx.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: 'Bearer abc.def.ghi' } });
    expect(bad.statusCode).toBe(401);
    expect(problemOf(bad).code).toBe('invalid_token');
  });

  it('refuses an expired access token', async () => {
    const token = ctx.app.jwt.sign({ sub: '00000000-0000-4000-8000-000000000000', tid: 'x', jti: 'x' }, { expiresIn: -10 });
    const res = await ctx.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } });
    expect(res.statusCode).toBe(401);
    expect(problemOf(res).code).toBe('token_expired');
  });

  it('refuses a token that worked once it has expired (a verified token is not trusted past its expiry)', async () => {
    const s = await login(ctx.app, 'tech.chu@ght-demo.fr');
    const tid = (JSON.parse(Buffer.from(s.accessToken.split('.')[1]!, 'base64url').toString()) as { tid: string }).tid;
    const token = ctx.app.jwt.sign({ sub: s.userId, tid, jti: 'short-lived' }, { expiresIn: 2 });
    const exp = (JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { exp: number }).exp;
    const headers = { authorization: `Bearer ${token}` };
    expect((await ctx.app.inject({ method: 'GET', url: '/api/v1/me', headers })).statusCode).toBe(200);
    expect((await ctx.app.inject({ method: 'GET', url: '/api/v1/me', headers })).statusCode).toBe(200);
    await new Promise((r) => setTimeout(r, exp * 1000 - Date.now() + 20));
    const res = await ctx.app.inject({ method: 'GET', url: '/api/v1/me', headers });
    expect(res.statusCode).toBe(401);
    expect(problemOf(res).code).toBe('token_expired');
  });
});

describe('refresh rotation and reuse detection', () => {
  it('rotates: the new pair works, the old refresh token does not', async () => {
    const s = await login(ctx.app, 'tech.ch1@ght-demo.fr');
    const r1 = await post('/api/v1/auth/refresh', { refreshToken: s.refreshToken });
    expect(r1.statusCode).toBe(200);
    const pair = r1.json();
    expect(pair.refreshToken).not.toBe(s.refreshToken);
    const me = await ctx.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${pair.accessToken}` } });
    expect(me.statusCode).toBe(200);
    const r2 = await post('/api/v1/auth/refresh', { refreshToken: pair.refreshToken });
    expect(r2.statusCode).toBe(200);
  });

  it('reuse of a rotated token revokes the whole family', async () => {
    const s = await login(ctx.app, 'ingenieur@ght-demo.fr');
    const first = (await post('/api/v1/auth/refresh', { refreshToken: s.refreshToken })).json();
    // The old token comes back from elsewhere (stolen copy): refused, and the live one dies with it.
    const reuse = await post('/api/v1/auth/refresh', { refreshToken: s.refreshToken }, '10.66.0.1');
    expect(reuse.statusCode).toBe(401);
    expect(problemOf(reuse).code).toBe('refresh_token_reused');
    const live = await post('/api/v1/auth/refresh', { refreshToken: first.refreshToken });
    expect(live.statusCode).toBe(401);
    expect(problemOf(live).code).toBe('refresh_token_reused');
    const audit = await ctx.database.db.selectFrom('auditLog').selectAll().where('action', '=', 'auth.refresh_reuse_detected').execute();
    expect(audit.length).toBeGreaterThanOrEqual(1);
    // Another session of the same user is untouched.
    const other = await login(ctx.app, 'ingenieur@ght-demo.fr');
    expect((await post('/api/v1/auth/refresh', { refreshToken: other.refreshToken })).statusCode).toBe(200);
  });

  it('two concurrent refreshes of one token from the same client both get the same new refresh token', async () => {
    const s = await login(ctx.app, 'soignant.chu@ght-demo.fr');
    const ua = { 'user-agent': 'Mozilla/5.0 (test tab)' };
    const results = await Promise.all([
      post('/api/v1/auth/refresh', { refreshToken: s.refreshToken }, '10.1.0.1', ua),
      post('/api/v1/auth/refresh', { refreshToken: s.refreshToken }, '10.1.0.1', ua),
    ]);
    expect(results.map((r) => r.statusCode)).toEqual([200, 200]);
    const [a, b] = results.map((r) => r.json());
    expect(a.refreshToken).toBe(b.refreshToken);
    expect(a.refreshToken).not.toBe(s.refreshToken);
    expect(a.refreshTokenExpiresAt).toBe(b.refreshTokenExpiresAt);
    for (const pair of [a, b]) {
      const me = await ctx.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${pair.accessToken}` } });
      expect(me.statusCode).toBe(200);
    }
    // One new token, not two: the session goes on with it.
    const family = await ctx.database.db.selectFrom('refreshTokens').select('id').where('userId', '=', s.userId).where('usedAt', 'is', null).where('revokedAt', 'is', null).execute();
    expect(family).toHaveLength(1);
    expect((await post('/api/v1/auth/refresh', { refreshToken: a.refreshToken }, '10.1.0.1', ua)).statusCode).toBe(200);
  });

  it('a second use after the grace, or from another client, still revokes the family', async () => {
    const ua = { 'user-agent': 'Mozilla/5.0 (test tab)' };
    // After the grace: the first use is made to look 11 s old (grace: 10 s).
    const late = await login(ctx.app, 'sarah.lambert@ght-demo.fr');
    const rotated = (await post('/api/v1/auth/refresh', { refreshToken: late.refreshToken }, '10.1.0.1', ua)).json();
    await sql`update refresh_tokens set used_at = now() - interval '11 seconds' where user_id = ${late.userId} and used_at is not null`.execute(ctx.database.db);
    const reuse = await post('/api/v1/auth/refresh', { refreshToken: late.refreshToken }, '10.1.0.1', ua);
    expect(reuse.statusCode).toBe(401);
    expect(problemOf(reuse).code).toBe('refresh_token_reused');
    expect(problemOf(await post('/api/v1/auth/refresh', { refreshToken: rotated.refreshToken }, '10.1.0.1', ua)).code).toBe('refresh_token_reused');

    // Within the grace but from another address, or another browser: revoked too.
    for (const [ip, headers] of [['10.9.9.9', ua], ['10.1.0.1', { 'user-agent': 'curl/8.0' }]] as const) {
      const s = await login(ctx.app, 'sarah.lambert@ght-demo.fr');
      const first = (await post('/api/v1/auth/refresh', { refreshToken: s.refreshToken }, '10.1.0.1', ua)).json();
      const other = await post('/api/v1/auth/refresh', { refreshToken: s.refreshToken }, ip, headers);
      expect(other.statusCode).toBe(401);
      expect(problemOf(other).code).toBe('refresh_token_reused');
      expect((await post('/api/v1/auth/refresh', { refreshToken: first.refreshToken }, '10.1.0.1', ua)).statusCode).toBe(401);
    }
  });

  it('an unknown refresh token is 401, a malformed body 400', async () => {
    const res = await post('/api/v1/auth/refresh', { refreshToken: 'x'.repeat(43) });
    expect(problemOf(res).code).toBe('invalid_refresh_token');
    const bad = await post('/api/v1/auth/refresh', { token: 'x' });
    expect(bad.statusCode).toBe(400);
    expect(problemOf(bad).errors?.[0]?.path).toBe('body.refreshToken');
  });

  it('logout ends the session', async () => {
    const s = await login(ctx.app, 'tech.chu@ght-demo.fr');
    const out = await post('/api/v1/auth/logout', { refreshToken: s.refreshToken });
    expect(out.statusCode).toBe(204);
    const after = await post('/api/v1/auth/refresh', { refreshToken: s.refreshToken });
    expect(after.statusCode).toBe(401);
  });
});

describe('login slow-down (no lockout)', () => {
  const wrong = (email: string, ip: string, headers: Record<string, string> = {}) =>
    post('/api/v1/auth/login', { email, password: 'wrong-password' }, ip, headers);
  const right = (email: string, ip: string, headers: Record<string, string> = {}) =>
    post('/api/v1/auth/login', { email, password: 'Demo!2026' }, ip, headers);

  it('12 wrong passwords from one address slow that address down for that email, never the right password from another', async () => {
    const email = 'responsable.ch1@ght-demo.fr';
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await wrong(email, '10.2.0.1')).statusCode);
    // Five attempts are free; then each must wait 1 s, 2 s, 4 s … up to 30 s after the previous one.
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429, 429, 429, 429, 429, 429]);
    const slowed = await right(email, '10.2.0.1');
    expect(slowed.statusCode).toBe(429);
    expect(problemOf(slowed).code).toBe('too_many_attempts');
    const retryAfter = Number(slowed.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(30);
    // The account is not locked: the right password from an address that has not failed goes through …
    expect((await right(email, '10.2.0.2')).statusCode).toBe(200);
    // … and from the slowed address too, once it has waited.
    await new Promise((r) => setTimeout(r, retryAfter * 1000 + 50));
    expect((await right(email, '10.2.0.1')).statusCode).toBe(200);
    // A success forgets that pair's failures.
    expect((await wrong(email, '10.2.0.1')).statusCode).toBe(401);
  });

  it('failures on one email from many addresses never refuse the right password from a clean address', async () => {
    const email = 'tech.ch1@ght-demo.fr';
    for (let i = 0; i < 55; i++) expect((await wrong(email, `10.6.${Math.floor(i / 200)}.${i % 200}`)).statusCode).toBe(401);
    expect((await right(email, '10.6.9.9')).statusCode).toBe(200);
    // Past the per-email signal, an address that has itself failed on this email waits.
    const failedBefore = await right(email, '10.6.0.3');
    expect(failedBefore.statusCode).toBe(429);
    expect(Number(failedBefore.headers['retry-after'])).toBeGreaterThanOrEqual(1);
  });

  it('many users behind one address (a hospital NAT): failures of others below the address threshold stop no one', async () => {
    const nat = '10.3.0.1';
    // 45 failures from the NAT, spread over users (each pair below its own threshold).
    for (let i = 0; i < 45; i++) {
      expect((await wrong(`agent${i % 15}@ght-demo.fr`, nat)).statusCode).toBe(401);
    }
    expect((await right('tech.chu@ght-demo.fr', nat)).statusCode).toBe(200);
    expect((await right('soignant.chu@ght-demo.fr', nat)).statusCode).toBe(200);
  });

  it('beyond the address threshold (50), the address is slowed whatever the email; other addresses are not', async () => {
    const ip = '10.7.0.1';
    for (let i = 0; i < 50; i++) expect((await wrong(`nobody${i}@ght-demo.fr`, ip)).statusCode).toBe(401);
    const slowed = await right('ingenieur@ght-demo.fr', ip);
    expect(slowed.statusCode).toBe(429);
    expect(Number(slowed.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect((await right('ingenieur@ght-demo.fr', '10.7.0.2')).statusCode).toBe(200);
  });

  it('ignores X-Forwarded-For without TRUST_PROXY: the socket address is counted', async () => {
    const email = 'tech.chu@ght-demo.fr';
    for (let i = 0; i < 5; i++) expect((await wrong(email, '10.8.0.1', { 'x-forwarded-for': `203.0.113.${i}` })).statusCode).toBe(401);
    expect((await right(email, '10.8.0.1', { 'x-forwarded-for': '203.0.113.200' })).statusCode).toBe(429);
  });

  it('honours X-Forwarded-For from a trusted proxy (TRUST_PROXY=<proxy address>)', async () => {
    const proxied = await createTestContext({ env: { TRUST_PROXY: '10.9.0.1' } });
    try {
      const via = (password: string, client: string, proxy = '10.9.0.1') => proxied.app.inject({
        method: 'POST', url: '/api/v1/auth/login', payload: { email: 'tech.chu@ght-demo.fr', password },
        remoteAddress: proxy, headers: { 'x-forwarded-for': client },
      });
      for (let i = 0; i < 5; i++) expect((await via('wrong-password', '203.0.113.7')).statusCode).toBe(401);
      expect((await via('Demo!2026', '203.0.113.7')).statusCode).toBe(429);
      // Another client behind the same proxy is another address.
      expect((await via('Demo!2026', '203.0.113.8')).statusCode).toBe(200);
      // An untrusted peer cannot choose its address by sending the header.
      for (let i = 0; i < 5; i++) expect((await via('wrong-password', `198.51.100.${i}`, '10.9.0.66')).statusCode).toBe(401);
      expect((await via('Demo!2026', '198.51.100.99', '10.9.0.66')).statusCode).toBe(429);
    } finally {
      await proxied.close();
    }
  });
});

describe('deactivated users', () => {
  it('cannot log in, and their sessions and access tokens stop working', async () => {
    const admin = await login(ctx.app, 'admin@ght-demo.fr');
    const victim = await login(ctx.app, 'karim.benali@ght-demo.fr', 'Demo!2026', '10.4.0.1');
    const res = await ctx.app.inject({ method: 'POST', url: `/api/v1/users/${victim.userId}/deactivate`, headers: admin.auth });
    expect(res.statusCode).toBe(200);
    expect(res.json().active).toBe(false);
    const me = await ctx.app.inject({ method: 'GET', url: '/api/v1/me', headers: victim.auth });
    expect(me.statusCode).toBe(401);
    expect((await post('/api/v1/auth/refresh', { refreshToken: victim.refreshToken }, '10.4.0.1')).statusCode).toBe(401);
    const again = await post('/api/v1/auth/login', { email: 'karim.benali@ght-demo.fr', password: 'Demo!2026' }, '10.4.0.1');
    expect(again.statusCode).toBe(401);
    expect(problemOf(again).code).toBe('account_disabled');
  });
});
