import { describe, expect, it } from 'vitest';
import type { SkillLevel } from './competency.js';
import { planCompetencyNeeds, siteGap, type NeedsCategory, type NeedsCategorySite, type NeedsPerson, type NeedsSite } from './competency-needs.js';

// Lille, Arras (about 45 km) and Dunkerque (about 65 km from Lille, 100 from Arras); Nowhere has no coordinates.
const sites: NeedsSite[] = [
  { id: 'lille', name: 'Lille', latitude: 50.6292, longitude: 3.0573 },
  { id: 'arras', name: 'Arras', latitude: 50.2910, longitude: 2.7775 },
  { id: 'dunkerque', name: 'Dunkerque', latitude: 51.0344, longitude: 2.3768 },
  { id: 'nowhere', name: 'Nowhere', latitude: null, longitude: null },
];
const person = (userId: string, ...siteIds: string[]): NeedsPerson => ({ userId, name: userId, siteIds, holderSiteIds: siteIds });
const site = (siteId: string, devices: number, experts: number, confirmed: number): NeedsCategorySite => ({
  siteId, devices, experts, confirmed, noOneCompetent: devices > 0 && experts + confirmed === 0, singleExpert: devices > 0 && experts === 1,
});
const category = (id: string, levels: Record<string, SkillLevel>, s: NeedsCategorySite[], skill = true): NeedsCategory => ({
  categoryId: id, code: id.toUpperCase(), label: `Label ${id}`, skill: skill ? { id: `skill-${id}`, code: `MAINT-${id}`, name: `Maintenance ${id}` } : null,
  devices: s.reduce((a, x) => a + x.devices, 0), levels: new Map(Object.entries(levels)), sites: s,
});

describe('siteGap', () => {
  it('names the most urgent gap of a site', () => {
    expect(siteGap(site('lille', 2, 0, 0), 1)).toBe('no_one_competent');
    expect(siteGap(site('lille', 2, 1, 0), 1)).toBe('single_expert');
    expect(siteGap(site('lille', 2, 0, 1), 1)).toBe('depends_on_other_sites');
    expect(siteGap(site('lille', 2, 0, 1), 0)).toBeNull();
    expect(siteGap(site('lille', 2, 2, 0), 2)).toBeNull();
    expect(siteGap(site('lille', 0, 0, 0), 1)).toBeNull();
  });
});

describe('planCompetencyNeeds', () => {
  const people = [person('arras-expert', 'arras'), person('dk-expert', 'dunkerque'), person('lille-beginner', 'lille'), person('lille-none', 'lille'),
    person('lille-beginner-2', 'lille'), person('lille-beginner-3', 'lille'), person('nowhere-tech', 'nowhere')];

  it('pairs the nearest expert with the site’s beginners first, three at most', () => {
    const c = category('pump', { 'arras-expert': 'expert', 'dk-expert': 'expert', 'lille-beginner': 'beginner', 'lille-beginner-2': 'beginner', 'lille-beginner-3': 'beginner' },
      [site('lille', 4, 0, 0), site('arras', 0, 1, 0), site('dunkerque', 0, 1, 0)]);
    const { trainings, recruitments } = planCompetencyNeeds([c], people, sites);
    expect(recruitments).toEqual([]);
    expect(trainings).toHaveLength(1);
    const t = trainings[0]!;
    expect(t).toMatchObject({ siteId: 'lille', gap: 'no_one_competent', priority: 1, devices: 4, skillId: 'skill-pump' });
    expect(t.trainer).toMatchObject({ userId: 'arras-expert', siteId: 'arras', level: 'expert' });
    expect(t.distanceKm).toBeGreaterThan(40);
    expect(t.distanceKm).toBeLessThan(50);
    expect(t.trainees.map((x) => x.userId)).toEqual(['lille-beginner', 'lille-beginner-2', 'lille-beginner-3']);
  });

  it('recruits for the territory when nobody is expert anywhere, and for a site without anybody', () => {
    const c = category('laser', { 'lille-beginner': 'confirmed' }, [site('lille', 1, 0, 1), site('dunkerque', 3, 0, 0)]);
    const { trainings, recruitments } = planCompetencyNeeds([c], [person('lille-beginner', 'lille')], sites);
    expect(trainings).toEqual([]);
    expect(recruitments.map((r) => [r.gap, r.siteId, r.level, r.devices])).toEqual([
      ['no_expert_in_territory', null, 'expert', 4],
      ['no_one_competent', 'dunkerque', 'confirmed', 3],
    ]);
  });

  it('makes a second expert at a single expert’s site: confirmed people first; from the nearest site when the site has none', () => {
    const c = category('scan', { 'arras-expert': 'expert', 'lille-beginner': 'beginner', 'dk-conf': 'confirmed' },
      [site('arras', 2, 1, 0)]);
    const ps = [person('arras-expert', 'arras'), person('lille-beginner', 'lille'), person('dk-conf', 'dunkerque'), person('lille-none', 'lille')];
    const { trainings } = planCompetencyNeeds([c], ps, sites);
    expect(trainings).toHaveLength(1);
    expect(trainings[0]).toMatchObject({ gap: 'single_expert', priority: 2, distanceKm: 0, trainer: { userId: 'arras-expert', siteId: 'arras' } });
    // Lille is the nearest site to Arras: its people, the beginner first.
    expect(trainings[0]!.trainees.map((x) => [x.userId, x.siteId])).toEqual([['lille-beginner', 'lille'], ['lille-none', 'lille']]);
    const withLocals = { ...c, levels: new Map([...c.levels, ['arras-beginner', 'beginner'], ['arras-conf', 'confirmed']] as [string, SkillLevel][]) };
    const local = planCompetencyNeeds([withLocals], [...ps, person('arras-beginner', 'arras'), person('arras-conf', 'arras')], sites);
    expect(local.trainings[0]!.trainees.map((x) => [x.userId, x.level])).toEqual([['arras-conf', 'confirmed'], ['arras-beginner', 'beginner']]);
  });

  it('puts experts of sites without coordinates after the others, and sorts the most urgent first', () => {
    const a = category('a', { 'nowhere-x': 'expert', 'dk-expert': 'expert' }, [site('lille', 1, 0, 0), site('dunkerque', 1, 1, 0)]);
    const b = category('b', { 'arras-expert': 'expert' }, [site('lille', 9, 0, 0), site('arras', 1, 1, 0)]);
    const ps = [person('nowhere-x', 'nowhere'), person('dk-expert', 'dunkerque'), person('arras-expert', 'arras'), person('lille-none', 'lille')];
    const { trainings } = planCompetencyNeeds([a, b], ps, sites);
    expect(trainings.map((t) => [t.categoryId, t.siteId, t.gap, t.trainer.userId])).toEqual([
      ['b', 'lille', 'no_one_competent', 'arras-expert'],
      ['a', 'lille', 'no_one_competent', 'dk-expert'],
      ['a', 'dunkerque', 'single_expert', 'dk-expert'],
      ['b', 'arras', 'single_expert', 'arras-expert'],
    ]);
  });
});
