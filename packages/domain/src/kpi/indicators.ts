/**
 * The six indicators of the pooling study (issue 15, ADR 0022), from rollup-shaped inputs:
 * the sums of the daily rollups over a period and a scope. Each answer is
 * `{value, numerator, denominator, records}` with value = numerator ÷ denominator in the
 * indicator's unit (null when the denominator is 0), so that anyone can check it.
 */

export interface Indicator {
  value: number | null;
  numerator: number;
  denominator: number;
  /** How many records it is computed from (devices-days, work orders, cost lines, people). */
  records: number;
}

/** Sums of the daily rollups (kpi_daily) over a period and a scope. */
export interface KpiSums {
  deviceDays: number;
  deviceDayPairs: number;
  acquisitionCentsDays: number;
  activeMinutes: number;
  downMinutes: number;
  activeMinutesCritical: number;
  downMinutesCritical: number;
  pairsCritical: number;
  activeMinutesHigh: number;
  downMinutesHigh: number;
  pairsHigh: number;
  failures: number;
  repairs: number;
  repairMinutes: number;
  repairLabourMinutes: number;
  pmDue: number;
  pmDone: number;
  pmRegulatoryDue: number;
  pmRegulatoryDone: number;
  labourMinutes: number;
  /** Labour priced at the convention's rate of each line's role and day (ADR 0023). */
  labourCents: number;
  labourRecords: number;
  partsCents: number;
  partsRecords: number;
  vendorCents: number;
  vendorRecords: number;
  closed: number;
  closedVendorOnly: number;
  /** Maintenance contracts prorated by day and split over their covered devices (fractions of a cent). */
  contractCents: number;
}

export const EMPTY_KPI_SUMS: KpiSums = {
  deviceDays: 0, deviceDayPairs: 0, acquisitionCentsDays: 0, activeMinutes: 0, downMinutes: 0, activeMinutesCritical: 0, downMinutesCritical: 0,
  pairsCritical: 0, activeMinutesHigh: 0, downMinutesHigh: 0, pairsHigh: 0, failures: 0, repairs: 0, repairMinutes: 0, repairLabourMinutes: 0,
  pmDue: 0, pmDone: 0, pmRegulatoryDue: 0, pmRegulatoryDone: 0, labourMinutes: 0, labourRecords: 0, partsCents: 0, partsRecords: 0,
  vendorCents: 0, vendorRecords: 0, closed: 0, closedVendorOnly: 0, labourCents: 0, contractCents: 0,
};

/** Adds rollup sums (e.g. the rows of several sites or categories). */
export function addKpiSums(a: KpiSums, b: Partial<KpiSums>): KpiSums {
  const out = { ...a };
  for (const k of Object.keys(EMPTY_KPI_SUMS) as (keyof KpiSums)[]) out[k] += Number(b[k] ?? 0);
  return out;
}

/**
 * The hourly labour rate of both roles before the territory's first cost convention version
 * (ADR 0023): 45 € an hour, the loaded cost of a hospital biomedical technician.
 */
export const DEFAULT_LABOUR_HOURLY_RATE_CENTS = 4500;

/** Days in a year, for annualising and device-years. */
export const DAYS_PER_YEAR = 365;

export function indicator(numerator: number, denominator: number, records: number): Indicator {
  return { value: denominator === 0 ? null : numerator / denominator, numerator, denominator, records };
}

/** Availability (a ratio 0–1) = up minutes ÷ active minutes, where up = active − down. Records: (device, day) pairs. */
export function availability(activeMinutes: number, downMinutes: number, pairs: number): Indicator {
  return indicator(activeMinutes - downMinutes, activeMinutes, pairs);
}

/** MTTR (hours) = Σ (restored at − reported at) ÷ repairs. Records: the repairs. */
export function mttr(s: Pick<KpiSums, 'repairs' | 'repairMinutes'>): Indicator {
  return indicator(s.repairMinutes / 60, s.repairs, s.repairs);
}

/** Mean active repair time (hours) = labour hours on the repairs ÷ repairs. */
export function meanActiveRepairHours(s: Pick<KpiSums, 'repairs' | 'repairLabourMinutes'>): Indicator {
  return indicator(s.repairLabourMinutes / 60, s.repairs, s.repairs);
}

/** MTBF (hours) = in-service hours (active − down) ÷ failures. Records: the failures. */
export function mtbf(s: Pick<KpiSums, 'activeMinutes' | 'downMinutes' | 'failures'>): Indicator {
  return indicator((s.activeMinutes - s.downMinutes) / 60, s.failures, s.failures);
}

/** Planned maintenance done (0–1) = due and done within tolerance ÷ due (regulatory work apart). Records: the work orders due. */
export function pmCompliance(due: number, done: number): Indicator {
  return indicator(done, due, due);
}

/**
 * The cost of maintenance (cents) over the period: labour priced by the convention (in the
 * rollups), parts, vendors, and contracts (their prorated fractions rounded once, here).
 */
export function maintenanceCostCents(s: Pick<KpiSums, 'labourCents' | 'partsCents' | 'vendorCents' | 'contractCents'>): number {
  return s.labourCents + s.partsCents + s.vendorCents + Math.round(s.contractCents);
}

/** The cost lines behind a cost: labour lines, parts movements, vendor interventions (contracts are not lines). */
const costRecords = (s: KpiSums) => s.labourRecords + s.partsRecords + s.vendorRecords;

/**
 * Annual maintenance cost per device (cents a device-year) = cost ÷ device-years, where
 * device-years = Σ active device-days ÷ 365 (devices active part of the period count for that
 * part: annualised). Records: the cost lines (labour, parts, vendor interventions).
 */
export function costPerDevice(s: KpiSums): Indicator {
  return indicator(maintenanceCostCents(s), s.deviceDays / DAYS_PER_YEAR, costRecords(s));
}

/** Cost-of-service ratio (a year⁻¹ ratio) = cost ÷ (acquisition value × years active). */
export function costOfServiceRatio(s: KpiSums): Indicator {
  return indicator(maintenanceCostCents(s), s.acquisitionCentsDays / DAYS_PER_YEAR, costRecords(s));
}

/** The vendors' share of the maintenance cost (0–1): vendor interventions (contracts apart). Records: the vendor interventions. */
export function vendorCostShare(s: KpiSums): Indicator {
  return indicator(s.vendorCents, maintenanceCostCents(s), s.vendorRecords);
}

/**
 * Technicians per 1,000 devices = FTE of the technicians ÷ (average active devices ÷ 1,000),
 * the average over the days of the period. Records: the technicians.
 */
export function techniciansPer1000(fte: number, technicians: number, deviceDays: number, days: number): Indicator {
  return indicator(fte, days === 0 ? 0 : deviceDays / days / 1000, technicians);
}

/** Share subcontracted (0–1) = work orders done only by vendors ÷ work orders done. Records: the work orders done. */
export function subcontractedShare(s: Pick<KpiSums, 'closed' | 'closedVendorOnly'>): Indicator {
  return indicator(s.closedVendorOnly, s.closed, s.closed);
}

// ---- The repair-time histogram ------------------------------------------------------

/** Bucket width of the repair-time histogram: each bucket spans 1 % (SQL kpi_repair_bucket). */
export const REPAIR_BUCKET_RATIO = 1.01;

/** The bucket of a time to restore in minutes (the SQL function kpi_repair_bucket's rule). */
export function repairBucket(minutes: number): number {
  return minutes <= 1 ? 0 : Math.ceil(Math.log(minutes) / Math.log(REPAIR_BUCKET_RATIO));
}

/** The value a bucket stands for (minutes): its geometric middle, within 0.5 % of any time in it (1 minute for bucket 0). */
export function repairBucketMinutes(bucket: number): number {
  return bucket === 0 ? 1 : REPAIR_BUCKET_RATIO ** (bucket - 0.5);
}

/**
 * The p-th percentile (nearest rank: the k-th smallest, k = ⌈p·n⌉, as PostgreSQL's
 * percentile_disc) of the times in a histogram, in hours; null when it is empty.
 */
export function histogramPercentileHours(buckets: readonly { bucket: number; repairs: number }[], p: number): number | null {
  const sorted = [...buckets].filter((b) => b.repairs > 0).sort((a, b) => a.bucket - b.bucket);
  const n = sorted.reduce((s, b) => s + b.repairs, 0);
  if (n === 0) return null;
  const k = Math.max(1, Math.ceil(p * n));
  let seen = 0;
  for (const b of sorted) {
    seen += b.repairs;
    if (seen >= k) return repairBucketMinutes(b.bucket) / 60;
  }
  return null;
}

/** The exact nearest-rank percentile of a list of values (for tests and small sets). */
export function nearestRankPercentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(1, Math.ceil(p * sorted.length)) - 1]!;
}
