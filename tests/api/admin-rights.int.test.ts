import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, login, problemOf, type Session, type TestContext } from '../support/app.js';
import { demoIds, otherTerritory } from '../support/fixtures.js';

/**
 * The rights matrix over the admin endpoints, for each demo user: who may list, create
 * and change sites, locations and users, at their own site and at another. Ids of another
 * territory answer 404 to everyone.
 */
let ctx: TestContext;
let ids: Awaited<ReturnType<typeof demoIds>>;
let other: Awaited<ReturnType<typeof otherTerritory>>;
const sessions: Record<string, Session> = {};
const USERS = {
  admin: 'admin@ght-demo.fr',
  engineer: 'ingenieur@ght-demo.fr',
  techChu: 'tech.chu@ght-demo.fr',
  techCh1: 'tech.ch1@ght-demo.fr',
  managerCh1: 'responsable.ch1@ght-demo.fr',
  careChu: 'soignant.chu@ght-demo.fr',
} as const;
type Who = keyof typeof USERS;
const EVERYONE = Object.keys(USERS) as Who[];

beforeAll(async () => {
  ctx = await createTestContext();
  ids = await demoIds(ctx.database.db);
  other = await otherTerritory(ctx.database.db);
  for (const [k, email] of Object.entries(USERS)) sessions[k] = await login(ctx.app, email);
});
afterAll(async () => {
  await ctx?.close();
});

async function call(who: Who, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object, headers: Record<string, string> = {}) {
  return ctx.app.inject({ method, url, payload, headers: { ...sessions[who]!.auth, ...headers } });
}
async function version(url: string): Promise<string> {
  return String((await call('admin', 'GET', url)).json().version);
}
let seq = 0;
const uniq = () => `${Date.now().toString(36)}${seq++}`;

function expectAllowed(res: { statusCode: number }, allowed: boolean, okStatus = 200) {
  expect(res.statusCode).toBe(allowed ? okStatus : 403);
}

describe('sites', () => {
  it('everyone signed in lists and reads every site of the territory', async () => {
    for (const who of EVERYONE) {
      const res = await call(who, 'GET', '/api/v1/sites');
      expect(res.statusCode).toBe(200);
      expect(res.json().items).toHaveLength(5);
      expect((await call(who, 'GET', `/api/v1/sites/${ids.site('EHPAD')}`)).statusCode).toBe(200);
    }
  });

  it('only the territory admin creates a site', async () => {
    for (const who of EVERYONE) {
      const res = await call(who, 'POST', '/api/v1/sites', { name: `Clinique ${uniq()}`, shortCode: `C${uniq()}`.slice(0, 12), finess: '750712184', kind: 'clinic' });
      if (who === 'admin') {
        expect(res.statusCode).toBe(201);
        expect(res.headers.location).toBe(`/api/v1/sites/${res.json().id}`);
      } else {
        expect(res.statusCode).toBe(403);
        expect(problemOf(res).code).toBe('forbidden');
      }
    }
  });

  it('the admin and the site manager of CH1 update CH1; nobody else does', async () => {
    for (const who of EVERYONE) {
      const url = `/api/v1/sites/${ids.site('CH1')}`;
      const res = await call(who, 'PATCH', url, { city: `Bellerive ${uniq()}` }, { 'if-match': await version(url) });
      expectAllowed(res, who === 'admin' || who === 'managerCh1');
    }
  });

  it('the site manager of CH1 cannot update the CHU', async () => {
    const url = `/api/v1/sites/${ids.site('CHU')}`;
    const res = await call('managerCh1', 'PATCH', url, { city: 'Ailleurs' }, { 'if-match': await version(url) });
    expect(res.statusCode).toBe(403);
  });
});

describe('locations', () => {
  it('everyone reads a site tree', async () => {
    for (const who of EVERYONE) {
      const res = await call(who, 'GET', `/api/v1/sites/${ids.site('CHU')}/locations`);
      expect(res.statusCode).toBe(200);
      expect(res.json().items.length).toBeGreaterThan(50);
    }
  });

  it('the admin and the site manager add buildings at CH1; at the CHU only the admin', async () => {
    for (const who of EVERYONE) {
      const ch1 = await call(who, 'POST', `/api/v1/sites/${ids.site('CH1')}/locations`, { kind: 'building', code: `X${uniq()}`, label: 'Extension' });
      expectAllowed(ch1, who === 'admin' || who === 'managerCh1', 201);
      const chu = await call(who, 'POST', `/api/v1/sites/${ids.site('CHU')}/locations`, { kind: 'building', code: `X${uniq()}`, label: 'Extension' });
      expectAllowed(chu, who === 'admin', 201);
    }
  });

  it('update and move follow the same rule', async () => {
    const tree = (await call('admin', 'GET', `/api/v1/sites/${ids.site('CH1')}/locations`)).json().items;
    const floor = tree.find((l: { kind: string }) => l.kind === 'floor');
    for (const who of EVERYONE) {
      const url = `/api/v1/locations/${floor.id}`;
      const current = (await call('admin', 'GET', `/api/v1/sites/${ids.site('CH1')}/locations`)).json().items.find((l: { id: string }) => l.id === floor.id);
      const res = await call(who, 'PATCH', url, { label: `Étage ${uniq()}` }, { 'if-match': String(current.version) });
      expectAllowed(res, who === 'admin' || who === 'managerCh1');
    }
  });
});

describe('users', () => {
  it('the admin and site managers list users; others may not', async () => {
    for (const who of EVERYONE) {
      const res = await call(who, 'GET', '/api/v1/users');
      expectAllowed(res, who === 'admin' || who === 'managerCh1');
    }
  });

  it('everyone reads their own user record', async () => {
    for (const who of EVERYONE) {
      expect((await call(who, 'GET', `/api/v1/users/${sessions[who]!.userId}`)).statusCode).toBe(200);
    }
    expect((await call('techChu', 'GET', `/api/v1/users/${sessions.admin!.userId}`)).statusCode).toBe(403);
  });

  it('only the admin creates and deactivates users', async () => {
    for (const who of EVERYONE) {
      const res = await call(who, 'POST', '/api/v1/users', {
        email: `new.${uniq()}@ght-demo.fr`, fullName: 'Nouvel Agent', password: 'a-long-password-1', homeSiteId: ids.site('CH1'),
        roles: [{ role: 'technician', siteId: ids.site('CH1') }],
      });
      expectAllowed(res, who === 'admin', 201);
      if (res.statusCode === 201) {
        for (const w of EVERYONE) {
          const d = await call(w, 'POST', `/api/v1/users/${res.json().id}/deactivate`);
          expectAllowed(d, w === 'admin');
        }
      }
    }
  });

  it('a site manager grants and revokes technician roles on their own site only', async () => {
    const target = ids.user('nicolas.bonnet@ght-demo.fr');
    const techAtCh1 = { role: 'care_staff', siteId: ids.site('CH1') };
    for (const who of EVERYONE) {
      const res = await call(who, 'POST', `/api/v1/users/${target}/roles`, techAtCh1);
      expectAllowed(res, who === 'admin' || who === 'managerCh1', 201);
      if (res.statusCode === 201) {
        const del = await call(who, 'DELETE', `/api/v1/users/${target}/roles/${res.json().id}`);
        expect(del.statusCode).toBe(204);
      }
    }
    const atChu = await call('managerCh1', 'POST', `/api/v1/users/${target}/roles`, { role: 'technician', siteId: ids.site('CHU') });
    expect(atChu.statusCode).toBe(403);
    const manager = await call('managerCh1', 'POST', `/api/v1/users/${target}/roles`, { role: 'site_manager', siteId: ids.site('CH1') });
    expect(manager.statusCode).toBe(403);
    const admin = await call('managerCh1', 'POST', `/api/v1/users/${target}/roles`, { role: 'territory_admin', siteId: null });
    expect(admin.statusCode).toBe(403);
  });

  it('a granted role takes effect at once, and its revocation too', async () => {
    const tech = sessions.techCh1!;
    const url = `/api/v1/sites/${ids.site('CH1')}/locations`;
    expect((await call('techCh1', 'POST', url, { kind: 'building', code: `G${uniq()}`, label: 'G' })).statusCode).toBe(403);
    const grant = await call('admin', 'POST', `/api/v1/users/${tech.userId}/roles`, { role: 'site_manager', siteId: ids.site('CH1') });
    expect(grant.statusCode).toBe(201);
    expect((await call('techCh1', 'POST', url, { kind: 'building', code: `G${uniq()}`, label: 'G' })).statusCode).toBe(201);
    expect((await call('admin', 'DELETE', `/api/v1/users/${tech.userId}/roles/${grant.json().id}`)).statusCode).toBe(204);
    expect((await call('techCh1', 'POST', url, { kind: 'building', code: `G${uniq()}`, label: 'G' })).statusCode).toBe(403);
  });
});

describe('another territory', () => {
  it('its ids answer 404 to everyone, admin included', async () => {
    for (const who of EVERYONE) {
      expect((await call(who, 'GET', `/api/v1/sites/${other.siteId}`)).statusCode).toBe(404);
      expect((await call(who, 'PATCH', `/api/v1/sites/${other.siteId}`, { city: 'X' }, { 'if-match': '1' })).statusCode).toBe(404);
      expect((await call(who, 'GET', `/api/v1/sites/${other.siteId}/locations`)).statusCode).toBe(404);
      expect((await call(who, 'POST', `/api/v1/sites/${other.siteId}/locations`, { kind: 'building', code: 'Z', label: 'Z' })).statusCode).toBe(404);
      expect((await call(who, 'PATCH', `/api/v1/locations/${other.locationId}`, { label: 'X' }, { 'if-match': '1' })).statusCode).toBe(404);
      expect((await call(who, 'POST', `/api/v1/locations/${other.locationId}/move`, { parentId: null }, { 'if-match': '1' })).statusCode).toBe(404);
    }
    const adminCalls = [
      await call('admin', 'GET', `/api/v1/users/${other.userId}`),
      await call('admin', 'POST', `/api/v1/users/${other.userId}/deactivate`),
      await call('admin', 'POST', `/api/v1/users/${other.userId}/roles`, { role: 'technician', siteId: ids.site('CHU') }),
      await call('admin', 'DELETE', `/api/v1/users/${other.userId}/roles/${other.grantId}`),
    ];
    expect(adminCalls.map((r) => r.statusCode)).toEqual([404, 404, 404, 404]);
  });

  it('lists never show it, and its sites cannot be used in grants', async () => {
    const sites = (await call('admin', 'GET', '/api/v1/sites?limit=200')).json().items;
    expect(sites.map((s: { id: string }) => s.id)).not.toContain(other.siteId);
    const users = (await call('admin', 'GET', '/api/v1/users?limit=200')).json().items;
    expect(users.map((u: { id: string }) => u.id)).not.toContain(other.userId);
    const res = await call('admin', 'POST', `/api/v1/users/${ids.user('lea.rousseau@ght-demo.fr')}/roles`, { role: 'technician', siteId: other.siteId });
    expect(res.statusCode).toBe(400);
    expect(problemOf(res).errors?.[0]?.path).toBe('body.siteId');
  });
});
