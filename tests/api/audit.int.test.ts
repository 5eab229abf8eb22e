import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, login, type TestContext } from '../support/app.js';
import { demoIds } from '../support/fixtures.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => {
  await ctx?.close();
});

const auditOf = (entityId: string) =>
  ctx.database.db.selectFrom('auditLog').selectAll().where('entityId', '=', entityId).orderBy('id').execute();

describe('audit trail', () => {
  it('records every write with actor, action, before/after and request id', async () => {
    const ids = await demoIds(ctx.database.db);
    const admin = await login(ctx.app, 'admin@ght-demo.fr');
    const h = { ...admin.auth, 'x-request-id': 'req-audit-1' };

    const site = await ctx.app.inject({ method: 'POST', url: '/api/v1/sites', headers: h, payload: { name: 'Clinique Audit', shortCode: 'AUD', finess: '690781810', kind: 'clinic' } });
    const siteId = site.json().id;
    await ctx.app.inject({ method: 'PATCH', url: `/api/v1/sites/${siteId}`, headers: { ...h, 'if-match': '1' }, payload: { city: 'Lyon' } });
    const loc = await ctx.app.inject({ method: 'POST', url: `/api/v1/sites/${siteId}/locations`, headers: h, payload: { kind: 'building', code: 'A', label: 'A' } });
    const user = await ctx.app.inject({ method: 'POST', url: '/api/v1/users', headers: h, payload: { email: 'audit@ght-demo.fr', fullName: 'Audit', password: 'a-long-password-1' } });
    const grant = await ctx.app.inject({ method: 'POST', url: `/api/v1/users/${user.json().id}/roles`, headers: h, payload: { role: 'technician', siteId: ids.site('CHU') } });
    await ctx.app.inject({ method: 'DELETE', url: `/api/v1/users/${user.json().id}/roles/${grant.json().id}`, headers: h });
    await ctx.app.inject({ method: 'POST', url: `/api/v1/users/${user.json().id}/deactivate`, headers: h });

    const siteAudit = await auditOf(siteId);
    expect(siteAudit.map((a) => a.action)).toEqual(['site.create', 'site.update']);
    expect(siteAudit[0]).toMatchObject({ actorId: admin.userId, entityType: 'site', requestId: 'req-audit-1', before: null });
    expect(siteAudit[1]!.before).toMatchObject({ city: '', version: 1 });
    expect(siteAudit[1]!.after).toMatchObject({ city: 'Lyon', version: 2 });
    expect((await auditOf(loc.json().id)).map((a) => a.action)).toEqual(['location.create']);
    const userAudit = await auditOf(user.json().id);
    expect(userAudit.map((a) => a.action)).toEqual(['user.create', 'role.grant', 'role.revoke', 'user.deactivate']);
    // Never a password or its hash in the trail.
    expect(JSON.stringify(userAudit)).not.toMatch(/password|argon2/i);
  });

  it('records sign-ins', async () => {
    const s = await login(ctx.app, 'tech.chu@ght-demo.fr');
    const rows = await auditOf(s.userId);
    expect(rows.some((r) => r.action === 'auth.login')).toBe(true);
  });

  it('cannot be altered: UPDATE, DELETE and TRUNCATE are refused by the database', async () => {
    const db = ctx.database.db;
    const before = await db.selectFrom('auditLog').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    await expect(db.updateTable('auditLog').set({ action: 'forged' }).execute()).rejects.toThrow(/append-only/);
    await expect(db.deleteFrom('auditLog').execute()).rejects.toThrow(/append-only/);
    await expect(sql`truncate audit_log`.execute(db)).rejects.toThrow(/append-only/);
    const after = await db.selectFrom('auditLog').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
    expect(await db.selectFrom('auditLog').select('id').where('action', '=', 'forged').execute()).toHaveLength(0);
  });
});
