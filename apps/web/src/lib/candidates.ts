import type { CertificateList, ExpiringCertificate, WorkOrderCandidate, WorkOrderCandidates } from '@gmao/contracts';
import type { Principal } from '@gmao/domain';
import { nameMatches } from './assignees.ts';

/**
 * Pure helpers of the work order's ranked candidates (GET /work-orders/{id}/candidates) and of
 * the home page's expiring-certificate notice (GET /competency/certificates), issue 14.
 */

/** How many candidates the panel shows before « Voir plus », and how many more each time. */
export const CANDIDATES_PAGE = 8;
/** How many certificates the home notice lists. */
export const NOTICE_ITEMS = 5;

/**
 * Whether choosing this person asks for a confirmation first: a skill is required and they do
 * not meet it (not held, below the level, or only proposed). An unknown requirement asks nothing.
 */
export function needsConfirmation(requirement: Pick<WorkOrderCandidates, 'requiredSkillId'>, candidate: Pick<WorkOrderCandidate, 'meetsRequirement'>): boolean {
  return requirement.requiredSkillId !== null && !candidate.meetsRequirement;
}

/** What the certificate line says: valid (until its date), expired (on its date), or none recorded. */
export type CertificateState = { kind: 'valid'; date: string | null } | { kind: 'expired'; date: string } | { kind: 'none' };

export function certificateState(c: Pick<WorkOrderCandidate, 'certificateValid' | 'certificateExpiresAt'>): CertificateState {
  if (c.certificateValid) return { kind: 'valid', date: c.certificateExpiresAt };
  if (c.certificateExpiresAt !== null) return { kind: 'expired', date: c.certificateExpiresAt };
  return { kind: 'none' };
}

const numberFormats = new Map<string, Intl.NumberFormat>();
/** A number with at most one decimal, in the reader's locale (3,5 in French). */
export function formatDecimal(value: number, locale: string): string {
  let format = numberFormats.get(locale);
  if (!format) {
    format = new Intl.NumberFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', { maximumFractionDigits: 1 });
    numberFormats.set(locale, format);
  }
  return format.format(value);
}

/**
 * The distance to show for a candidate of another site: whole kilometres from 10 km, one decimal
 * below; null on the work order's own site (0 km) or when a site has no coordinates.
 */
export function distanceText(distanceKm: number | null, locale: string): string | null {
  if (distanceKm === null || distanceKm <= 0) return null;
  return formatDecimal(distanceKm >= 10 ? Math.round(distanceKm) : Math.round(distanceKm * 10) / 10, locale);
}

/** Open hours as shown (one decimal at most); null when there is no open work. */
export function hoursText(openHours: number, locale: string): string | null {
  if (!(openHours > 0)) return null;
  return formatDecimal(Math.round(openHours * 10) / 10, locale);
}

/**
 * The candidates matching the filter box: by name or site, ignoring case and accents; the
 * rank is kept. The people already assigned stay in the list (shown as such).
 */
export function filterCandidates<T extends Pick<WorkOrderCandidate, 'name' | 'siteName'>>(items: readonly T[], query: string): T[] {
  const q = query.trim();
  if (!q) return [...items];
  return items.filter((c) => nameMatches(c.name, q) || nameMatches(c.siteName, q));
}

/**
 * Whether the candidates endpoint is missing from the API the SPA talks to (a 404 for the
 * route itself, not for the work order): the panel falls back to the search by name.
 */
export function isMissingRoute(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { status?: unknown }).status === 404 && (error as { code?: unknown }).code === 'route_not_found';
}

/* ------------------------------------------------------------------------------------------ */
/* The home page's notice                                                                      */
/* ------------------------------------------------------------------------------------------ */

/** The roles that see the whole team's certificates; anyone else with the competency read right sees only their own. */
const TEAM_ROLES = new Set(['engineer', 'site_manager', 'territory_admin']);

/** Whose certificates the home notice shows: the team's, the user's own, or none (no notice). */
export function noticeScope(principal: Pick<Principal, 'grants'> | null, canReadCompetency: boolean): 'team' | 'own' | null {
  if (!principal || !canReadCompetency) return null;
  return principal.grants.some((g) => TEAM_ROLES.has(g.role)) ? 'team' : 'own';
}

/** The certificates the notice counts and lists: all of them for the team, else only the user's own (soonest first, as the API sends them). */
export function noticeItems(list: Pick<CertificateList, 'items'>, scope: 'team' | 'own', userId: string): ExpiringCertificate[] {
  return scope === 'team' ? [...list.items] : list.items.filter((c) => c.userId === userId);
}
