import type { CostConventionInput, CostStatement, LedgerKind, LedgerLine, StatementByKind, StatementPair } from '@gmao/contracts';
import { parseDecimal, parseEuros } from './format.ts';

/** Pure helpers of the cost allocation screens (issue 15, ADR 0023): amounts, shares, pairs, months. */

/** The ledger's kinds (API values) and the keys of a statement's `…ByKind` objects, in display order. */
export const KIND_KEYS: readonly { kind: LedgerKind; key: keyof StatementByKind }[] = [
  { kind: 'labour', key: 'labour' },
  { kind: 'travel', key: 'travel' },
  { kind: 'part_transfer', key: 'partTransfer' },
  { kind: 'shared_contract', key: 'sharedContract' },
];

const intlLocale = (locale: string) => (locale === 'fr' ? 'fr-FR' : 'en-GB');
const signedCache = new Map<string, Intl.NumberFormat>();

/** A net amount with its sign: "+1 234,56 €", "−80,00 €", "0,00 €" (French). */
export function formatSignedMoney(cents: number, locale: string): string {
  let format = signedCache.get(locale);
  if (!format) {
    format = new Intl.NumberFormat(intlLocale(locale), { style: 'currency', currency: 'EUR', signDisplay: 'exceptZero' });
    signedCache.set(locale, format);
  }
  return format.format(cents / 100);
}

/** "2026-11" → "novembre 2026" / "November 2026". */
export function formatMonth(month: string, locale: string): string {
  const match = /^(\d{4})-(\d{2})$/.exec(month);
  if (!match) return month;
  return new Intl.DateTimeFormat(intlLocale(locale), { timeZone: 'UTC', month: 'long', year: 'numeric' }).format(
    new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, 1)),
  );
}

/** Who owes whom in a pair: B owes A when A gave more (netCents > 0); null when they are even. */
export function orientPair(pair: Pick<StatementPair, 'siteAId' | 'siteBId' | 'netCents'>): { debtorSiteId: string; creditorSiteId: string; amountCents: number } | null {
  if (pair.netCents === 0) return null;
  return pair.netCents > 0
    ? { debtorSiteId: pair.siteBId, creditorSiteId: pair.siteAId, amountCents: pair.netCents }
    : { debtorSiteId: pair.siteAId, creditorSiteId: pair.siteBId, amountCents: -pair.netCents };
}

/** Whether the caller may read the lines of this site (detailSiteIds null: every site). */
export function mayReadLines(detailSiteIds: readonly string[] | null, siteId: string): boolean {
  return detailSiteIds === null || detailSiteIds.includes(siteId);
}

/**
 * The drill-down of a pair: its lines asked for from a side the caller may read (the API refuses
 * another site's lines to a site manager), the other side as counterpart; null when neither is readable.
 */
export function pairDrill(detailSiteIds: readonly string[] | null, pair: Pick<StatementPair, 'siteAId' | 'siteBId'>): { siteId: string; counterpartSiteId: string } | null {
  if (mayReadLines(detailSiteIds, pair.siteAId)) return { siteId: pair.siteAId, counterpartSiteId: pair.siteBId };
  if (mayReadLines(detailSiteIds, pair.siteBId)) return { siteId: pair.siteBId, counterpartSiteId: pair.siteAId };
  return null;
}

/** The sites whose statement the caller may approve now: month ended and open, site not approved, right on it. */
export function sitesToApprove(statement: Pick<CostStatement, 'state' | 'approvable' | 'sites'>, canApprove: (siteId: string) => boolean): string[] {
  if (statement.state !== 'open' || !statement.approvable) return [];
  return statement.sites.filter((s) => s.approval === null && canApprove(s.siteId)).map((s) => s.siteId);
}

/** What a ledger line came from, to show and link: a work order first, else the part, the person, the contract. */
export type LineSource =
  | { type: 'workOrder'; id: string; number: string }
  | { type: 'part'; label: string }
  | { type: 'person'; name: string }
  | { type: 'contract'; id: string }
  | { type: 'other' };

export function lineSource(line: Pick<LedgerLine, 'sourceType' | 'sourceId' | 'workOrder' | 'part' | 'user'>): LineSource {
  if (line.workOrder) return { type: 'workOrder', id: line.workOrder.id, number: line.workOrder.number };
  if (line.sourceType === 'maintenance_contract') return { type: 'contract', id: line.sourceId };
  if (line.part) return { type: 'part', label: line.part.label };
  if (line.user) return { type: 'person', name: line.user.name };
  return { type: 'other' };
}

/**
 * A correction's label: a counter-entry (« Contre-passation ») fixes a line of a closed month from
 * the next open month (the description names that month: sourceMonth differs from the line's month);
 * any other correction is a « Correction » within the month. null: an ordinary line.
 */
export function correctionKind(line: Pick<LedgerLine, 'correction' | 'month' | 'sourceMonth'>): 'counterEntry' | 'correction' | null {
  if (!line.correction) return null;
  if (line.sourceMonth !== null && line.sourceMonth.slice(0, 7) !== line.month) return 'counterEntry';
  return 'correction';
}

/**
 * A percentage typed in French or English ("12,5", "33.33"): 0 to 100, two decimals at most.
 * Empty → null; anything else → NaN.
 */
export function parsePercent(text: string): number | null {
  const value = parseDecimal(text);
  if (value === null) return null;
  if (Number.isNaN(value) || value < 0 || value > 100) return Number.NaN;
  // value × 100 may be off by a float's last bit: two decimals at most, read exactly.
  const hundredths = value * 100;
  if (Math.abs(hundredths - Math.round(hundredths)) > 1e-6) return Number.NaN;
  return Math.round(hundredths) / 100;
}

/**
 * The live total of fixed shares typed as text: the sum (exact, in hundredths of a percent),
 * whether every share is readable, and whether it is exactly 100.
 */
export function sharesTotal(shares: readonly string[]): { total: number; readable: boolean; complete: boolean } {
  let hundredths = 0;
  let readable = true;
  for (const text of shares) {
    const value = parsePercent(text);
    if (value === null) continue;
    if (Number.isNaN(value)) {
      readable = false;
      continue;
    }
    hundredths += Math.round(value * 100);
  }
  return { total: hundredths / 100, readable, complete: readable && hundredths === 10_000 };
}

/** The convention form as typed (amounts in euros, percentages as text). */
export interface ConventionDraft {
  appliesFrom: string;
  technicianHourlyRate: string;
  engineerHourlyRate: string;
  travelMode: 'per_minute' | 'per_km';
  travelPerMinute: string;
  travelPerKm: string;
  overheadPercent: string;
  contractSplit: 'devices' | 'acquisition_value' | 'fixed_shares';
  /** Site id → percent as typed (fixed shares only). */
  shares: Record<string, string>;
  note: string;
}

export type ConventionDraftError = 'invalidAmount' | 'invalidPercent' | 'required';

/**
 * The body of POST /cost-conventions from the form, or the fields that cannot be read (amounts
 * in euros → cents; the travel rate of the other mode sent as 0; shares only with fixed_shares,
 * empty ones left out). The contract's own checks (ranges, sum of 100) run afterwards.
 */
export function conventionBody(draft: ConventionDraft): { body: Partial<CostConventionInput>; errors: Record<string, ConventionDraftError> } {
  const errors: Record<string, ConventionDraftError> = {};
  const cents = (field: string, text: string, required: boolean): number | undefined => {
    const value = parseEuros(text);
    if (value === null) {
      if (required) errors[field] = 'required';
      return required ? undefined : 0;
    }
    if (Number.isNaN(value)) {
      errors[field] = 'invalidAmount';
      return undefined;
    }
    return value;
  };
  const body: Partial<CostConventionInput> = {
    appliesFrom: draft.appliesFrom,
    technicianHourlyRateCents: cents('technicianHourlyRateCents', draft.technicianHourlyRate, true),
    engineerHourlyRateCents: cents('engineerHourlyRateCents', draft.engineerHourlyRate, true),
    travelMode: draft.travelMode,
    travelCentsPerMinute: draft.travelMode === 'per_minute' ? cents('travelCentsPerMinute', draft.travelPerMinute, false) : 0,
    travelCentsPerKm: draft.travelMode === 'per_km' ? cents('travelCentsPerKm', draft.travelPerKm, false) : 0,
    contractSplit: draft.contractSplit,
    note: draft.note,
  };
  const overhead = parsePercent(draft.overheadPercent);
  if (overhead !== null && Number.isNaN(overhead)) errors.overheadPercent = 'invalidPercent';
  else body.overheadPercent = overhead ?? 0;
  if (draft.contractSplit === 'fixed_shares') {
    const shares: { siteId: string; percent: number }[] = [];
    for (const [siteId, text] of Object.entries(draft.shares)) {
      const percent = parsePercent(text);
      if (percent === null) continue;
      if (Number.isNaN(percent)) errors[`share.${siteId}`] = 'invalidPercent';
      else shares.push({ siteId, percent });
    }
    body.fixedShares = shares;
  } else {
    body.fixedShares = null;
  }
  return { body, errors };
}

/** A covered device of a maintenance contract as the form shows it. */
export interface CoveredDevice {
  id: string;
  inventoryNumber: string;
  label: string;
  siteId: string;
}
