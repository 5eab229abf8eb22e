/**
 * Competency map (issue 14, ADR 0019): skill categories, levels, who may propose and who may
 * validate a person's skill, and the coverage flags of an equipment category. Pure: no I/O.
 */
import { hasRoleOnSite, isTerritoryAdmin, type Principal, type RoleName } from './policy.js';

export const SKILL_CATEGORIES = ['equipment_maintenance', 'project_management', 'quality_regulatory', 'electrical_safety', 'custom'] as const;
export type SkillCategory = (typeof SKILL_CATEGORIES)[number];

/** In increasing order: débutant, confirmé, expert. */
export const SKILL_LEVELS = ['beginner', 'confirmed', 'expert'] as const;
export type SkillLevel = (typeof SKILL_LEVELS)[number];

/** 1 (beginner) to 3 (expert). */
export function levelRank(level: SkillLevel): number {
  return SKILL_LEVELS.indexOf(level) + 1;
}

/** Whether `level` reaches `minimum` (an expert meets a "confirmed" requirement). */
export function meetsLevel(level: SkillLevel, minimum: SkillLevel): boolean {
  return levelRank(level) >= levelRank(minimum);
}

/** The higher of two levels (null: none). */
export function maxLevel(a: SkillLevel | null, b: SkillLevel | null): SkillLevel | null {
  if (a === null) return b;
  if (b === null) return a;
  return levelRank(a) >= levelRank(b) ? a : b;
}

/**
 * The roles whose holders may hold skills, and whose sites count them in the coverage. Who
 * reads the map and who manages the catalogue: `competency.read` and `skill.manage` of policy.ts.
 */
export const SKILL_HOLDER_ROLES: readonly RoleName[] = ['technician', 'engineer', 'site_manager'];
/** The people the matrix lists even without any skill yet. */
export const MATRIX_ROLES: readonly RoleName[] = ['technician', 'engineer'];

/** The person whose skill is written: their id and the sites where they hold a biomedical role. */
export interface SkillHolder {
  userId: string;
  siteIds: readonly string[];
}

export interface UserSkillRights {
  /** May write the skill as a proposal (unvalidated). */
  propose: boolean;
  /** May mark it validated (and write it validated). */
  validate: boolean;
}

/**
 * Who may write a person's skill, and validate it:
 * - the territory admin and engineers (of any site): anyone of the territory, and validate;
 * - a site manager: the people who hold a role on one of their sites, and validate;
 * - a technician (or anyone): themselves only, as a proposal.
 * Nobody validates their own skill: a self-edit is always a proposal (ADR 0019).
 * The caller checks the territory first (another territory's person is a 404).
 */
export function userSkillRights(p: Principal, holder: SkillHolder): UserSkillRights {
  const self = p.userId === holder.userId;
  const validator =
    isTerritoryAdmin(p) ||
    p.grants.some((g) => g.role === 'engineer') ||
    holder.siteIds.some((siteId) => hasRoleOnSite(p, siteId, ['site_manager']));
  return { propose: self || validator, validate: validator && !self };
}

export type UserSkillDecision =
  | { ok: true; validated: boolean }
  | { ok: false; code: 'skill_proposal_forbidden' | 'skill_validation_forbidden' | 'skill_self_validation_forbidden' };

/**
 * What a write of a person's skill becomes. `requested` is the body's `validated`:
 * - true: a validation (the right to validate it, never on oneself);
 * - false: a proposal (an unvalidated skill);
 * - undefined: a validator's write is a validation, anyone else's a proposal; a self-edit,
 *   of a validated skill too, is a proposal (validated again by someone else).
 */
export function decideUserSkillWrite(p: Principal, holder: SkillHolder, requested: boolean | undefined): UserSkillDecision {
  const rights = userSkillRights(p, holder);
  if (!rights.propose) return { ok: false, code: 'skill_proposal_forbidden' };
  if (requested === true && !rights.validate) {
    return { ok: false, code: p.userId === holder.userId ? 'skill_self_validation_forbidden' : 'skill_validation_forbidden' };
  }
  return { ok: true, validated: requested ?? rights.validate };
}

/** Certificates expiring within this many days are flagged (expired ones too). */
export const CERTIFICATE_WARNING_DAYS = 90;

/** Whether a certificate has expired or expires within `days` of `today` (YYYY-MM-DD days). */
export function certificateExpiringSoon(expiresAt: string | null, today: string, days = CERTIFICATE_WARNING_DAYS): boolean {
  if (expiresAt === null) return false;
  const limit = new Date(`${today}T00:00:00Z`);
  limit.setUTCDate(limit.getUTCDate() + days);
  return expiresAt <= limit.toISOString().slice(0, 10);
}

/** Counts of one equipment category at one site (or the territory): validated skills only. */
export interface CoverageCounts {
  devices: number;
  experts: number;
  confirmed: number;
  beginners: number;
  /** Validated skills of the people counted whose certificate has expired or expires within 90 days. */
  expiringCertificates: number;
}

export interface CoverageFlags {
  /** Devices, and nobody confirmed or expert (a beginner alone is not autonomous). */
  noOneCompetent: boolean;
  /** Devices, and exactly one expert: one absence stops the service. */
  singleExpert: boolean;
  certificatesExpiringSoon: boolean;
}

export function coverageFlags(c: CoverageCounts): CoverageFlags {
  return {
    noOneCompetent: c.devices > 0 && c.experts + c.confirmed === 0,
    singleExpert: c.devices > 0 && c.experts === 1,
    certificatesExpiringSoon: c.expiringCertificates > 0,
  };
}

/**
 * A site depends on other sites' experts for a category when it has devices of it, nobody
 * confirmed or expert of its own, and another site of the territory has one.
 */
export function dependsOnOtherSites(site: CoverageCounts, otherSitesCompetent: number): boolean {
  return site.devices > 0 && site.experts + site.confirmed === 0 && otherSitesCompetent > 0;
}
