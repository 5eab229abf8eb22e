/**
 * Competency needs (issue 14, ADR 0021): the trainings and recruitments that close the gaps
 * of the coverage. Pure: the API gives it the coverage's figures, the people and the sites.
 */
import { levelRank, type SkillLevel } from './competency.js';
import { distanceKm } from './stock.js';

export type TrainingGap = 'no_one_competent' | 'single_expert' | 'depends_on_other_sites';
export type RecruitmentGap = 'no_expert_in_territory' | 'no_one_competent' | 'single_expert';

/** Trainees per training, at most. */
export const MAX_TRAINEES = 3;

export const GAP_PRIORITY: Record<TrainingGap | RecruitmentGap, 1 | 2 | 3> = {
  no_expert_in_territory: 1, no_one_competent: 1, single_expert: 2, depends_on_other_sites: 3,
};

export interface NeedsSite {
  id: string;
  name: string;
  latitude: number | null;
  longitude: number | null;
}

export interface NeedsPerson {
  userId: string;
  name: string;
  /** Sites of their technician or engineer roles: where they can be trained. */
  siteIds: readonly string[];
  /** Sites of their technician, engineer or site manager roles: where the coverage counts them (a trainer's sites). */
  holderSiteIds: readonly string[];
}

export interface NeedsCategorySite {
  siteId: string;
  devices: number;
  experts: number;
  confirmed: number;
  noOneCompetent: boolean;
  singleExpert: boolean;
}

export interface NeedsCategory {
  categoryId: string;
  code: string;
  label: string;
  /** The category's maintenance skill to train (null: none in the catalogue). */
  skill: { id: string; code: string; name: string } | null;
  devices: number;
  /** Each person's best validated level in the category (absent: none). */
  levels: ReadonlyMap<string, SkillLevel>;
  sites: readonly NeedsCategorySite[];
}

export interface NeedPerson {
  userId: string;
  name: string;
  siteId: string;
  siteName: string;
  level: SkillLevel | null;
}

export interface PlannedTraining {
  categoryId: string;
  categoryCode: string;
  categoryLabel: string;
  skillId: string;
  skillCode: string;
  skillName: string;
  siteId: string;
  siteName: string;
  trainer: NeedPerson;
  trainees: NeedPerson[];
  distanceKm: number | null;
  gap: TrainingGap;
  devices: number;
  priority: number;
}

export interface PlannedRecruitment {
  categoryId: string;
  categoryCode: string;
  categoryLabel: string;
  skillId: string | null;
  siteId: string | null;
  siteName: string | null;
  level: SkillLevel;
  gap: RecruitmentGap;
  devices: number;
  priority: number;
}

/**
 * The gap of a site for a category, the most urgent first: nobody confirmed or expert here
 * (whether or not another site has someone: the site's own service is not assured);
 * a single expert; else no expert here but confirmed people, while another site has one (the
 * site depends on other sites' experts for what confirmed people do not do). null: no gap.
 */
export function siteGap(site: NeedsCategorySite, territoryExperts: number): TrainingGap | null {
  if (site.devices <= 0) return null;
  if (site.noOneCompetent) return 'no_one_competent';
  if (site.singleExpert) return 'single_expert';
  if (site.experts === 0 && site.confirmed > 0 && territoryExperts > 0) return 'depends_on_other_sites';
  return null;
}

/** Unknown distances last, then nearest, ties by name. */
function byDistance(a: { distanceKm: number | null; name: string }, b: { distanceKm: number | null; name: string }): number {
  if (a.distanceKm !== b.distanceKm) {
    if (a.distanceKm === null) return 1;
    if (b.distanceKm === null) return -1;
    return a.distanceKm - b.distanceKm;
  }
  return a.name.localeCompare(b.name, 'fr');
}

/**
 * Trainings and recruitments, most urgent first (priority, devices desc, category label, site):
 * - a category with devices and no validated expert anywhere: a recruitment of the territory
 *   (`no_expert_in_territory`, level expert): nobody can train;
 * - each site with a gap (`siteGap`): a training pairing an expert of the site, else of the
 *   nearest site (great circle; sites without coordinates last), with up to 3 trainees of the
 *   site (technicians and engineers), else of the nearest site that has some: for
 *   no_one_competent those below confirmed (beginners first, then people without the skill);
 *   for single_expert and depends_on_other_sites those below expert (confirmed first), to make
 *   another expert;
 * - a site with no_one_competent and no technician or engineer at all: a recruitment of the
 *   site (level confirmed), as is a gap for which nobody at all can be trained.
 */
export function planCompetencyNeeds(
  categories: readonly NeedsCategory[],
  people: readonly NeedsPerson[],
  sites: readonly NeedsSite[],
): { trainings: PlannedTraining[]; recruitments: PlannedRecruitment[] } {
  const siteById = new Map(sites.map((s) => [s.id, s]));
  const siteName = (id: string) => siteById.get(id)?.name ?? '';
  const dist = (a: string, b: string): number | null => (a === b ? 0 : siteById.has(a) && siteById.has(b) ? distanceKm(siteById.get(a), siteById.get(b)!) : null);
  /** A person's site nearest to `siteId` among `ids`, with its distance. */
  const nearest = (ids: readonly string[], siteId: string) => ids
    .map((id) => ({ id, distanceKm: dist(id, siteId), name: siteName(id) }))
    .sort(byDistance)[0];

  const trainings: PlannedTraining[] = [];
  const recruitments: PlannedRecruitment[] = [];
  for (const c of categories) {
    const head = { categoryId: c.categoryId, categoryCode: c.code, categoryLabel: c.label };
    const experts = people.filter((p) => c.levels.get(p.userId) === 'expert' && p.holderSiteIds.length > 0);
    const territoryExperts = [...c.levels.values()].filter((l) => l === 'expert').length;
    if (c.devices > 0 && territoryExperts === 0) {
      recruitments.push({
        ...head, skillId: c.skill?.id ?? null, siteId: null, siteName: null, level: 'expert', gap: 'no_expert_in_territory',
        devices: c.devices, priority: GAP_PRIORITY.no_expert_in_territory,
      });
    }
    for (const s of c.sites) {
      const gap = siteGap(s, territoryExperts);
      if (gap === null) continue;
      const recruit = (level: SkillLevel, g: RecruitmentGap) => recruitments.push({
        ...head, skillId: c.skill?.id ?? null, siteId: s.siteId, siteName: siteName(s.siteId), level, gap: g, devices: s.devices,
        priority: GAP_PRIORITY[g],
      });
      const sitePeople = people.filter((p) => p.siteIds.includes(s.siteId));
      if (gap === 'no_one_competent' && sitePeople.length === 0) {
        recruit('confirmed', 'no_one_competent');
        continue;
      }
      // Nobody to train from: the territory's recruitment says it.
      if (c.skill === null || experts.length === 0) continue;
      const trainer = experts
        .map((p) => ({ p, ...nearest(p.holderSiteIds, s.siteId)!, name: p.name }))
        .sort(byDistance)[0]!;
      const below = gap === 'no_one_competent' ? 'confirmed' : 'expert';
      // Beginners before people without the skill; for another expert, confirmed first.
      const rank = (l: SkillLevel | null) => -(l === null ? 0 : levelRank(l));
      const eligible = people.filter((p) => p.userId !== trainer.p.userId && p.siteIds.length > 0 && (() => {
        const l = c.levels.get(p.userId) ?? null;
        return l === null || levelRank(l) < levelRank(below);
      })());
      const here = eligible.filter((p) => p.siteIds.includes(s.siteId))
        .map((p) => ({ p, siteId: s.siteId, distanceKm: 0 as number | null }));
      const pool = here.length > 0
        ? here
        : eligible.map((p) => {
          const n = nearest(p.siteIds, s.siteId)!;
          return { p, siteId: n.id, distanceKm: n.distanceKm };
        });
      pool.sort((a, b) => byDistance({ distanceKm: a.distanceKm, name: '' }, { distanceKm: b.distanceKm, name: '' })
        || rank(c.levels.get(a.p.userId) ?? null) - rank(c.levels.get(b.p.userId) ?? null)
        || a.p.name.localeCompare(b.p.name, 'fr'));
      // From a nearby site: the nearest site's people only.
      const chosen = (here.length > 0 ? pool : pool.filter((x) => x.siteId === pool[0]?.siteId)).slice(0, MAX_TRAINEES);
      if (chosen.length === 0) {
        if (gap !== 'depends_on_other_sites') recruit(gap === 'no_one_competent' ? 'confirmed' : 'expert', gap);
        continue;
      }
      trainings.push({
        ...head, skillId: c.skill.id, skillCode: c.skill.code, skillName: c.skill.name, siteId: s.siteId, siteName: siteName(s.siteId),
        trainer: { userId: trainer.p.userId, name: trainer.p.name, siteId: trainer.id, siteName: siteName(trainer.id), level: 'expert' },
        trainees: chosen.map((x) => ({
          userId: x.p.userId, name: x.p.name, siteId: x.siteId, siteName: siteName(x.siteId), level: c.levels.get(x.p.userId) ?? null,
        })),
        distanceKm: trainer.distanceKm, gap, devices: s.devices, priority: GAP_PRIORITY[gap],
      });
    }
  }
  const urgent = (a: { priority: number; devices: number; categoryLabel: string; siteName: string | null },
    b: { priority: number; devices: number; categoryLabel: string; siteName: string | null }) =>
    a.priority - b.priority || b.devices - a.devices || a.categoryLabel.localeCompare(b.categoryLabel, 'fr')
    || (a.siteName ?? '').localeCompare(b.siteName ?? '', 'fr');
  return { trainings: trainings.sort(urgent), recruitments: recruitments.sort(urgent) };
}
