import { z } from 'zod';
import { DateInput, IsoDate, QueryBoolean, StoredText, Timestamp, Uuid, keysetCursor, listQuery, page } from './common.js';

/**
 * Cost allocation between the sites of a territory (issue 15, ADR 0023): the territory's
 * cost convention, maintenance contracts, the inter-site ledger and the monthly statements
 * that every site's manager approves. Amounts are integer cents.
 */

// ---------------------------------------------------------------------------------------
// The convention (territory admin; versioned by the day it applies from)

export const TRAVEL_MODES = ['per_minute', 'per_km'] as const;
export const TravelMode = z.enum(TRAVEL_MODES);
export const CONTRACT_SPLITS = ['devices', 'acquisition_value', 'fixed_shares'] as const;
export const ContractSplit = z.enum(CONTRACT_SPLITS);

export const FixedShare = z.object({ siteId: Uuid, percent: z.number().min(0).max(100) });
export type FixedShare = z.infer<typeof FixedShare>;

const Cents = z.number().int();
const RateCents = z.number().int().min(0).max(1_000_000);

/** POST /api/v1/cost-conventions: a new version. */
export const CostConventionInput = z
  .object({
    appliesFrom: DateInput,
    technicianHourlyRateCents: RateCents,
    engineerHourlyRateCents: RateCents,
    travelMode: TravelMode.default('per_minute'),
    travelCentsPerMinute: z.number().int().min(0).max(100_000).default(0),
    travelCentsPerKm: z.number().int().min(0).max(100_000).default(0),
    /** Added to labour and travel lines of the ledger; two decimals at most. */
    overheadPercent: z.number().min(0).max(100).multipleOf(0.01).default(0),
    contractSplit: ContractSplit.default('devices'),
    /** Required with contractSplit = fixed_shares (every share ≥ 0, summing to 100); refused otherwise. */
    fixedShares: z.array(FixedShare).max(500).nullable().optional(),
    note: StoredText.max(2000).default(''),
  })
  .strict();
export type CostConventionInput = z.infer<typeof CostConventionInput>;

export const CostConventionVersion = z
  .object({
    id: Uuid,
    appliesFrom: IsoDate,
    /** The day before the next version applies; null for the latest. */
    appliesTo: IsoDate.nullable(),
    technicianHourlyRateCents: Cents,
    engineerHourlyRateCents: Cents,
    travelMode: TravelMode,
    travelCentsPerMinute: Cents,
    travelCentsPerKm: Cents,
    overheadPercent: z.number(),
    contractSplit: ContractSplit,
    fixedShares: z.array(FixedShare).nullable(),
    note: z.string(),
    createdBy: z.object({ id: Uuid, name: z.string() }),
    createdAt: Timestamp,
  })
  .meta({ id: 'CostConventionVersion' });
export type CostConventionVersion = z.infer<typeof CostConventionVersion>;

/** GET /api/v1/cost-conventions: every version, newest first, and the one in force today (null before the first). */
export const CostConventionList = z.object({
  items: z.array(CostConventionVersion),
  currentId: Uuid.nullable(),
});
export type CostConventionList = z.infer<typeof CostConventionList>;

// ---------------------------------------------------------------------------------------
// Maintenance contracts

export const MaintenanceContractInput = z
  .object({
    reference: StoredText.trim().min(1).max(120),
    vendor: StoredText.trim().min(1).max(200),
    payerSiteId: Uuid,
    startsOn: DateInput,
    endsOn: DateInput,
    totalCostCents: z.number().int().min(0).max(100_000_000_000),
    /** The devices covered (any site of the territory). */
    equipmentIds: z.array(Uuid).max(10_000).default([]),
    note: StoredText.max(2000).default(''),
  })
  .strict();
export type MaintenanceContractInput = z.infer<typeof MaintenanceContractInput>;

/** A covered device as the contract's editor names it: inventory number, site, category and model. */
export const ContractCoveredDevice = z.object({
  id: Uuid,
  inventoryNumber: z.string(),
  siteId: Uuid,
  model: z.object({ id: Uuid, manufacturer: z.string(), modelName: z.string() }).nullable(),
  category: z.object({ id: Uuid, code: z.string(), label: z.string() }).nullable(),
});
export type ContractCoveredDevice = z.infer<typeof ContractCoveredDevice>;

export const MaintenanceContract = z
  .object({
    id: Uuid,
    reference: z.string(),
    vendor: z.string(),
    payerSiteId: Uuid,
    startsOn: IsoDate,
    endsOn: IsoDate,
    totalCostCents: Cents,
    note: z.string(),
    active: z.boolean(),
    /** Covered devices per site. */
    coveredBySite: z.array(z.object({ siteId: Uuid, devices: z.number().int(), acquisitionValueCents: Cents })),
    devices: z.number().int(),
    /** The covered devices' ids (GET /{id} and the answers of writes; absent from lists). */
    equipmentIds: z.array(Uuid).optional(),
    /** The covered devices, named, by inventory number (where equipmentIds is): one read for the editor, whatever their number. */
    coveredDevices: z.array(ContractCoveredDevice).optional(),
    version: z.number().int(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: 'MaintenanceContract' });
export type MaintenanceContract = z.infer<typeof MaintenanceContract>;

/**
 * GET /api/v1/maintenance-contracts: by reference. siteId: the contracts the site pays or
 * that cover one of its devices; active: true or false (both when absent).
 */
export const MaintenanceContractListQuery = listQuery(z.tuple([z.string(), Uuid]))
  .extend({ siteId: Uuid.optional(), active: QueryBoolean.optional() })
  .strict();
export type MaintenanceContractListQuery = z.infer<typeof MaintenanceContractListQuery>;
export const MaintenanceContractPage = page(MaintenanceContract);

// ---------------------------------------------------------------------------------------
// The ledger and the monthly statements

export const LEDGER_KINDS = ['labour', 'travel', 'part_transfer', 'shared_contract'] as const;
export const LedgerKind = z.enum(LEDGER_KINDS);
export type LedgerKind = z.infer<typeof LedgerKind>;
export const LEDGER_SOURCES = ['work_order_labour', 'stock_transfer', 'maintenance_contract'] as const;
export const LedgerSource = z.enum(LEDGER_SOURCES);

/** A month of the statements: `YYYY-MM`. */
export const StatementMonth = z
  .string()
  .regex(/^(19|20|21)\d{2}-(0[1-9]|1[0-2])$/, 'mois attendu : AAAA-MM');
export const StatementMonthParams = z.object({ month: StatementMonth });

export const StatementByKind = z.object({
  labour: Cents,
  travel: Cents,
  partTransfer: Cents,
  sharedContract: Cents,
});
export type StatementByKind = z.infer<typeof StatementByKind>;

/** What one site gave (is owed: creditor) and received (owes: debtor) in the month. */
export const StatementSiteTotal = z.object({
  siteId: Uuid,
  siteName: z.string(),
  gaveCents: Cents,
  receivedCents: Cents,
  /** gave − received: positive, the others owe this site. */
  netCents: Cents,
  gaveByKind: StatementByKind,
  receivedByKind: StatementByKind,
  lines: z.number().int(),
  approval: z.object({ approvedBy: z.object({ id: Uuid, name: z.string() }), approvedAt: Timestamp }).nullable(),
});
export type StatementSiteTotal = z.infer<typeof StatementSiteTotal>;

/** A pair of sites: what A gave B, what B gave A, and B's net debt to A (a→b positive). */
export const StatementPair = z.object({
  siteAId: Uuid,
  siteBId: Uuid,
  aGaveCents: Cents,
  bGaveCents: Cents,
  /** aGave − bGave: positive, B owes A. */
  netCents: Cents,
  lines: z.number().int(),
});
export type StatementPair = z.infer<typeof StatementPair>;

/**
 * GET /api/v1/cost-statements/{month}: every site's totals and every pair (visible to every
 * reader: site managers see all totals), the period's state and approvals.
 */
export const CostStatement = z
  .object({
    month: StatementMonth,
    state: z.enum(['open', 'closed']),
    closedAt: Timestamp.nullable(),
    /** Sites still to approve (open months). */
    awaitingSiteIds: z.array(Uuid),
    /** True when the month has ended and may be approved. */
    approvable: z.boolean(),
    totalCents: Cents,
    sites: z.array(StatementSiteTotal),
    pairs: z.array(StatementPair),
    /** The sites whose lines the caller may read in detail (null: every site). */
    detailSiteIds: z.array(Uuid).nullable(),
  })
  .meta({ id: 'CostStatement' });
export type CostStatement = z.infer<typeof CostStatement>;

export const LedgerLine = z
  .object({
    id: z.number().int(),
    month: StatementMonth,
    occurredOn: IsoDate,
    creditorSiteId: Uuid,
    debtorSiteId: Uuid,
    kind: LedgerKind,
    amountCents: Cents,
    quantity: z.number().nullable(),
    unitCostCents: Cents.nullable(),
    sourceType: LedgerSource,
    sourceId: Uuid,
    sourceMonth: IsoDate.nullable(),
    /** The work order (labour, travel, a transfer for a work order), with its number (text, as every work order's). */
    workOrder: z.object({ id: Uuid, number: z.string() }).nullable(),
    equipment: z.object({ id: Uuid, label: z.string() }).nullable(),
    user: z.object({ id: Uuid, name: z.string() }).nullable(),
    part: z.object({ id: Uuid, label: z.string() }).nullable(),
    conventionVersionId: Uuid.nullable(),
    /** A correction of an earlier line (after an edit of its source, or a counter-entry after closing). */
    correction: z.boolean(),
    description: z.string(),
    createdAt: Timestamp,
  })
  .meta({ id: 'LedgerLine' });
export type LedgerLine = z.infer<typeof LedgerLine>;

/**
 * GET /api/v1/cost-statements/{month}/lines: the drill-down. Site managers (without an
 * engineer or territory role) get only the lines where one of their sites is creditor or
 * debtor (siteId of another site: 403).
 */
export const LedgerLinesQuery = z
  .object({
    siteId: Uuid.optional(),
    counterpartSiteId: Uuid.optional(),
    kind: LedgerKind.optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
    cursor: keysetCursor(z.tuple([z.number().int()])).optional(),
  })
  .strict();
export type LedgerLinesQuery = z.infer<typeof LedgerLinesQuery>;
export const LedgerLinePage = page(LedgerLine);

/** POST /api/v1/cost-statements/{month}/approvals: the site's manager approves its statement. */
export const StatementApprovalInput = z.object({ siteId: Uuid, note: StoredText.max(2000).default('') }).strict();
export type StatementApprovalInput = z.infer<typeof StatementApprovalInput>;

/** GET /api/v1/cost-statements: the months that have lines or periods, newest first. */
export const CostStatementMonths = z.object({
  items: z.array(
    z.object({ month: StatementMonth, state: z.enum(['open', 'closed']), totalCents: Cents, approvals: z.number().int(), sites: z.number().int() }),
  ),
});
export type CostStatementMonths = z.infer<typeof CostStatementMonths>;

/** GET /api/v1/cost-statements/balance?siteId=&from=&to=: one site's monthly net with each other site (home page). */
export const SiteBalanceQuery = z.object({ siteId: Uuid, from: StatementMonth, to: StatementMonth }).strict();
export const SiteBalance = z.object({
  siteId: Uuid,
  months: z.array(z.object({ month: StatementMonth, gaveCents: Cents, receivedCents: Cents, netCents: Cents })),
  counterparts: z.array(z.object({ siteId: Uuid, siteName: z.string(), gaveCents: Cents, receivedCents: Cents, netCents: Cents })),
});
export type SiteBalance = z.infer<typeof SiteBalance>;

/** GET /api/v1/cost-statements/{month}.csv|.xlsx|.pdf: the reader's language (else Accept-Language, else French). */
export const StatementExportQuery = z.object({ lang: z.enum(['fr', 'en']).optional() }).strict();

/** GET /api/v1/kpis/steering-report.pdf: the month of the steering committee's report. */
export const SteeringReportQuery = z.object({ month: StatementMonth, lang: z.enum(['fr', 'en']).optional() }).strict();
export type SteeringReportQuery = z.infer<typeof SteeringReportQuery>;
