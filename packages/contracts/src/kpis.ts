import { z } from 'zod';
import { DateInput, IsoDate, Uuid } from './common.js';

/**
 * The indicators of the pooling study (issue 15, ADR 0022), computed from the daily rollups
 * over a period of Europe/Paris days (both included; days after today count nothing).
 * Each indicator is `{value, numerator, denominator, records}`: value = numerator ÷
 * denominator in the indicator's unit, null when the denominator is 0.
 */

/** The keys of the six indicators, as in the GET /kpis answer and GET /kpis/series?kpi=. */
export const KPI_KEYS = ['availability', 'mttr', 'pmCompliance', 'costPerDevice', 'techniciansPer1000', 'subcontractedShare'] as const;
export const KpiKey = z.enum(KPI_KEYS);
export type KpiKey = z.infer<typeof KpiKey>;

/** The longest period a KPI query may cover (days): five years. */
export const KPI_MAX_DAYS = 1827;

const spanCheck = (q: { from: string; to: string }) => {
  const days = (Date.parse(`${q.to}T00:00:00Z`) - Date.parse(`${q.from}T00:00:00Z`)) / 86_400_000;
  return days >= 0 && days < KPI_MAX_DAYS;
};
const SPAN_MESSAGE = `Période invalide : « du » avant « au », ${KPI_MAX_DAYS} jours au plus`;

/** GET /api/v1/kpis: a period and, optionally, one site and one equipment category. */
export const KpiQuery = z
  .object({ from: DateInput, to: DateInput, siteId: Uuid.optional(), categoryId: Uuid.optional() })
  .strict()
  .refine(spanCheck, { message: SPAN_MESSAGE, path: ['to'] });
export type KpiQuery = z.infer<typeof KpiQuery>;

/** GET /api/v1/kpis/series: one indicator per month of the period (month is the only interval for now). */
export const KpiSeriesQuery = z
  .object({
    kpi: KpiKey, from: DateInput, to: DateInput, siteId: Uuid.optional(), categoryId: Uuid.optional(),
    interval: z.literal('month').default('month'),
  })
  .strict()
  .refine(spanCheck, { message: SPAN_MESSAGE, path: ['to'] });
export type KpiSeriesQuery = z.infer<typeof KpiSeriesQuery>;

export const KpiIndicator = z
  .object({
    value: z.number().nullable(),
    numerator: z.number(),
    denominator: z.number(),
    /** How many records it comes from: (device, day) pairs, work orders, cost lines, technicians. */
    records: z.number().int(),
  })
  .meta({ id: 'KpiIndicator' });
export type KpiIndicator = z.infer<typeof KpiIndicator>;

/**
 * The six indicators. Units: availability, pmCompliance and subcontractedShare are ratios
 * 0–1; mttr is in hours; costPerDevice in cents a device-year; techniciansPer1000 in FTE per
 * 1,000 devices.
 */
export const KpiSix = z.object({
  /** Devices of criticality `critical`: up minutes ÷ minutes in the active inventory. */
  availability: KpiIndicator,
  /** Hours from report to restoration of the corrective work orders that restored a device in the period. */
  mttr: KpiIndicator,
  /** Planned work orders due in the period (regulatory work apart) done within tolerance ÷ due. */
  pmCompliance: KpiIndicator,
  /** Labour priced by the cost convention + parts at average cost + vendors + contracts prorated over the period ÷ device-years. */
  costPerDevice: KpiIndicator,
  /** FTE of the technicians of the sites ÷ thousands of average active devices (every category). */
  techniciansPer1000: KpiIndicator,
  /** Work orders done in the period only by vendors ÷ work orders done. */
  subcontractedShare: KpiIndicator,
});

const Named = z.object({ id: Uuid, name: z.string() });

export const Kpis = KpiSix.extend({
  from: IsoDate,
  to: IsoDate,
  /** The last day counted: `to`, or today when `to` is later. */
  computedTo: IsoDate,
  siteId: Uuid.nullable(),
  categoryId: Uuid.nullable(),
  /**
   * The technician's hourly rate (cents) of the cost convention version in force on
   * `computedTo` (before the territory's first version, the default 4,500). Labour is priced
   * per line with the version in force on its day and the role of its person (ADR 0023).
   */
  labourHourlyRateCents: z.number().int(),
  /** The engineer's hourly rate (cents) of that version (the default before any). */
  engineerHourlyRateCents: z.number().int(),
  /** That version, null before the territory's first. */
  conventionVersionId: Uuid.nullable(),
  /** Availability of devices of criticality `high`. */
  availabilityHigh: KpiIndicator,
  /** MTTR's median and 90th percentile (hours; nearest rank, read from a histogram within 0.5 %), null without repairs. */
  mttrMedianHours: z.number().nullable(),
  mttrP90Hours: z.number().nullable(),
  /** Labour hours recorded on those repairs ÷ repairs. */
  meanActiveRepairHours: KpiIndicator,
  /** Regulatory planned work due in the period done within tolerance ÷ due. */
  pmRegulatory: KpiIndicator,
  /** Maintenance cost ÷ (acquisition value × years active): a yearly ratio. */
  costOfServiceRatio: KpiIndicator,
  /** Vendor interventions' cost ÷ maintenance cost (contracts in the cost, not in the vendors' part). */
  vendorCostShare: KpiIndicator,
  /**
   * The maintenance cost of the period and its parts (cents): labour priced by the convention
   * (the rate of each line's role in force on its day), parts at their average cost, vendor
   * interventions, and active maintenance contracts prorated by day and split over their
   * covered devices by the convention's split (rounded to the cent once, over the scope).
   */
  cost: z.object({ labourCents: z.number().int(), partsCents: z.number().int(), vendorCents: z.number().int(), contractsCents: z.number().int(), totalCents: z.number().int() }),
  /** Per equipment category (null: devices without a model), by category name. */
  byCategory: z.array(z.object({
    category: Named.nullable(),
    availability: KpiIndicator,
    availabilityHigh: KpiIndicator,
    /** In-service hours ÷ failures reported in the period. */
    mtbf: KpiIndicator,
    mttr: KpiIndicator,
    costPerDevice: KpiIndicator,
  })),
  /** The six per site, by site name (every site the scope covers). */
  bySite: z.array(KpiSix.extend({ site: Named })),
}).meta({ id: 'Kpis' });
export type Kpis = z.infer<typeof Kpis>;

export const KpiSeries = z
  .object({
    kpi: KpiKey,
    from: IsoDate,
    to: IsoDate,
    interval: z.literal('month'),
    siteId: Uuid.nullable(),
    categoryId: Uuid.nullable(),
    points: z.array(KpiIndicator.extend({
      /** 'YYYY-MM'. */
      month: z.string(),
      /** The part of the period in that month. */
      from: IsoDate,
      to: IsoDate,
    })),
  })
  .meta({ id: 'KpiSeries' });
export type KpiSeries = z.infer<typeof KpiSeries>;
