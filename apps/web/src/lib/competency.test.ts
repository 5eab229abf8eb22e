import { describe, expect, it } from 'vitest';
import type { CompetencyCoverage } from '@gmao/contracts';
import {
  categoryFlags, certificateState, filterPeople, fragilityRank, groupBySkillCategory, indexCells, levelShade, sortCoverageCategories,
} from './competency.ts';

type Category = CompetencyCoverage['categories'][number];

const counts = (over: Partial<Category['territory']> = {}): Category['territory'] => ({
  devices: 3, experts: 2, confirmed: 1, beginners: 0, expiringCertificates: 0,
  noOneCompetent: false, singleExpert: false, certificatesExpiringSoon: false, ...over,
});

function category(label: string, territory: Partial<Category['territory']>, sites: Partial<Category['sites'][number]>[] = []): Category {
  return {
    categoryId: `00000000-0000-4000-8000-${String(label.length).padStart(12, '0')}`,
    code: label.toUpperCase(),
    label,
    skillIds: [],
    territory: counts(territory),
    sites: sites.map((s, i) => ({
      siteId: `10000000-0000-4000-8000-00000000000${i}`, siteName: `Site ${i}`, ...counts(), dependsOnOtherSites: false, ...s,
    })),
  };
}

describe('competency helpers', () => {
  it('certificate state: expired before today, expiring within 90 days, else valid; none when absent', () => {
    expect(certificateState(null, '2026-12-01')).toBe('none');
    expect(certificateState('2026-11-30', '2026-12-01')).toBe('expired');
    expect(certificateState('2026-12-01', '2026-12-01')).toBe('expiring');
    expect(certificateState('2027-03-01', '2026-12-01')).toBe('expiring');
    expect(certificateState('2027-03-02', '2026-12-01')).toBe('valid');
  });

  it('fragile categories first: no one competent, single expert, depends on another site, expiring; then the rest', () => {
    const fine = category('Pompes', {});
    const expiring = category('Moniteurs', { certificatesExpiringSoon: true, expiringCertificates: 1 });
    const depends = category('Dialyse', {}, [{ dependsOnOtherSites: true, noOneCompetent: true, experts: 0, confirmed: 0 }]);
    const single = category('IRM', { singleExpert: true, experts: 1, certificatesExpiringSoon: true });
    const nobody = category('Arceaux', { noOneCompetent: true, experts: 0, confirmed: 0 });
    const sorted = sortCoverageCategories([fine, expiring, depends, single, nobody]);
    expect(sorted.map((c) => c.label)).toEqual(['Arceaux', 'IRM', 'Dialyse', 'Moniteurs', 'Pompes']);
    expect(categoryFlags(single)).toEqual(['singleExpert', 'certificatesExpiringSoon']);
    expect(fragilityRank([])).toBe(4);
  });

  it('with a site chosen, the site’s own flags rank the category', () => {
    const a = category('Aaa', {}, [{ noOneCompetent: true, dependsOnOtherSites: true }]);
    const b = category('Bbb', { noOneCompetent: true }, [{}]);
    const siteId = a.sites[0]!.siteId;
    expect(categoryFlags(a, siteId)).toEqual(['noOneCompetent', 'dependsOnOtherSites']);
    expect(categoryFlags(b, siteId)).toEqual([]);
    expect(sortCoverageCategories([b, a], siteId).map((c) => c.label)).toEqual(['Aaa', 'Bbb']);
    // Same rank: more devices first, then the label.
    const c = category('Ccc', { devices: 10 });
    const d = category('Ddd', { devices: 10 });
    expect(sortCoverageCategories([d, a, c, b]).map((x) => x.label)).toEqual(['Bbb', 'Aaa', 'Ccc', 'Ddd']);
  });

  it('filters people on every word, ignoring accents and case', () => {
    const people = [{ name: 'Léa Rousseau' }, { name: 'Karim Benali' }, { name: 'Lea Martin' }];
    expect(filterPeople(people, 'lea').map((p) => p.name)).toEqual(['Léa Rousseau', 'Lea Martin']);
    expect(filterPeople(people, 'ROUSS léa').map((p) => p.name)).toEqual(['Léa Rousseau']);
    expect(filterPeople(people, '  ')).toHaveLength(3);
  });

  it('groups a person’s skills by catalogue category, by name inside', () => {
    const groups = groupBySkillCategory([
      { skillCategory: 'custom', skillName: 'Anglais' },
      { skillCategory: 'equipment_maintenance', skillName: 'Pompes' },
      { skillCategory: 'equipment_maintenance', skillName: 'IRM' },
    ]);
    expect(groups.map((g) => [g.category, g.items.map((i) => i.skillName)])).toEqual([
      ['equipment_maintenance', ['IRM', 'Pompes']],
      ['custom', ['Anglais']],
    ]);
  });

  it('indexes cells and shades levels', () => {
    const cells = indexCells([{ userId: 'u', skillId: 's', level: 'expert', validated: false, certificateExpiresAt: null }]);
    expect(cells.get('u:s')?.level).toBe('expert');
    expect(cells.get('u:x')).toBeUndefined();
    expect([levelShade('beginner'), levelShade('confirmed'), levelShade('expert')]).toEqual(['level-1', 'level-2', 'level-3']);
  });
});
