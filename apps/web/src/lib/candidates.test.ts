import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CertificateList, WorkOrderCandidate, WorkOrderCandidates } from '@gmao/contracts';
import { ApiError } from '../api/client.ts';
import { candidatesApi, certificatesApi } from '../api/candidates-endpoints.ts';
import {
  certificateState, distanceText, filterCandidates, hoursText, isMissingRoute, needsConfirmation, noticeItems, noticeScope,
} from './candidates.ts';

const SITE_A = '00000000-0000-4000-8000-00000000000a';
const SITE_B = '00000000-0000-4000-8000-00000000000b';
const SKILL = '00000000-0000-4000-8000-0000000000c1';
const uid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

function candidate(over: Partial<WorkOrderCandidate> = {}): WorkOrderCandidate {
  return {
    userId: uid(1), name: 'Thomas Technicien', siteId: SITE_A, siteName: 'CH Alpha', level: 'confirmed', validated: true,
    meetsRequirement: true, certificateValid: true, certificateExpiresAt: '2027-05-01', distanceKm: 0, openHours: 6, score: 100,
    reasons: ['Confirmé (validé), le niveau demandé'], reasonCodes: ['level_validated'], ...over,
  };
}
const answer = (items: WorkOrderCandidate[], skill: string | null = SKILL): WorkOrderCandidates => ({
  requiredSkillId: skill, requiredSkillName: skill ? 'Échographes' : null, requiredLevel: skill ? 'confirmed' : null,
  requirementSource: skill ? 'category' : 'none', items,
});

describe('needsConfirmation', () => {
  it('asks before choosing someone who does not meet a known requirement', () => {
    const req = answer([]);
    expect(needsConfirmation(req, candidate({ meetsRequirement: false, level: null }))).toBe(true);
    expect(needsConfirmation(req, candidate({ meetsRequirement: false, level: 'beginner' }))).toBe(true);
    // Proposed at the level but not validated: does not meet it either.
    expect(needsConfirmation(req, candidate({ meetsRequirement: false, validated: false, level: 'expert' }))).toBe(true);
    expect(needsConfirmation(req, candidate({ meetsRequirement: true }))).toBe(false);
  });

  it('asks nothing when no skill is known to be required', () => {
    expect(needsConfirmation(answer([], null), candidate({ meetsRequirement: false, level: null }))).toBe(false);
  });
});

describe('certificateState', () => {
  it('tells valid, expired and none apart', () => {
    expect(certificateState({ certificateValid: true, certificateExpiresAt: '2027-01-31' })).toEqual({ kind: 'valid', date: '2027-01-31' });
    expect(certificateState({ certificateValid: false, certificateExpiresAt: '2026-01-31' })).toEqual({ kind: 'expired', date: '2026-01-31' });
    expect(certificateState({ certificateValid: false, certificateExpiresAt: null })).toEqual({ kind: 'none' });
  });
});

describe('distanceText and hoursText', () => {
  it('writes whole kilometres from 10 km, one decimal below, nothing on the same site or without coordinates', () => {
    expect(distanceText(42.4, 'fr')).toBe('42');
    expect(distanceText(41.6, 'en')).toBe('42');
    expect(distanceText(3.46, 'fr')).toBe('3,5');
    expect(distanceText(3.46, 'en')).toBe('3.5');
    expect(distanceText(0, 'fr')).toBeNull();
    expect(distanceText(null, 'fr')).toBeNull();
  });

  it('writes open hours with one decimal at most, nothing without open work', () => {
    expect(hoursText(6, 'fr')).toBe('6');
    expect(hoursText(1.5, 'fr')).toBe('1,5');
    expect(hoursText(2.25, 'en')).toBe('2.3');
    expect(hoursText(0, 'fr')).toBeNull();
  });
});

describe('filterCandidates', () => {
  const items = [
    candidate({ userId: uid(1), name: 'Thomas Technicien', siteName: 'CH Alpha' }),
    candidate({ userId: uid(2), name: 'Camille Évrard', siteId: SITE_B, siteName: 'Hôpital Bêta' }),
    candidate({ userId: uid(3), name: 'Zoé Martin', siteName: 'CH Alpha' }),
  ];
  it('matches the name or the site, ignoring case and accents, keeping the rank', () => {
    expect(filterCandidates(items, 'evrard').map((c) => c.userId)).toEqual([uid(2)]);
    expect(filterCandidates(items, 'beta').map((c) => c.userId)).toEqual([uid(2)]);
    expect(filterCandidates(items, 'alpha').map((c) => c.userId)).toEqual([uid(1), uid(3)]);
    expect(filterCandidates(items, '  ').map((c) => c.userId)).toEqual([uid(1), uid(2), uid(3)]);
    expect(filterCandidates(items, 'nobody')).toEqual([]);
  });
});

describe('the home notice', () => {
  const grant = (role: string) => ({ role, siteId: SITE_A }) as never;
  it('shows the team to engineers, site managers and admins, their own to others, nothing without the right', () => {
    expect(noticeScope({ grants: [grant('engineer')] }, true)).toBe('team');
    expect(noticeScope({ grants: [grant('site_manager')] }, true)).toBe('team');
    expect(noticeScope({ grants: [{ role: 'territory_admin', siteId: null } as never, grant('technician')] }, true)).toBe('team');
    expect(noticeScope({ grants: [grant('technician')] }, true)).toBe('own');
    expect(noticeScope({ grants: [grant('care_staff')] }, false)).toBeNull();
    expect(noticeScope(null, true)).toBeNull();
  });

  it('keeps only the user’s own certificates for a technician', () => {
    const cert = (userId: string, skillId: string) => ({
      userId, name: 'X', siteIds: [SITE_A], skillId, skillCode: 'C', skillName: 'S', level: 'confirmed' as const, validated: true,
      certificateExpiresAt: '2026-12-01', daysLeft: 10, expired: false,
    });
    const list: Pick<CertificateList, 'items'> = { items: [cert(uid(1), uid(10)), cert(uid(2), uid(11)), cert(uid(1), uid(12))] };
    expect(noticeItems(list, 'own', uid(1)).map((c) => c.skillId)).toEqual([uid(10), uid(12)]);
    expect(noticeItems(list, 'own', uid(3))).toEqual([]);
    expect(noticeItems(list, 'team', uid(3))).toHaveLength(3);
  });
});

describe('the candidates and certificates endpoints (mocked answers)', () => {
  afterEach(() => vi.unstubAllGlobals());
  const json = (status: number, body: unknown) =>
    new Response(JSON.stringify(body), { status, headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json' } });

  it('reads the ranked candidates with the contract, asking for the limit', async () => {
    const fetch = vi.fn(async () => json(200, answer([candidate()])));
    vi.stubGlobal('fetch', fetch);
    const got = await candidatesApi.forWorkOrder(uid(99), 200);
    expect(got.items[0]?.name).toBe('Thomas Technicien');
    expect(String((fetch.mock.calls[0] as unknown[])[0])).toContain(`/api/v1/work-orders/${uid(99)}/candidates?limit=200`);
  });

  it('says the route is missing (fall back to the search by name) only for a 404 of the route, not of the work order', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => json(404, { type: 'about:blank', title: 'Not Found', status: 404, code: 'route_not_found', detail: 'Aucune route' })));
    const missing = await candidatesApi.forWorkOrder(uid(99)).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(ApiError);
    expect(isMissingRoute(missing)).toBe(true);

    vi.stubGlobal('fetch', vi.fn(async () => json(404, { type: 'about:blank', title: 'Not Found', status: 404, code: 'not_found', detail: 'Bon introuvable.' })));
    const gone = await candidatesApi.forWorkOrder(uid(99)).catch((e: unknown) => e);
    expect(isMissingRoute(gone)).toBe(false);
    expect(isMissingRoute(new Error('x'))).toBe(false);
  });

  it('asks for the certificates expiring within 90 days', async () => {
    const fetch = vi.fn(async () => json(200, { asOf: '2026-11-30', withinDays: 90, items: [] }));
    vi.stubGlobal('fetch', fetch);
    expect((await certificatesApi.expiring()).withinDays).toBe(90);
    expect(String((fetch.mock.calls[0] as unknown[])[0])).toContain('/api/v1/competency/certificates?withinDays=90');
  });
});
