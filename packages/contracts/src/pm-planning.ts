import { z } from 'zod';
import { DateInput, IsoDate, Uuid } from './common.js';
import { PmPerformer, PmWorkOrderType } from './maintenance-plans.js';
import { WorkOrderState } from './work-orders.js';

/**
 * The engineer's planning views of preventive maintenance (issue 13): the calendar of due
 * planned work, the workload per site and week against the technicians' hours, and the
 * compliance of planned work (done within tolerance ÷ due). Days are Europe/Paris calendar
 * days; a week starts on Monday (ISO).
 */

/** The longest span a calendar or workload query may cover (days). */
export const PM_PLANNING_MAX_DAYS = 190;
/** The longest span a compliance query may cover (days). */
export const PM_COMPLIANCE_MAX_DAYS = 1100;

const spanCheck = (max: number) => (q: { from: string; to: string }) => {
  const days = (Date.parse(`${q.to}T00:00:00Z`) - Date.parse(`${q.from}T00:00:00Z`)) / 86_400_000;
  return days >= 0 && days <= max;
};

/** GET /pm/calendar and GET /pm/workload: a period (both days included) and, optionally, one site. */
export const PmPlanningQuery = z
  .object({ from: DateInput, to: DateInput, siteId: Uuid.optional() })
  .strict()
  .refine(spanCheck(PM_PLANNING_MAX_DAYS), { message: `Période invalide : « du » avant « au », ${PM_PLANNING_MAX_DAYS} jours au plus`, path: ['to'] });
export type PmPlanningQuery = z.infer<typeof PmPlanningQuery>;

/**
 * One occurrence of planned work in the calendar: a generated work order (workOrder set), or
 * an occurrence the generator has not created yet (workOrder null: a forecast from the
 * schedule, beyond the plan's lead time).
 */
export const PmCalendarItem = z
  .object({
    /** Stable key of the occurrence: the work order's id, else `planId:equipmentId:dueDate`. */
    key: z.string(),
    workOrder: z
      .object({ id: Uuid, number: z.string(), state: WorkOrderState, version: z.number().int() })
      .nullable(),
    plan: z.object({ id: Uuid, name: z.string() }),
    equipment: z.object({ id: Uuid, inventoryNumber: z.string(), label: z.string() }),
    site: z.object({ id: Uuid, name: z.string() }),
    type: PmWorkOrderType,
    /** The occurrence's due date. */
    dueDate: IsoDate,
    /** The day the work is planned for: the due date unless moved within the tolerance window. */
    plannedDate: IsoDate,
    /** The tolerance window (due date − days before … due date + days after). */
    windowStart: IsoDate,
    windowEnd: IsoDate,
    estimatedMinutes: z.number().int().nullable(),
    regulatory: z.boolean(),
    performedBy: PmPerformer,
    assignees: z.array(z.object({ id: Uuid, fullName: z.string() })),
    /** Not done and its due date has passed (Europe/Paris). */
    overdue: z.boolean(),
    /** Whether the reader may move it (PUT /work-orders/{id}/planned-date). */
    canReschedule: z.boolean(),
  })
  .meta({ id: 'PmCalendarItem' });
export type PmCalendarItem = z.infer<typeof PmCalendarItem>;

/** GET /pm/calendar: per day (only days with work), then the occurrences by planned day. */
export const PmCalendar = z
  .object({
    from: IsoDate,
    to: IsoDate,
    days: z.array(z.object({
      date: IsoDate,
      count: z.number().int(),
      regulatoryCount: z.number().int(),
      /** Sum of the occurrences' estimated minutes (those without an estimate count 0). */
      estimatedMinutes: z.number().int(),
    })),
    items: z.array(PmCalendarItem),
    /** True when the period held more occurrences than the answer carries (items capped; days are complete). */
    truncated: z.boolean(),
  })
  .meta({ id: 'PmCalendar' });
export type PmCalendar = z.infer<typeof PmCalendar>;

/** PUT /work-orders/{id}/planned-date (If-Match: version): move generated work within its tolerance window. */
export const PlannedDateUpdate = z.object({ plannedDate: DateInput }).strict();
export type PlannedDateUpdate = z.infer<typeof PlannedDateUpdate>;

/** GET /pm/workload: per site and ISO week, due planned work against the technicians' hours. */
export const PmWorkload = z
  .object({
    from: IsoDate,
    to: IsoDate,
    /** The Mondays of the weeks the period touches. */
    weeks: z.array(IsoDate),
    sites: z.array(z.object({
      site: z.object({ id: Uuid, name: z.string() }),
      /** Active technicians of the site and their weekly hours (split evenly when one works at several sites). */
      technicians: z.number().int(),
      weeklyCapacityMinutes: z.number().int(),
      weeks: z.array(z.object({
        weekStart: IsoDate,
        /** Estimated minutes of the planned work falling in that week (by planned day; internal work only). */
        dueMinutes: z.number().int(),
        /** Occurrences in the week, and those without an estimate (counted 0 minutes). */
        count: z.number().int(),
        unestimated: z.number().int(),
        capacityMinutes: z.number().int(),
        /** dueMinutes ÷ capacityMinutes (null when the site has no capacity). */
        load: z.number().nullable(),
        /** Due work beyond the capacity (or any due work with no capacity). */
        overloaded: z.boolean(),
        /** Minutes of capacity left (0 when overloaded). */
        spareMinutes: z.number().int(),
      })),
    })),
  })
  .meta({ id: 'PmWorkload' });
export type PmWorkload = z.infer<typeof PmWorkload>;

/** GET /pm/compliance: a period (both days included) of due dates, and optionally one site. */
export const PmComplianceQuery = z
  .object({ from: DateInput, to: DateInput, siteId: Uuid.optional() })
  .strict()
  .refine(spanCheck(PM_COMPLIANCE_MAX_DAYS), { message: `Période invalide : « du » avant « au », ${PM_COMPLIANCE_MAX_DAYS} jours au plus`, path: ['to'] });
export type PmComplianceQuery = z.infer<typeof PmComplianceQuery>;

/** Planned work orders due in the period and what became of them. */
export const PmComplianceFigures = z.object({
  /** Generated work orders whose due date falls in the period (cancelled ones included). */
  due: z.number().int(),
  /** Completed (or closed) on a day within their tolerance window. */
  doneWithinTolerance: z.number().int(),
  /** Completed after the window closed (or before it opened). */
  doneOutsideTolerance: z.number().int(),
  /** Cancelled, with their reason (they stay in `due`). */
  cancelled: z.number().int(),
  /** Not done yet: open, inside or past their window. */
  open: z.number().int(),
  /** doneWithinTolerance ÷ due; null when nothing was due. */
  rate: z.number().nullable(),
});
export type PmComplianceFigures = z.infer<typeof PmComplianceFigures>;

export const PmOverdueRegulatory = z
  .object({
    workOrder: z.object({ id: Uuid, number: z.string(), state: WorkOrderState }),
    plan: z.object({ id: Uuid, name: z.string() }),
    equipment: z.object({ id: Uuid, inventoryNumber: z.string(), label: z.string() }),
    site: z.object({ id: Uuid, name: z.string() }),
    type: PmWorkOrderType,
    dueDate: IsoDate,
    windowEnd: IsoDate,
    /** Days since the due date (Europe/Paris, today excluded). */
    daysOverdue: z.number().int(),
    assignees: z.array(z.object({ id: Uuid, fullName: z.string() })),
  })
  .meta({ id: 'PmOverdueRegulatory' });
export type PmOverdueRegulatory = z.infer<typeof PmOverdueRegulatory>;

export const PmCompliance = z
  .object({
    from: IsoDate,
    to: IsoDate,
    total: PmComplianceFigures,
    /** Regulatory work apart: quality control, electrical safety, preventive work on a device with the maintenance obligation, or a plan flagged regulatory. */
    regulatory: PmComplianceFigures,
    bySite: z.array(PmComplianceFigures.extend({ site: z.object({ id: Uuid, name: z.string() }) })),
    byCategory: z.array(PmComplianceFigures.extend({ category: z.object({ id: Uuid, name: z.string() }).nullable() })),
    /** Per site and category. */
    bySiteAndCategory: z.array(PmComplianceFigures.extend({
      site: z.object({ id: Uuid, name: z.string() }),
      category: z.object({ id: Uuid, name: z.string() }).nullable(),
    })),
    /** Regulatory work overdue now (whatever its due date), most overdue first; up to 500. */
    overdueRegulatory: z.array(PmOverdueRegulatory),
  })
  .meta({ id: 'PmCompliance' });
export type PmCompliance = z.infer<typeof PmCompliance>;
