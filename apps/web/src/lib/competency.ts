import {
  CERTIFICATE_WARNING_DAYS, SKILL_CATEGORIES, certificateExpiringSoon, levelRank, type SkillCategory, type SkillLevel,
} from '@gmao/domain';
import type { CompetencyCoverage, CompetencyMatrix, UserSkill } from '@gmao/contracts';

/** Pure helpers of the competency map's pages (issue 14): no Vue state. */

export type CertificateState = 'none' | 'valid' | 'expiring' | 'expired';

/** A certificate's state on `today` (YYYY-MM-DD, Paris): expired, expiring within 90 days, valid, or none recorded. */
export function certificateState(expiresAt: string | null, today: string, days = CERTIFICATE_WARNING_DAYS): CertificateState {
  if (expiresAt === null) return 'none';
  if (expiresAt < today) return 'expired';
  return certificateExpiringSoon(expiresAt, today, days) ? 'expiring' : 'valid';
}

/** The fragility flags of a coverage scope, in the order the pages rank them (most fragile first). */
export const COVERAGE_FLAGS = ['noOneCompetent', 'singleExpert', 'dependsOnOtherSites', 'certificatesExpiringSoon'] as const;
export type CoverageFlag = (typeof COVERAGE_FLAGS)[number];

type CoverageCategory = CompetencyCoverage['categories'][number];
type CoverageScope = CoverageCategory['territory'] & { dependsOnOtherSites?: boolean };

/** The flags raised on one scope (the territory or one site), most fragile first. */
export function coverageFlagsOf(scope: CoverageScope): CoverageFlag[] {
  return COVERAGE_FLAGS.filter((flag) => scope[flag] === true);
}

/**
 * The flags of a category as the coverage page shows it: with a site chosen, that site's;
 * otherwise the territory's, plus « depends on another site » when one of its sites does.
 */
export function categoryFlags(category: CoverageCategory, siteId?: string): CoverageFlag[] {
  if (siteId) {
    const site = category.sites.find((s) => s.siteId === siteId);
    return site ? coverageFlagsOf(site) : [];
  }
  return coverageFlagsOf({ ...category.territory, dependsOnOtherSites: category.sites.some((s) => s.dependsOnOtherSites) });
}

/** 0 (no one competent) … 3 (certificates expiring), 4 when nothing is fragile. */
export function fragilityRank(flags: readonly CoverageFlag[]): number {
  return flags.length === 0 ? COVERAGE_FLAGS.length : Math.min(...flags.map((f) => COVERAGE_FLAGS.indexOf(f)));
}

/**
 * The categories, fragile ones first: no one competent, then a single expert, then depending on
 * another site, then certificates expiring; then the others. Ties: more devices first, then by label.
 */
export function sortCoverageCategories<C extends CoverageCategory>(categories: readonly C[], siteId?: string, locale = 'fr'): C[] {
  const ranked = categories.map((c) => ({ c, rank: fragilityRank(categoryFlags(c, siteId)) }));
  return ranked
    .sort((a, b) => a.rank - b.rank || b.c.territory.devices - a.c.territory.devices || a.c.label.localeCompare(b.c.label, locale))
    .map((r) => r.c);
}

export type MatrixCell = CompetencyMatrix['cells'][number];

/** The matrix's cells by `userId:skillId`. */
export function indexCells(cells: readonly MatrixCell[]): Map<string, MatrixCell> {
  return new Map(cells.map((c) => [`${c.userId}:${c.skillId}`, c]));
}

/** Lower-cased, without accents: « Léa » matches « lea ». */
export function foldText(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/** The people whose name holds every word of the filter (accents and case ignored). */
export function filterPeople<P extends { name: string }>(people: readonly P[], filter: string): P[] {
  const words = foldText(filter).split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...people];
  return people.filter((p) => {
    const name = foldText(p.name);
    return words.every((w) => name.includes(w));
  });
}

/** A person's skills grouped by skill category (the catalogue's order), each group by skill name. */
export function groupBySkillCategory<S extends Pick<UserSkill, 'skillCategory' | 'skillName'>>(
  skills: readonly S[],
  locale = 'fr',
): { category: SkillCategory; items: S[] }[] {
  return SKILL_CATEGORIES.map((category) => ({
    category,
    items: skills.filter((s) => s.skillCategory === category).sort((a, b) => a.skillName.localeCompare(b.skillName, locale)),
  })).filter((g) => g.items.length > 0);
}

/** The CSS class of a level's shade: 1 (beginner) to 3 (expert). */
export function levelShade(level: SkillLevel): string {
  return `level-${levelRank(level)}`;
}
