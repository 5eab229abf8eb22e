/**
 * Choosing a technician (issue 14, ADR 0020): the technicians and engineers ranked for one work
 * order by the required skill and level, a valid certificate, their site and their load, each
 * with the reasons of its rank as codes and as French or English sentences. Pure: the API
 * brings the people, their skill, their sites with distances and their open hours.
 *
 * The order is a sort by tiers, then by keys inside a tier:
 *  1. meets the requirement (validated, level ≥ minimum), certificate not expired (or none recorded);
 *  2. meets it, but the certificate has expired;
 *  3. holds the skill below the level, or only proposed (not validated);
 *  4. does not hold it.
 * Inside a tier: the work order's site first, then by distance (unknown distances after known
 * ones), then fewer open hours, then the higher level, then the name (French collation), then
 * the user id. When no skill is required everyone is in tier 1.
 * The score is the tier's points plus the proximity's (see `candidateScore`): it follows the
 * first two keys of the sort, so it never increases down the list (ties in score are broken by
 * load, level, name and id).
 */
import { levelRank, meetsLevel, type SkillLevel } from './competency.js';
import { ENUM_LABELS, inSentence, type LabelLocale } from './labels.js';
import type { WorkOrderType } from './work-orders.js';

/** What the work order asks for: a skill and its minimum level, or nothing known. */
export interface CandidateRequirement {
  skillId: string | null;
  /** Ignored without a skill; a skill without a level asks for `confirmed`. */
  minimumLevel: SkillLevel | null;
}

/** One site where the person holds a technician or engineer role, and how far it is from the work order's site. */
export interface CandidateSite {
  siteId: string;
  siteName: string;
  /** Great-circle km between the two sites; 0 for the work order's site; null when a site lacks coordinates. */
  distanceKm: number | null;
}

export interface CandidatePerson {
  userId: string;
  name: string;
  /** Their level in the required skill (null: they do not hold it, or no skill is required). */
  level: SkillLevel | null;
  validated: boolean;
  /** YYYY-MM-DD, or null when no certificate is recorded. */
  certificateExpiresAt: string | null;
  /** At least one. */
  sites: readonly CandidateSite[];
  /** Estimated hours of their open work orders. */
  openHours: number;
}

/** A reason of a candidate's rank, as a code with its parameters. */
export type CandidateReason =
  | { code: 'no_skill_required' }
  /** Validated at `level`, which reaches `minimum`. */
  | { code: 'level_validated'; level: SkillLevel; minimum: SkillLevel }
  /** Validated at `level`, below `minimum`. */
  | { code: 'level_insufficient'; level: SkillLevel; minimum: SkillLevel }
  /** Proposed at `level` by the person, not validated yet. */
  | { code: 'skill_proposed'; level: SkillLevel }
  | { code: 'skill_missing' }
  | { code: 'certificate_valid'; expiresAt: string }
  | { code: 'certificate_expired'; expiresAt: string }
  | { code: 'same_site'; siteName: string }
  | { code: 'other_site'; siteName: string; distanceKm: number }
  | { code: 'other_site_unknown_distance'; siteName: string }
  | { code: 'open_hours'; hours: number }
  | { code: 'no_open_work' };

export type CandidateTier = 1 | 2 | 3 | 4;

export interface RankedCandidate {
  userId: string;
  name: string;
  siteId: string;
  siteName: string;
  /** On the work order's site. */
  sameSite: boolean;
  distanceKm: number | null;
  level: SkillLevel | null;
  validated: boolean;
  meetsRequirement: boolean;
  /** A certificate is recorded and not expired. */
  certificateValid: boolean;
  certificateExpiresAt: string | null;
  openHours: number;
  tier: CandidateTier;
  score: number;
  reasons: CandidateReason[];
}

/** The level a requirement asks for when its plan names a skill without a level: autonomous. */
export const DEFAULT_REQUIRED_LEVEL: SkillLevel = 'confirmed';

/**
 * The estimate of an open work order without a plan's estimated duration, in minutes:
 * 2 h for a repair (corrective), 1 h for any other work.
 */
export const DEFAULT_WORK_ESTIMATE_MINUTES: Readonly<Record<'corrective' | 'other', number>> = { corrective: 120, other: 60 };

/** The minutes one open work order weighs in a person's load: its plan's estimate, else the default of its type. */
export function estimatedWorkMinutes(type: WorkOrderType, planEstimatedMinutes: number | null): number {
  if (planEstimatedMinutes !== null && planEstimatedMinutes > 0) return planEstimatedMinutes;
  return type === 'corrective' ? DEFAULT_WORK_ESTIMATE_MINUTES.corrective : DEFAULT_WORK_ESTIMATE_MINUTES.other;
}

/** Minutes as hours with one decimal. */
export function hoursOf(minutes: number): number {
  return Math.round(minutes / 6) / 10;
}

/** The site a person would come from: the work order's site when they hold a role there, else the nearest known, else the first by name. */
export function nearestSite(workOrderSiteId: string, sites: readonly CandidateSite[]): CandidateSite & { sameSite: boolean } {
  const same = sites.find((s) => s.siteId === workOrderSiteId);
  if (same) return { ...same, distanceKm: 0, sameSite: true };
  const sorted = [...sites].sort((a, b) => compareDistance(a.distanceKm, b.distanceKm) || collator.compare(a.siteName, b.siteName) || cmp(a.siteId, b.siteId));
  const first = sorted[0];
  if (!first) throw new Error('a candidate without a site');
  return { ...first, sameSite: false };
}

const collator = new Intl.Collator('fr', { sensitivity: 'base', numeric: true });
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
/** Known distances first, nearest first. */
function compareDistance(a: number | null, b: number | null): number {
  if (a === null && b === null) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a - b;
}

/** Whether a certificate expiring on `expiresAt` (YYYY-MM-DD, valid through that day) has expired on `today`. */
export function certificateExpired(expiresAt: string | null, today: string): boolean {
  return expiresAt !== null && expiresAt < today;
}

const TIER_POINTS: Record<CandidateTier, number> = { 1: 3000, 2: 2000, 3: 1000, 4: 0 };

/**
 * The score: the tier's points (3000, 2000, 1000, 0) plus the proximity's — 500 on the work
 * order's site, 400 × 100 / (100 + km) from another site (400 at 0 km, 200 at 100 km, always
 * above 0 and below 500), 0 when the distance is unknown —, with one decimal. Proximity stays
 * below 1000, so a tier always outweighs it; it decreases with the distance, so the score
 * follows the sort's first keys and never increases down the list.
 */
export function candidateScore(tier: CandidateTier, sameSite: boolean, distanceKm: number | null): number {
  const proximity = sameSite ? 500 : distanceKm === null ? 0 : (400 * 100) / (100 + Math.max(0, distanceKm));
  return Math.floor((TIER_POINTS[tier] + proximity) * 10) / 10;
}

/**
 * The candidates for a work order on `workOrderSiteId`, best first, with their reasons.
 * `today` (YYYY-MM-DD, the hospital's day) decides which certificates have expired.
 */
export function rankCandidates(
  requirement: CandidateRequirement,
  workOrderSiteId: string,
  people: readonly CandidatePerson[],
  today: string,
): RankedCandidate[] {
  const skillRequired = requirement.skillId !== null;
  const minimum = requirement.minimumLevel ?? DEFAULT_REQUIRED_LEVEL;
  const ranked = people.map((p): RankedCandidate => {
    const site = nearestSite(workOrderSiteId, p.sites);
    const level = skillRequired ? p.level : null;
    const validated = skillRequired && level !== null && p.validated;
    const expiresAt = skillRequired && level !== null ? p.certificateExpiresAt : null;
    const expired = certificateExpired(expiresAt, today);
    const meets = !skillRequired || (level !== null && validated && meetsLevel(level, minimum));
    const tier: CandidateTier = !skillRequired ? 1 : meets ? (expired ? 2 : 1) : level !== null ? 3 : 4;
    const reasons: CandidateReason[] = [];
    if (!skillRequired) reasons.push({ code: 'no_skill_required' });
    else if (level === null) reasons.push({ code: 'skill_missing' });
    else if (!validated) reasons.push({ code: 'skill_proposed', level });
    else if (meets) reasons.push({ code: 'level_validated', level, minimum });
    else reasons.push({ code: 'level_insufficient', level, minimum });
    if (expiresAt !== null) reasons.push({ code: expired ? 'certificate_expired' : 'certificate_valid', expiresAt });
    if (site.sameSite) reasons.push({ code: 'same_site', siteName: site.siteName });
    else if (site.distanceKm === null) reasons.push({ code: 'other_site_unknown_distance', siteName: site.siteName });
    else reasons.push({ code: 'other_site', siteName: site.siteName, distanceKm: site.distanceKm });
    reasons.push(p.openHours > 0 ? { code: 'open_hours', hours: p.openHours } : { code: 'no_open_work' });
    return {
      userId: p.userId, name: p.name, siteId: site.siteId, siteName: site.siteName, sameSite: site.sameSite, distanceKm: site.distanceKm,
      level, validated, meetsRequirement: meets, certificateValid: expiresAt !== null && !expired, certificateExpiresAt: expiresAt,
      openHours: p.openHours, tier, score: candidateScore(tier, site.sameSite, site.distanceKm), reasons,
    };
  });
  return ranked.sort(compareCandidates);
}

/** The sort of `rankCandidates` (negative: `a` first). */
export function compareCandidates(a: RankedCandidate, b: RankedCandidate): number {
  return (
    a.tier - b.tier ||
    Number(b.sameSite) - Number(a.sameSite) ||
    compareDistance(a.distanceKm, b.distanceKm) ||
    a.openHours - b.openHours ||
    (b.level === null ? 0 : levelRank(b.level)) - (a.level === null ? 0 : levelRank(a.level)) ||
    collator.compare(a.name, b.name) ||
    cmp(a.userId, b.userId)
  );
}

function decimal(n: number, locale: LabelLocale): string {
  return new Intl.NumberFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', { maximumFractionDigits: 1 }).format(n);
}

/** dd/mm/yyyy in both languages, as the documents write days. */
function day(iso: string): string {
  const [y, m, d] = iso.split('-');
  return `${d}/${m}/${y}`;
}

const SENTENCES: Record<LabelLocale, { [C in CandidateReason['code']]: (r: Extract<CandidateReason, { code: C }>) => string }> = {
  fr: {
    no_skill_required: () => 'Aucune compétence requise connue',
    level_validated: (r) => `${ENUM_LABELS.fr.skillLevels[r.level]} validé (niveau requis : ${inSentence(ENUM_LABELS.fr.skillLevels[r.minimum])})`,
    level_insufficient: (r) =>
      `Niveau ${inSentence(ENUM_LABELS.fr.skillLevels[r.level])}, insuffisant (niveau requis : ${inSentence(ENUM_LABELS.fr.skillLevels[r.minimum])})`,
    skill_proposed: (r) => `Compétence proposée, non validée (niveau ${inSentence(ENUM_LABELS.fr.skillLevels[r.level])})`,
    skill_missing: () => 'Sans la compétence requise',
    certificate_valid: (r) => `Certificat valable jusqu’au ${day(r.expiresAt)}`,
    certificate_expired: (r) => `Certificat expiré le ${day(r.expiresAt)}`,
    same_site: () => 'Même site',
    other_site: (r) => `Site ${r.siteName}, à ${decimal(r.distanceKm, 'fr')} km`,
    other_site_unknown_distance: (r) => `Site ${r.siteName}, distance inconnue`,
    open_hours: (r) => `${decimal(r.hours, 'fr')} h de travail ouvert`,
    no_open_work: () => 'Aucun travail ouvert',
  },
  en: {
    no_skill_required: () => 'No required skill known',
    level_validated: (r) => `Validated ${ENUM_LABELS.en.skillLevels[r.level].toLowerCase()} (required level: ${ENUM_LABELS.en.skillLevels[r.minimum].toLowerCase()})`,
    level_insufficient: (r) =>
      `${ENUM_LABELS.en.skillLevels[r.level]} level, not enough (required level: ${ENUM_LABELS.en.skillLevels[r.minimum].toLowerCase()})`,
    skill_proposed: (r) => `Skill proposed, not validated (${ENUM_LABELS.en.skillLevels[r.level].toLowerCase()} level)`,
    skill_missing: () => 'Without the required skill',
    certificate_valid: (r) => `Certificate valid until ${day(r.expiresAt)}`,
    certificate_expired: (r) => `Certificate expired on ${day(r.expiresAt)}`,
    same_site: () => 'Same site',
    other_site: (r) => `Site ${r.siteName}, ${decimal(r.distanceKm, 'en')} km away`,
    other_site_unknown_distance: (r) => `Site ${r.siteName}, distance unknown`,
    open_hours: (r) => `${decimal(r.hours, 'en')} h of open work`,
    no_open_work: () => 'No open work',
  },
};

/** The sentence of a candidate's reason in `locale`. */
export function candidateReasonText(reason: CandidateReason, locale: LabelLocale): string {
  const sentence = SENTENCES[locale][reason.code] as (r: CandidateReason) => string;
  return sentence(reason);
}
