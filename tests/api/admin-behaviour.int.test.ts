import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, login, problemOf, type Session, type TestContext } from '../support/app.js';
import { demoIds, otherTerritory } from '../support/fixtures.js';

let ctx: TestContext;
let ids: Awaited<ReturnType<typeof demoIds>>;
let admin: Session;
beforeAll(async () => {
  ctx = await createTestContext();
  ids = await demoIds(ctx.database.db);
  admin = await login(ctx.app, 'admin@ght-demo.fr');
});
afterAll(async () => {
  await ctx?.close();
});

const req = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object, headers: Record<string, string> = {}) =>
  ctx.app.inject({ method, url, payload, headers: { ...admin.auth, ...headers } });

describe('sites', () => {
  const valid = { name: 'Clinique du Parc', shortCode: 'parc', finess: '690781810', kind: 'clinic', latitude: 45.75, longitude: 4.85 };

  it('creates a site, normalising the short code, with defaults', async () => {
    const res = await req('POST', '/api/v1/sites', valid);
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ shortCode: 'PARC', finess: '690781810', isSupportSite: false, version: 1, address: '' });
  });

  it('rejects a bad FINESS, a bad kind and out-of-range coordinates, naming each field', async () => {
    const res = await req('POST', '/api/v1/sites', { ...valid, finess: '69078181X', kind: 'hospital', latitude: 123 });
    expect(res.statusCode).toBe(400);
    const paths = problemOf(res).errors!.map((e) => e.path).sort();
    expect(paths).toEqual(['body.finess', 'body.kind', 'body.latitude']);
    expect(problemOf(res).errors!.find((e) => e.path === 'body.finess')!.message).toMatch(/FINESS/);
  });

  it('refuses a duplicate FINESS or short code with 409 naming the field', async () => {
    const dup = await req('POST', '/api/v1/sites', { ...valid, name: 'Autre', shortCode: 'AUTRE' });
    expect(dup.statusCode).toBe(409);
    expect(problemOf(dup).errors?.[0]?.path).toBe('body.finess');
    const code = await req('POST', '/api/v1/sites', { ...valid, name: 'Autre', finess: '750712184', shortCode: 'CHU' });
    expect(code.statusCode).toBe(409);
    expect(problemOf(code).errors?.[0]?.path).toBe('body.shortCode');
  });

  it('allows a single support site per territory', async () => {
    const res = await req('POST', '/api/v1/sites', { ...valid, name: 'Second support', shortCode: 'SUP2', finess: '330781196', isSupportSite: true });
    expect(res.statusCode).toBe(409);
    expect(problemOf(res).errors?.[0]?.path).toBe('body.isSupportSite');
  });

  it('updates with If-Match: 428 without it, 412 when stale, version bumped when current', async () => {
    const url = `/api/v1/sites/${ids.site('CH2')}`;
    const site = (await req('GET', url)).json();
    const missing = await req('PATCH', url, { city: 'Montclair-le-Haut' });
    expect(missing.statusCode).toBe(428);
    const ok = await req('PATCH', url, { city: 'Montclair-le-Haut' }, { 'if-match': String(site.version) });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ city: 'Montclair-le-Haut', version: site.version + 1 });
    const stale = await req('PATCH', url, { city: 'Perdu' }, { 'if-match': String(site.version) });
    expect(stale.statusCode).toBe(412);
    expect(problemOf(stale).code).toBe('version_mismatch');
    expect((await req('GET', url)).json().city).toBe('Montclair-le-Haut');
    const empty = await req('PATCH', url, {}, { 'if-match': String(site.version + 1) });
    expect(empty.statusCode).toBe(400);
  });

  it('lists with keyset pagination, sorted by name, and searches', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await req('GET', `/api/v1/sites?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body.items.length).toBeLessThanOrEqual(2);
      seen.push(...body.items.map((s: { name: string }) => s.name));
      cursor = body.nextCursor;
    } while (cursor);
    expect(seen.length).toBeGreaterThanOrEqual(6);
    expect([...seen].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))).toEqual(seen);
    const search = (await req('GET', '/api/v1/sites?q=tilleuls')).json();
    expect(search.items.map((s: { shortCode: string }) => s.shortCode)).toEqual(['EHPAD']);
    expect((await req('GET', '/api/v1/sites?cursor=garbage')).statusCode).toBe(400);
    expect((await req('GET', '/api/v1/sites?limit=500')).statusCode).toBe(400);
  });
});

describe('locations', () => {
  it('returns the tree depth-first with paths, building › floor › care unit › room', async () => {
    const items = (await req('GET', `/api/v1/sites/${ids.site('EHPAD')}/locations`)).json().items;
    expect(items.map((l: { kind: string }) => l.kind).slice(0, 4)).toEqual(['building', 'floor', 'care_unit', 'room']);
    const room = items.find((l: { kind: string }) => l.kind === 'room');
    expect(room.path.split(' › ')).toHaveLength(4);
    expect(room.depth).toBe(3);
  });

  it('enforces the levels when creating and moving', async () => {
    const site = ids.site('CH3');
    const b1 = (await req('POST', `/api/v1/sites/${site}/locations`, { kind: 'building', code: 'N1', label: 'Neuf 1' })).json();
    const b2 = (await req('POST', `/api/v1/sites/${site}/locations`, { kind: 'building', code: 'N2', label: 'Neuf 2' })).json();
    const floor = await req('POST', `/api/v1/sites/${site}/locations`, { kind: 'floor', parentId: b1.id, code: 'N1-0', label: 'RDC' });
    expect(floor.statusCode).toBe(201);
    expect(floor.json().path).toBe('N1 › N1-0');
    const roomUnderFloor = await req('POST', `/api/v1/sites/${site}/locations`, { kind: 'room', parentId: floor.json().id, code: 'R1', label: 'Salle' });
    expect(roomUnderFloor.statusCode).toBe(422);
    expect(problemOf(roomUnderFloor).code).toBe('invalid_parent');
    const buildingWithParent = await req('POST', `/api/v1/sites/${site}/locations`, { kind: 'building', parentId: b1.id, code: 'X', label: 'X' });
    expect(buildingWithParent.statusCode).toBe(422);
    const otherSite = await req('POST', `/api/v1/sites/${ids.site('CH2')}/locations`, { kind: 'floor', parentId: b1.id, code: 'F', label: 'F' });
    expect(otherSite.statusCode).toBe(422);
    const dup = await req('POST', `/api/v1/sites/${site}/locations`, { kind: 'floor', parentId: b1.id, code: 'N1-0', label: 'Doublon' });
    expect(dup.statusCode).toBe(409);

    const moved = await req('POST', `/api/v1/locations/${floor.json().id}/move`, { parentId: b2.id }, { 'if-match': '1' });
    expect(moved.statusCode).toBe(200);
    expect(moved.json()).toMatchObject({ parentId: b2.id, path: 'N2 › N1-0', version: 2 });
    const badMove = await req('POST', `/api/v1/locations/${floor.json().id}/move`, { parentId: null }, { 'if-match': '2' });
    expect(badMove.statusCode).toBe(422);
    const stale = await req('POST', `/api/v1/locations/${floor.json().id}/move`, { parentId: b1.id }, { 'if-match': '1' });
    expect(stale.statusCode).toBe(412);
  });
});

describe('users', () => {
  it('creates a user with roles; the user can log in with the new password', async () => {
    const res = await req('POST', '/api/v1/users', {
      email: 'Nouvelle.Technicienne@GHT-demo.fr', fullName: 'Nouvelle Technicienne', password: 'correct horse battery',
      homeSiteId: ids.site('CH2'), roles: [{ role: 'technician', siteId: ids.site('CH2') }, { role: 'technician', siteId: ids.site('CH3') }],
    });
    expect(res.statusCode).toBe(201);
    const user = res.json();
    expect(user).toMatchObject({ email: 'nouvelle.technicienne@ght-demo.fr', homeSiteName: 'CH de Montclair', active: true });
    expect(user.roles.map((r: { siteShortCode: string }) => r.siteShortCode).sort()).toEqual(['CH2', 'CH3']);
    expect(user).not.toHaveProperty('passwordHash');
    const session = await login(ctx.app, 'nouvelle.technicienne@ght-demo.fr', 'correct horse battery');
    expect(session.accessToken).toBeTruthy();
    const hash = await ctx.database.db.selectFrom('users').select('passwordHash').where('id', '=', user.id).executeTakeFirstOrThrow();
    expect(hash.passwordHash.startsWith('$argon2id$')).toBe(true);
  });

  it('refuses short passwords, duplicate emails and badly scoped roles', async () => {
    const short = await req('POST', '/api/v1/users', { email: 'court@ght-demo.fr', fullName: 'Court', password: 'short' });
    expect(short.statusCode).toBe(400);
    expect(problemOf(short).errors?.[0]).toMatchObject({ path: 'body.password' });
    expect(problemOf(short).errors?.[0]?.message).toMatch(/12/);
    const dup = await req('POST', '/api/v1/users', { email: 'tech.chu@ght-demo.fr', fullName: 'Doublon', password: 'a-long-password-1' });
    expect(dup.statusCode).toBe(409);
    expect(problemOf(dup).errors?.[0]?.path).toBe('body.email');
    const scope = await req('POST', '/api/v1/users', {
      email: 'scope@ght-demo.fr', fullName: 'Scope', password: 'a-long-password-1',
      roles: [{ role: 'technician', siteId: null }, { role: 'territory_admin', siteId: ids.site('CHU') }],
    });
    expect(scope.statusCode).toBe(400);
    expect(problemOf(scope).errors!.map((e) => e.path)).toEqual(['body.roles.0.siteId', 'body.roles.1.siteId']);
  });

  it('refuses weak passwords with a French reason naming body.password, and accepts a strong one', async () => {
    const person = { email: 'marie.dupont@ght-demo.fr', fullName: 'Marie Dupont' };
    const weak = {
      repeated: 'aaaaaaaaaaaaaaa',
      sequence: 'abcdefghijklmn',
      keyboard: 'azertyuiop123',
      common: 'password12345',
      frenchCommon: 'motdepasse2026',
      email: 'marie.dupont@ght-demo.fr',
      name: 'MarieDupont2026',
    };
    for (const [kind, password] of Object.entries(weak)) {
      const res = await req('POST', '/api/v1/users', { ...person, password });
      expect(res.statusCode, kind).toBe(400);
      const p = problemOf(res);
      expect(p.code, kind).toBe('validation_failed');
      expect(p.errors, kind).toEqual([{ path: 'body.password', message: expect.stringMatching(/^Mot de passe trop faible : .+/), code: 'weak_password' }]);
      expect(p.detail, kind).toBe(p.errors![0]!.message);
    }
    expect(problemOf(await req('POST', '/api/v1/users', { ...person, password: 'MarieDupont2026' })).errors![0]!.message).toMatch(/adresse e-mail ou votre nom/);
    const strong = await req('POST', '/api/v1/users', { ...person, password: 'Tr0mbone-Glacier-88' });
    expect(strong.statusCode).toBe(201);
  });

  it('filters by site, role, activity and text', async () => {
    const techsCh1 = (await req('GET', `/api/v1/users?siteId=${ids.site('CH1')}&role=technician`)).json().items;
    expect(techsCh1.map((u: { email: string }) => u.email).sort()).toEqual(['nicolas.bonnet@ght-demo.fr', 'sarah.lambert@ght-demo.fr', 'tech.ch1@ght-demo.fr']);
    const q = (await req('GET', '/api/v1/users?q=soignante')).json().items;
    expect(q.map((u: { email: string }) => u.email)).toEqual(['soignant.chu@ght-demo.fr']);
    const inactive = (await req('GET', '/api/v1/users?active=false')).json().items;
    expect(inactive.every((u: { active: boolean }) => !u.active)).toBe(true);
    expect((await req('GET', '/api/v1/users?role=king')).statusCode).toBe(400);
  });

  it('keeps the last territory admin, and nobody deactivates themselves', async () => {
    const me = (await req('GET', '/api/v1/me')).json();
    const adminGrant = me.roles.find((r: { role: string }) => r.role === 'territory_admin');
    const last = await req('DELETE', `/api/v1/users/${me.id}/roles/${adminGrant.id}`);
    expect(last.statusCode).toBe(409);
    expect(problemOf(last).code).toBe('last_admin');
    const self = await req('POST', `/api/v1/users/${me.id}/deactivate`);
    expect(self.statusCode).toBe(422);
  });

  it('reactivates a user', async () => {
    const id = ids.user('louis.petit@ght-demo.fr');
    expect((await req('POST', `/api/v1/users/${id}/deactivate`)).json().active).toBe(false);
    expect((await req('POST', `/api/v1/users/${id}/activate`)).json().active).toBe(true);
    await login(ctx.app, 'louis.petit@ght-demo.fr');
  });
});

describe('another territory’s emails and FINESS numbers (docs/adr/0007)', () => {
  let other: Awaited<ReturnType<typeof otherTerritory>>;
  beforeAll(async () => {
    other = await otherTerritory(ctx.database.db);
  });

  it('a site may take a FINESS another territory uses: uniqueness is per territory', async () => {
    const res = await req('POST', '/api/v1/sites', { name: 'CH Voisin (antenne)', shortCode: 'VANT', finess: '330781196', kind: 'CH' });
    expect(res.statusCode).toBe(201);
    // Within the territory, the FINESS stays unique.
    const again = await req('POST', '/api/v1/sites', { name: 'Encore', shortCode: 'ENC', finess: '330781196', kind: 'CH' });
    expect(again.statusCode).toBe(409);
    expect(problemOf(again).errors).toEqual([{ path: 'body.finess', message: 'Ce numéro FINESS est déjà enregistré dans le territoire.' }]);
    // The other territory's site is untouched and still its own.
    const theirs = await ctx.database.db.selectFrom('sites').select(['territoryId', 'name']).where('id', '=', other.siteId).executeTakeFirstOrThrow();
    expect(theirs).toEqual({ territoryId: other.territoryId, name: 'CH Voisin' });
  });

  it('an email used in another territory gets the same answer as one used here, which says nothing of who holds it', async () => {
    const create = (email: string) => req('POST', '/api/v1/users', { email, fullName: 'Agent Nouveau', password: 'Tr0mbone-Glacier-88' });
    const elsewhere = await create('admin@ght-voisin.fr');
    const here = await create('tech.chu@ght-demo.fr');
    expect(elsewhere.statusCode).toBe(409);
    const strip = (p: ReturnType<typeof problemOf>) => ({ ...p, instance: undefined, requestId: undefined });
    expect(strip(problemOf(elsewhere))).toEqual(strip(problemOf(here)));
    expect(problemOf(elsewhere).errors).toEqual([{ path: 'body.email', message: 'Cette adresse e-mail ne peut pas être utilisée pour un nouveau compte.' }]);
    expect(problemOf(elsewhere).detail).not.toMatch(/existe|voisin|territoire/i);
    expect(elsewhere.body).not.toMatch(/voisin/i);
    expect(elsewhere.body).not.toContain(other.userId);
  });
});
