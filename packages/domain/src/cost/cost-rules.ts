import { DEFAULT_LABOUR_HOURLY_RATE_CENTS } from '../kpi/indicators.js';
import { dayCount, monthsOf } from '../kpi/paris-days.js';
import { addDays } from '../pm-schedule.js';
import { distanceKm } from '../stock.js';

/**
 * Cost allocation between the sites of a territory (issue 15, ADR 0023): the pure rules of
 * the convention, the pricing of labour and travel, contracts per month, their split between
 * sites and the month a ledger line goes in. Amounts are integer cents; days 'YYYY-MM-DD'
 * (Europe/Paris), months as their first day 'YYYY-MM-01'.
 */

export type TravelModeName = 'per_minute' | 'per_km';
export type ContractSplitName = 'devices' | 'acquisition_value' | 'fixed_shares';
export type LabourRole = 'technician' | 'engineer';

export interface ConventionTerms {
  /** null for the defaults in force before the first version. */
  id: string | null;
  appliesFrom: string;
  technicianHourlyRateCents: number;
  engineerHourlyRateCents: number;
  travelMode: TravelModeName;
  travelCentsPerMinute: number;
  travelCentsPerKm: number;
  /** Percent, two decimals at most. */
  overheadPercent: number;
  contractSplit: ContractSplitName;
  fixedShares: readonly { siteId: string; percent: number }[] | null;
}

/** Before the first version: DEFAULT_LABOUR_HOURLY_RATE_CENTS for both roles, no travel, no overhead, split by devices. */
export const DEFAULT_CONVENTION: ConventionTerms = {
  id: null,
  appliesFrom: '1900-01-01',
  technicianHourlyRateCents: DEFAULT_LABOUR_HOURLY_RATE_CENTS,
  engineerHourlyRateCents: DEFAULT_LABOUR_HOURLY_RATE_CENTS,
  travelMode: 'per_minute',
  travelCentsPerMinute: 0,
  travelCentsPerKm: 0,
  overheadPercent: 0,
  contractSplit: 'devices',
  fixedShares: null,
};

// ---- The convention's rules ----------------------------------------------------------------

export type ConventionErrorCode =
  | 'cost_convention_fixed_shares_required'
  | 'cost_convention_fixed_shares_not_100'
  | 'cost_convention_fixed_shares_unexpected'
  | 'cost_convention_fixed_shares_unknown_site'
  | 'cost_convention_fixed_shares_duplicate_site';

export interface ConventionError {
  code: ConventionErrorCode;
  /** The field, as the API's problem details name it. */
  path: string;
  message: string;
}

/**
 * A new version's fixed shares: required with the fixed_shares split, refused with another;
 * each a site of the territory, once; summing to exactly 100 (two decimals). The first
 * refusal, or null when the version is acceptable.
 */
export function checkConventionVersion(
  input: { contractSplit: ContractSplitName; fixedShares?: readonly { siteId: string; percent: number }[] | null },
  territorySiteIds: ReadonlySet<string> | readonly string[],
): ConventionError | null {
  const sites = territorySiteIds instanceof Set ? territorySiteIds : new Set(territorySiteIds as readonly string[]);
  const shares = input.fixedShares ?? null;
  if (input.contractSplit !== 'fixed_shares') {
    return shares === null
      ? null
      : { code: 'cost_convention_fixed_shares_unexpected', path: 'body.fixedShares', message: 'parts fixes seulement avec la répartition « parts fixes »' };
  }
  if (shares === null || shares.length === 0) {
    return { code: 'cost_convention_fixed_shares_required', path: 'body.fixedShares', message: 'parts fixes requises avec la répartition « parts fixes »' };
  }
  const seen = new Set<string>();
  for (const [i, s] of shares.entries()) {
    if (!sites.has(s.siteId)) return { code: 'cost_convention_fixed_shares_unknown_site', path: `body.fixedShares.${i}.siteId`, message: 'site inconnu dans ce territoire' };
    if (seen.has(s.siteId)) return { code: 'cost_convention_fixed_shares_duplicate_site', path: `body.fixedShares.${i}.siteId`, message: 'site présent deux fois' };
    seen.add(s.siteId);
  }
  const hundredths = shares.reduce((sum, s) => sum + Math.round(s.percent * 100), 0);
  if (hundredths !== 10_000 || shares.some((s) => Math.abs(s.percent * 100 - Math.round(s.percent * 100)) > 1e-6)) {
    return { code: 'cost_convention_fixed_shares_not_100', path: 'body.fixedShares', message: 'la somme des parts doit faire exactement 100 (deux décimales au plus)' };
  }
  return null;
}

/** The version in force on a day: the latest applying from that day or before; the defaults before the first. */
export function conventionOn<T extends { appliesFrom: string }>(versions: readonly T[], day: string): T | null {
  let best: T | null = null;
  for (const v of versions) if (v.appliesFrom <= day && (best === null || v.appliesFrom > best.appliesFrom)) best = v;
  return best;
}

/** Each version with the day before the next one (null for the latest), newest first. */
export function withAppliesTo<T extends { appliesFrom: string }>(versions: readonly T[]): (T & { appliesTo: string | null })[] {
  const sorted = [...versions].sort((a, b) => (a.appliesFrom < b.appliesFrom ? 1 : a.appliesFrom > b.appliesFrom ? -1 : 0));
  return sorted.map((v, i) => ({ ...v, appliesTo: i === 0 ? null : addDays(sorted[i - 1]!.appliesFrom, -1) }));
}

// ---- Pricing --------------------------------------------------------------------------------

/** The overhead in basis points of a percent with two decimals (8.5 → 850). */
function overheadBasisPoints(percent: number): number {
  return Math.round(percent * 100);
}

/** round(numerator ÷ denominator) for non-negative integers (half up), exact while products stay below 2^53. */
function roundDiv(numerator: number, denominator: number): number {
  return Math.floor((2 * numerator + denominator) / (2 * denominator));
}

export function roleRateCents(c: ConventionTerms, role: LabourRole): number {
  return role === 'engineer' ? c.engineerHourlyRateCents : c.technicianHourlyRateCents;
}

/** Labour: minutes × the role's hourly rate ÷ 60 × (1 + overhead), rounded to the cent. */
export function priceLabour(c: ConventionTerms, role: LabourRole, minutes: number): { amountCents: number; quantity: number; unitCostCents: number } {
  const rate = roleRateCents(c, role);
  const m = Math.max(0, Math.round(minutes));
  return { amountCents: roundDiv(m * rate * (10_000 + overheadBasisPoints(c.overheadPercent)), 60 * 10_000), quantity: m, unitCostCents: rate };
}

export interface Coordinates {
  latitude: number | null;
  longitude: number | null;
}

/**
 * Travel of a labour line that records travel minutes (> 0): per minute, minutes × rate; per
 * km, the great-circle distance between the two sites × 2 (there and back) × rate (null when a
 * site has no coordinates). Overhead included. Null: no travel line.
 */
export function priceTravel(
  c: ConventionTerms,
  travelMinutes: number,
  from: Coordinates | null,
  to: Coordinates | null,
): { amountCents: number; quantity: number; unitCostCents: number } | null {
  if (!(travelMinutes > 0)) return null;
  const oh = 10_000 + overheadBasisPoints(c.overheadPercent);
  if (c.travelMode === 'per_minute') {
    if (c.travelCentsPerMinute === 0) return null;
    const m = Math.round(travelMinutes);
    return { amountCents: roundDiv(m * c.travelCentsPerMinute * oh, 10_000), quantity: m, unitCostCents: c.travelCentsPerMinute };
  }
  if (c.travelCentsPerKm === 0 || !from || !to) return null;
  const km = distanceKm(from, to);
  if (km === null) return null;
  const tenths = Math.round(km * 10) * 2; // there and back, in tenths of a km
  return { amountCents: roundDiv(tenths * c.travelCentsPerKm * oh, 10 * 10_000), quantity: tenths / 10, unitCostCents: c.travelCentsPerKm };
}

// ---- Contracts ------------------------------------------------------------------------------

/** The first day of the month of a day. */
export function monthOf(day: string): string {
  return `${day.slice(0, 7)}-01`;
}

/** The first day of the month after. */
export function nextMonth(month: string): string {
  const [y, m] = month.slice(0, 7).split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
}

/**
 * A contract's cost in each month it covers, up to `untilMonth` included: total ÷ the
 * contract's days × its days in the month, rounded on the cumulated days so that the months
 * of the whole contract sum exactly to the total.
 */
export function contractMonthlyCosts(
  contract: { startsOn: string; endsOn: string; totalCostCents: number },
  untilMonth?: string,
): { month: string; days: number; costCents: number }[] {
  const total = contract.totalCostCents;
  const days = dayCount(contract.startsOn, contract.endsOn);
  if (days === 0) return [];
  const out: { month: string; days: number; costCents: number }[] = [];
  let cumulated = 0;
  let before = 0;
  for (const m of monthsOf(contract.startsOn, contract.endsOn)) {
    const month = `${m.month}-01`;
    if (untilMonth !== undefined && month > untilMonth) break;
    const d = dayCount(m.from, m.to);
    cumulated += d;
    const upTo = roundDiv(total * cumulated, days);
    out.push({ month, days: d, costCents: upTo - before });
    before = upTo;
  }
  return out;
}

/**
 * Splits an amount between integer weights by the largest remainder: each gets
 * floor(amount × w ÷ W), the cents left go to the largest remainders (ties: the order given).
 * The shares sum exactly to the amount. All weights 0: null.
 */
export function splitByLargestRemainder<K>(amountCents: number, weights: readonly { key: K; weight: number }[]): { key: K; cents: number }[] | null {
  // BigInt: amounts up to 10^11 cents times weights up to 10^11 (acquisition values) exceed 2^53.
  const w = weights.map((x) => BigInt(Math.max(0, Math.round(x.weight))));
  const total = w.reduce((s, x) => s + x, 0n);
  if (total === 0n) return null;
  const amount = BigInt(amountCents);
  const parts = w.map((x, i) => ({ i, cents: (amount * x) / total, remainder: (amount * x) % total }));
  let left = amount - parts.reduce((s, p) => s + p.cents, 0n);
  const order = [...parts].sort((a, b) => (a.remainder === b.remainder ? a.i - b.i : a.remainder > b.remainder ? -1 : 1));
  for (const p of order) {
    if (left <= 0n) break;
    p.cents += 1n;
    left -= 1n;
  }
  return parts.map((p) => ({ key: weights[p.i]!.key, cents: Number(p.cents) }));
}

export interface CoveredSite {
  siteId: string;
  devices: number;
  acquisitionValueCents: number;
}

/**
 * The split of a month's contract cost between the covered sites, by the convention: device
 * count, acquisition value (all 0 → by devices), or the fixed shares renormalised over the
 * covered sites (a covered site without a share weighs 0; all 0 → by devices). Each share has
 * its weight in basis points of the whole. Sites in siteId order.
 */
export function splitContractMonth(
  costCents: number,
  covered: readonly CoveredSite[],
  split: ContractSplitName,
  fixedShares: readonly { siteId: string; percent: number }[] | null,
): { siteId: string; cents: number; basisPoints: number }[] {
  const sites = [...covered].filter((c) => c.devices > 0).sort((a, b) => (a.siteId < b.siteId ? -1 : a.siteId > b.siteId ? 1 : 0));
  if (sites.length === 0) return [];
  const byDevices = sites.map((s) => ({ key: s.siteId, weight: s.devices }));
  let weights = byDevices;
  if (split === 'acquisition_value') weights = sites.map((s) => ({ key: s.siteId, weight: Math.max(0, s.acquisitionValueCents) }));
  if (split === 'fixed_shares') {
    const percent = new Map((fixedShares ?? []).map((f) => [f.siteId, Math.round(f.percent * 100)]));
    weights = sites.map((s) => ({ key: s.siteId, weight: percent.get(s.siteId) ?? 0 }));
  }
  if (weights.every((w) => w.weight <= 0)) weights = byDevices;
  const total = weights.reduce((s, w) => s + w.weight, 0);
  const cents = splitByLargestRemainder(costCents, weights)!;
  return cents.map((c, i) => ({ siteId: c.key, cents: c.cents, basisPoints: Math.round((weights[i]!.weight * 10_000) / total) }));
}

// ---- Periods --------------------------------------------------------------------------------

/**
 * The month a ledger line goes in: the source's month when it is open, else the first open
 * month after it (months close in any order; the current month is never closed).
 */
export function postingMonth(sourceMonth: string, closedMonths: ReadonlySet<string>): string {
  let m = monthOf(sourceMonth);
  for (let i = 0; i < 1200 && closedMonths.has(m); i++) m = nextMonth(m);
  return m;
}

/** Whether a day falls in a closed month. */
export function inClosedMonth(day: string, closedMonths: ReadonlySet<string>): boolean {
  return closedMonths.has(monthOf(day));
}
