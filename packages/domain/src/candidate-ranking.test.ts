import { describe, expect, it } from 'vitest';
import {
  candidateReasonText, candidateScore, estimatedWorkMinutes, hoursOf, nearestSite, rankCandidates,
  type CandidatePerson, type CandidateRequirement, type RankedCandidate,
} from './candidate-ranking.js';
import { distanceKm } from './stock.js';

const WO_SITE = 'site-local';
const TODAY = '2026-06-01';
const local = { siteId: WO_SITE, siteName: 'CH de Bellerive', distanceKm: 0 };
const north = (km: number | null) => ({ siteId: 'site-north', siteName: 'Hôpital Nord', distanceKm: km });

const person = (userId: string, name: string, over: Partial<CandidatePerson> = {}): CandidatePerson => ({
  userId, name, level: null, validated: false, certificateExpiresAt: null, sites: [local], openHours: 0, ...over,
});
const requires = (minimumLevel: CandidateRequirement['minimumLevel']): CandidateRequirement => ({ skillId: 'skill-1', minimumLevel });
const texts = (c: RankedCandidate, locale: 'fr' | 'en' = 'fr') => c.reasons.map((r) => candidateReasonText(r, locale));
const ids = (list: RankedCandidate[]) => list.map((c) => c.userId);

describe('candidate ranking', () => {
  it('no candidate at all: an empty list', () => {
    expect(rankCandidates(requires('confirmed'), WO_SITE, [], TODAY)).toEqual([]);
    expect(rankCandidates({ skillId: null, minimumLevel: null }, WO_SITE, [], TODAY)).toEqual([]);
  });

  it('ties: equal in everything, by name (French collation) then by id, whatever the input order', () => {
    const people = [
      person('u-3', 'Élodie Martin'), person('u-2', 'Emile Durand'), person('u-9', 'Zoé Roux'),
      person('u-1', 'Emile Durand'), person('u-4', 'élodie martin'),
    ];
    // « Élodie » sorts with the E's (é = e, then l < m), not after Z; equal names by id.
    const expectedByName = ['u-3', 'u-4', 'u-1', 'u-2', 'u-9'];
    const once = rankCandidates(requires('confirmed'), WO_SITE, people, TODAY);
    expect(ids(once)).toEqual(expectedByName);
    expect(ids(rankCandidates(requires('confirmed'), WO_SITE, [...people].reverse(), TODAY))).toEqual(expectedByName);
    expect(new Set(once.map((c) => c.score)).size).toBe(1);
  });

  it('an expired certificate ranks below a valid one, and the reason says so', () => {
    const ranked = rankCandidates(requires('confirmed'), WO_SITE, [
      person('u-exp', 'Alice', { level: 'expert', validated: true, certificateExpiresAt: '2026-03-12' }),
      person('u-ok', 'Bruno', { level: 'confirmed', validated: true, certificateExpiresAt: '2027-01-31', openHours: 12 }),
    ], TODAY);
    expect(ids(ranked)).toEqual(['u-ok', 'u-exp']);
    const [ok, expired] = ranked as [RankedCandidate, RankedCandidate];
    expect(ok.certificateValid).toBe(true);
    expect(expired.certificateValid).toBe(false);
    expect(expired.meetsRequirement).toBe(true);
    expect(expired.tier).toBe(2);
    expect(texts(expired)).toContain('Certificat expiré le 12/03/2026');
    expect(texts(expired, 'en')).toContain('Certificate expired on 12/03/2026');
    expect(texts(ok)).toContain('Certificat valable jusqu’au 31/01/2027');
    expect(ok.score).toBeGreaterThan(expired.score);
  });

  it('a certificate expiring today is still valid; none recorded is not an expired one', () => {
    const ranked = rankCandidates(requires('confirmed'), WO_SITE, [
      person('u-none', 'Alice', { level: 'confirmed', validated: true, sites: [north(10)] }),
      person('u-today', 'Bruno', { level: 'confirmed', validated: true, certificateExpiresAt: TODAY, sites: [north(20)] }),
    ], TODAY);
    expect(ranked.map((c) => [c.userId, c.tier, c.certificateValid])).toEqual([['u-none', 1, false], ['u-today', 1, true]]);
  });

  it('a cross-site expert wins over a local beginner when the requirement is confirmed', () => {
    const ranked = rankCandidates(requires('confirmed'), WO_SITE, [
      person('u-beg', 'Aline Local', { level: 'beginner', validated: true }),
      person('u-exp', 'Xavier Loin', { level: 'expert', validated: true, sites: [north(42)], openHours: 6 }),
    ], TODAY);
    expect(ids(ranked)).toEqual(['u-exp', 'u-beg']);
    const [expert, beginner] = ranked as [RankedCandidate, RankedCandidate];
    expect(texts(expert)).toEqual(['Expert validé (niveau requis : confirmé)', 'Site Hôpital Nord, à 42 km', '6 h de travail ouvert']);
    expect(texts(beginner)).toEqual(['Niveau débutant, insuffisant (niveau requis : confirmé)', 'Même site', 'Aucun travail ouvert']);
    expect(texts(expert, 'en')).toEqual(['Validated expert (required level: confirmed)', 'Site Hôpital Nord, 42 km away', '6 h of open work']);
    expect(texts(beginner, 'en')[0]).toBe('Beginner level, not enough (required level: confirmed)');
    expect(expert).toMatchObject({ meetsRequirement: true, siteId: 'site-north', distanceKm: 42, sameSite: false });
    expect(beginner).toMatchObject({ meetsRequirement: false, siteId: WO_SITE, distanceKm: 0, sameSite: true, tier: 3 });
    expect(expert.score).toBeGreaterThan(beginner.score);
  });

  it('when the requirement is beginner, the local beginner wins over a distant expert', () => {
    const ranked = rankCandidates(requires('beginner'), WO_SITE, [
      person('u-exp', 'Aline Loin', { level: 'expert', validated: true, sites: [north(42)] }),
      person('u-beg', 'Xavier Local', { level: 'beginner', validated: true, openHours: 8 }),
    ], TODAY);
    expect(ids(ranked)).toEqual(['u-beg', 'u-exp']);
    expect(texts(ranked[0]!)[0]).toBe('Débutant validé (niveau requis : débutant)');
  });

  it('the four tiers: meets, meets with an expired certificate, below or proposed, without', () => {
    const ranked = rankCandidates(requires('confirmed'), WO_SITE, [
      person('u-none', 'A'),
      person('u-prop', 'B', { level: 'expert', validated: false }),
      person('u-low', 'C', { level: 'beginner', validated: true }),
      person('u-exp', 'D', { level: 'confirmed', validated: true, certificateExpiresAt: '2026-01-01' }),
      person('u-ok', 'E', { level: 'confirmed', validated: true, sites: [north(null)] }),
    ], TODAY);
    expect(ranked.map((c) => [c.userId, c.tier])).toEqual([['u-ok', 1], ['u-exp', 2], ['u-prop', 3], ['u-low', 3], ['u-none', 4]]);
    expect(texts(ranked.find((c) => c.userId === 'u-prop')!)[0]).toBe('Compétence proposée, non validée (niveau expert)');
    expect(texts(ranked.find((c) => c.userId === 'u-none')!)[0]).toBe('Sans la compétence requise');
    expect(texts(ranked[0]!)).toContain('Site Hôpital Nord, distance inconnue');
  });

  it('inside a tier: same site, then distance (unknown last), then open hours, then the higher level', () => {
    const ranked = rankCandidates(requires('beginner'), WO_SITE, [
      person('u-unknown', 'A', { level: 'expert', validated: true, sites: [north(null)] }),
      person('u-far', 'B', { level: 'expert', validated: true, sites: [north(80)] }),
      person('u-near', 'C', { level: 'expert', validated: true, sites: [north(12.5)] }),
      person('u-busy', 'D', { level: 'expert', validated: true, openHours: 9 }),
      person('u-free-beg', 'E', { level: 'beginner', validated: true, openHours: 1 }),
      person('u-free-exp', 'F', { level: 'expert', validated: true, openHours: 1 }),
    ], TODAY);
    expect(ids(ranked)).toEqual(['u-free-exp', 'u-free-beg', 'u-busy', 'u-near', 'u-far', 'u-unknown']);
    for (let i = 1; i < ranked.length; i++) expect(ranked[i - 1]!.score).toBeGreaterThanOrEqual(ranked[i]!.score);
    expect(texts(ranked[3]!)).toContain('Site Hôpital Nord, à 12,5 km');
  });

  it('without a required skill, everyone by site, distance and load; a skill without a level asks for confirmed', () => {
    const none = rankCandidates({ skillId: null, minimumLevel: null }, WO_SITE, [
      person('u-far', 'A', { level: 'expert', validated: true, sites: [north(30)] }),
      person('u-busy', 'B', { openHours: 4.5 }),
      person('u-free', 'C'),
    ], TODAY);
    expect(ids(none)).toEqual(['u-free', 'u-busy', 'u-far']);
    expect(none.every((c) => c.meetsRequirement && c.level === null && c.tier === 1)).toBe(true);
    expect(texts(none[1]!)).toEqual(['Aucune compétence requise connue', 'Même site', '4,5 h de travail ouvert']);
    const noLevel = rankCandidates({ skillId: 'skill-1', minimumLevel: null }, WO_SITE, [person('u', 'A', { level: 'beginner', validated: true })], TODAY);
    expect(noLevel[0]).toMatchObject({ meetsRequirement: false, tier: 3 });
  });

  it('the score: a tier outweighs any proximity, proximity decreases with distance', () => {
    expect(candidateScore(2, true, 0)).toBeLessThan(candidateScore(1, false, null));
    expect(candidateScore(1, true, 0)).toBe(3500);
    expect(candidateScore(1, false, 0)).toBe(3400);
    expect(candidateScore(1, false, 100)).toBe(3200);
    expect(candidateScore(1, false, 20000)).toBeGreaterThan(candidateScore(1, false, null));
    expect(candidateScore(4, false, null)).toBe(0);
  });

  it('the person’s site: the work order’s when they hold a role there, else the nearest known', () => {
    expect(nearestSite(WO_SITE, [north(3), local])).toMatchObject({ siteId: WO_SITE, sameSite: true, distanceKm: 0 });
    const other = { siteId: 'site-east', siteName: 'Est', distanceKm: 7 };
    expect(nearestSite(WO_SITE, [north(null), north(9), other])).toMatchObject({ siteId: 'site-east', distanceKm: 7 });
    expect(nearestSite(WO_SITE, [north(null)])).toMatchObject({ siteId: 'site-north', distanceKm: null, sameSite: false });
  });

  it('distances, load estimates and hours', () => {
    // Paris (Notre-Dame) to Lyon (Bellecour): about 392 km.
    expect(distanceKm({ latitude: 48.853, longitude: 2.3499 }, { latitude: 45.7578, longitude: 4.832 })).toBeCloseTo(391.7, 1);
    expect(distanceKm({ latitude: 45.1, longitude: 5.2 }, { latitude: 45.1, longitude: 5.2 })).toBe(0);
    expect(estimatedWorkMinutes('corrective', null)).toBe(120);
    expect(estimatedWorkMinutes('preventive', null)).toBe(60);
    expect(estimatedWorkMinutes('preventive', 45)).toBe(45);
    expect(hoursOf(45 + 120 + 60)).toBe(3.8);
    expect(hoursOf(0)).toBe(0);
  });
});
