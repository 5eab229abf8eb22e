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

describe('login rate limit', () => {
  it('429 after 10 failures in a minute for one email, whatever the IP', async () => {
    const email = 'responsable.ch1@ght-demo.fr';
    for (let i = 0; i < 10; i++) {
      const r = await post('/api/v1/auth/login', { email, password: 'wrong-password' }, `10.2.0.${i}`);
      expect(r.statusCode).toBe(401);
    }
    const blocked = await post('/api/v1/auth/login', { email, password: 'Demo!2026' }, '10.2.0.99');
    expect(blocked.statusCode).toBe(429);
    expect(problemOf(blocked).code).toBe('too_many_attempts');
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(blocked.headers['retry-after'])).toBeLessThanOrEqual(60);
  });

  it('429 after 10 failures in a minute from one IP, whatever the email', async () => {
    const ip = '10.3.0.1';
    for (let i = 0; i < 10; i++) {
      expect((await post('/api/v1/auth/login', { email: `nobody${i}@ght-demo.fr`, password: 'wrong-password' }, ip)).statusCode).toBe(401);
    }
    expect((await post('/api/v1/auth/login', { email: 'tech.chu@ght-demo.fr', password: 'Demo!2026' }, ip)).statusCode).toBe(429);
    // Another IP is not affected.
    expect((await post('/api/v1/auth/login', { email: 'tech.chu@ght-demo.fr', password: 'Demo!2026' }, '10.3.0.2')).statusCode).toBe(200);
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
