import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type {
  PmCalendar, PmCalendarItem, PmCompliance, PmComplianceFigures, PmComplianceQuery, PmPlanningQuery, PmWorkload, WorkOrder,
} from '@gmao/contracts';
import {
  assigneesOf, pmCalendarDays, pmCalendarOccurrences, pmComplianceGroups, pmOverdueRegulatory, pmTechnicianCapacity, pmWeeklyLoad,
  updateWorkOrder, type DB, type PmComplianceGroupRow,
} from '@gmao/db';
import {
  addDays, parisDay, workOrderReadScope, workOrderRefusal, type PmPerformer, type PmWorkOrderType, type Principal, type WorkOrderState,
} from '@gmao/domain';
import { audit, type ActorContext } from '../../lib/context.js';
import { conflict, forbidden, versionMismatch } from '../../lib/problem.js';
import { lockWorkOrder, requireAbility } from '../work-orders/work-order-access.js';
import { loadWorkOrder, stateLabel } from '../work-orders/work-order-view.js';
import { planningSites } from './pm-planning.repository.js';

/** The calendar carries at most this many occurrences (its days are complete). */
export const PM_CALENDAR_MAX_ITEMS = 5000;
/** The compliance view lists at most this many overdue regulatory work orders. */
export const PM_OVERDUE_REGULATORY_MAX = 500;

const DENIED_READ = 'Les vues de planification sont réservées à l’équipe biomédicale du territoire.';
const DONE_STATES: readonly string[] = ['completed', 'closed', 'cancelled'];

/** A 'YYYY-MM-DD' day in French (« 05/12/2026 »). */
const frenchDay = (d: string) => `${d.slice(8, 10)}/${d.slice(5, 7)}/${d.slice(0, 4)}`;
/** The Monday of a day's ISO week. */
function mondayOf(day: string): string {
  const dow = new Date(`${day}T00:00:00Z`).getUTCDay(); // 0 = Sunday
  return addDays(day, -((dow + 6) % 7));
}
/** Working days (Monday to Friday) of the week starting `monday` that fall in [from, to]. */
function workingDaysIn(monday: string, from: string, to: string): number {
  let n = 0;
  for (let i = 0; i < 5; i++) {
    const d = addDays(monday, i);
    if (d >= from && d <= to) n++;
  }
  return n;
}
const equipmentLabel = (r: { inventoryNumber: string; manufacturer: string | null; modelName: string | null }) =>
  r.manufacturer ? `${r.manufacturer} ${r.modelName ?? ''}`.trim() : r.inventoryNumber;

/**
 * The engineer's planning views of preventive maintenance (issue 13, ADR 0018): the
 * calendar, the workload per site and week, compliance, and moving planned work within its
 * tolerance window. The biomedical team reads every site of the territory (planning is
 * shared so that work can be lent across sites); care staff do not.
 */
export class PmPlanningService {
  constructor(private readonly deps: { db: Kysely<DB> }) {}

  private requireTeam(p: Principal): void {
    if (workOrderReadScope(p) !== null) throw forbidden(DENIED_READ);
  }

  async calendar(ctx: ActorContext, q: z.output<typeof PmPlanningQuery>): Promise<PmCalendar> {
    this.requireTeam(ctx.principal);
    const db = this.deps.db;
    const scope = { territoryId: ctx.principal.territoryId, siteId: q.siteId, from: q.from, to: q.to };
    const [rows, days] = await Promise.all([pmCalendarOccurrences(db, scope, PM_CALENDAR_MAX_ITEMS + 1), pmCalendarDays(db, scope)]);
    const kept = rows.slice(0, PM_CALENDAR_MAX_ITEMS);
    const assignees = await assigneesOf(db, kept.flatMap((r) => (r.workOrderId ? [r.workOrderId] : [])));
    const today = parisDay(new Date());
    const items: PmCalendarItem[] = kept.map((r) => {
      const woAssignees = r.workOrderId ? (assignees.get(r.workOrderId) ?? []) : [];
      const state = r.workOrderState as WorkOrderState | null;
      const canReschedule = r.workOrderId !== null && state !== null && r.requestedBy !== null && workOrderRefusal(
        ctx.principal, { territoryId: ctx.principal.territoryId, siteId: r.siteId, state, requestedBy: r.requestedBy },
        woAssignees.map((a) => a.id), 'reschedule',
      ) === null;
      return {
        key: r.key,
        workOrder: r.workOrderId && r.workOrderNumber && state && r.workOrderVersion !== null
          ? { id: r.workOrderId, number: r.workOrderNumber, state, version: r.workOrderVersion } : null,
        plan: { id: r.planId, name: r.planName },
        equipment: { id: r.equipmentId, inventoryNumber: r.inventoryNumber, label: equipmentLabel(r) },
        site: { id: r.siteId, name: r.siteName },
        type: r.type as PmWorkOrderType,
        dueDate: r.dueDate, plannedDate: r.plannedDate, windowStart: r.windowStart, windowEnd: r.windowEnd,
        estimatedMinutes: r.estimatedMinutes, regulatory: r.regulatory, performedBy: r.performedBy as PmPerformer,
        assignees: woAssignees.map((a) => ({ id: a.id, fullName: a.fullName })),
        overdue: !(state !== null && DONE_STATES.includes(state)) && r.dueDate < today,
        canReschedule,
      };
    });
    return { from: q.from, to: q.to, days, items, truncated: rows.length > PM_CALENDAR_MAX_ITEMS };
  }

  async workload(ctx: ActorContext, q: z.output<typeof PmPlanningQuery>): Promise<PmWorkload> {
    this.requireTeam(ctx.principal);
    const db = this.deps.db;
    const territoryId = ctx.principal.territoryId;
    const [sites, load, capacity] = await Promise.all([
      planningSites(db, territoryId, q.siteId),
      pmWeeklyLoad(db, { territoryId, siteId: q.siteId, from: q.from, to: q.to }),
      pmTechnicianCapacity(db, territoryId),
    ]);
    const weeks: string[] = [];
    for (let w = mondayOf(q.from); w <= q.to; w = addDays(w, 7)) weeks.push(w);
    const loadOf = new Map(load.map((l) => [`${l.siteId}|${l.weekStart}`, l]));
    const capacityOf = new Map(capacity.map((c) => [c.siteId, c]));
    return {
      from: q.from, to: q.to, weeks,
      sites: sites.map((site) => {
        const cap = capacityOf.get(site.id);
        const weekly = cap?.weeklyMinutes ?? 0;
        return {
          site, technicians: cap?.technicians ?? 0, weeklyCapacityMinutes: Math.round(weekly),
          weeks: weeks.map((weekStart) => {
            const l = loadOf.get(`${site.id}|${weekStart}`);
            const dueMinutes = l?.dueMinutes ?? 0;
            // A week cut by the period counts the working days (Monday to Friday) inside it.
            const capacityMinutes = Math.round((weekly * workingDaysIn(weekStart, q.from, q.to)) / 5);
            return {
              weekStart, dueMinutes, count: l?.count ?? 0, unestimated: l?.unestimated ?? 0, capacityMinutes,
              load: capacityMinutes > 0 ? dueMinutes / capacityMinutes : null,
              overloaded: dueMinutes > capacityMinutes,
              spareMinutes: Math.max(capacityMinutes - dueMinutes, 0),
            };
          }),
        };
      }),
    };
  }

  async compliance(ctx: ActorContext, q: z.output<typeof PmComplianceQuery>): Promise<PmCompliance> {
    this.requireTeam(ctx.principal);
    const db = this.deps.db;
    const territoryId = ctx.principal.territoryId;
    const today = parisDay(new Date());
    const [groups, overdue] = await Promise.all([
      pmComplianceGroups(db, { territoryId, siteId: q.siteId, from: q.from, to: q.to }),
      pmOverdueRegulatory(db, { territoryId, siteId: q.siteId, today, limit: PM_OVERDUE_REGULATORY_MAX }),
    ]);
    const assignees = await assigneesOf(db, overdue.map((o) => o.workOrderId));
    const bySite = new Map<string, { site: { id: string; name: string }; rows: PmComplianceGroupRow[] }>();
    const byCategory = new Map<string, { category: { id: string; name: string } | null; rows: PmComplianceGroupRow[] }>();
    const bySiteAndCategory = new Map<string, { site: { id: string; name: string }; category: { id: string; name: string } | null; rows: PmComplianceGroupRow[] }>();
    for (const g of groups) {
      const site = { id: g.siteId, name: g.siteName };
      const category = g.categoryId && g.categoryName !== null ? { id: g.categoryId, name: g.categoryName } : null;
      const cKey = g.categoryId ?? '';
      (bySite.get(g.siteId) ?? bySite.set(g.siteId, { site, rows: [] }).get(g.siteId)!).rows.push(g);
      (byCategory.get(cKey) ?? byCategory.set(cKey, { category, rows: [] }).get(cKey)!).rows.push(g);
      const scKey = `${g.siteId}|${cKey}`;
      (bySiteAndCategory.get(scKey) ?? bySiteAndCategory.set(scKey, { site, category, rows: [] }).get(scKey)!).rows.push(g);
    }
    const byName = (a: string, b: string) => a.localeCompare(b, 'fr');
    const categoryName = (c: { name: string } | null) => c?.name ?? '\uffff';
    return {
      from: q.from, to: q.to,
      total: figures(groups),
      regulatory: figures(groups.filter((g) => g.regulatory)),
      bySite: [...bySite.values()].sort((a, b) => byName(a.site.name, b.site.name)).map((s) => ({ site: s.site, ...figures(s.rows) })),
      byCategory: [...byCategory.values()].sort((a, b) => byName(categoryName(a.category), categoryName(b.category)))
        .map((c) => ({ category: c.category, ...figures(c.rows) })),
      bySiteAndCategory: [...bySiteAndCategory.values()]
        .sort((a, b) => byName(a.site.name, b.site.name) || byName(categoryName(a.category), categoryName(b.category)))
        .map((x) => ({ site: x.site, category: x.category, ...figures(x.rows) })),
      overdueRegulatory: overdue.map((o) => ({
        workOrder: { id: o.workOrderId, number: o.number, state: o.state as WorkOrderState },
        plan: { id: o.planId, name: o.planName },
        equipment: { id: o.equipmentId, inventoryNumber: o.inventoryNumber, label: equipmentLabel(o) },
        site: { id: o.siteId, name: o.siteName },
        type: o.type as PmWorkOrderType,
        dueDate: o.dueDate, windowEnd: o.windowEnd, daysOverdue: o.daysOverdue,
        assignees: (assignees.get(o.workOrderId) ?? []).map((a) => ({ id: a.id, fullName: a.fullName })),
      })),
    };
  }

  /**
   * PUT /work-orders/{id}/planned-date: planned work moved to another day within the
   * tolerance window copied at its generation (its planners, while it is open).
   */
  async reschedule(ctx: ActorContext, id: string, version: number, plannedDate: string): Promise<WorkOrder> {
    return lockWorkOrder(this.deps.db, ctx, id, async ({ trx, wo, assignees }) => {
      requireAbility(ctx, wo, assignees, 'reschedule', {
        role: 'Seuls l’ingénieur et le responsable du site (ou l’administrateur du territoire) déplacent le travail planifié.',
        state: `Bon ${stateLabel(wo.state)} : sa date planifiée ne se déplace plus.`,
      });
      if (wo.version !== version) throw versionMismatch(wo.version);
      if (wo.planId === null || wo.plannedDate === null || wo.windowStart === null || wo.windowEnd === null) {
        throw conflict('Ce bon n’est pas issu d’un plan de maintenance : il n’a pas de date planifiée à déplacer.', 'not_planned_work');
      }
      if (plannedDate < wo.windowStart || plannedDate > wo.windowEnd) {
        throw conflict(
          `Le ${frenchDay(plannedDate)} est hors de la fenêtre de tolérance (du ${frenchDay(wo.windowStart)} au ${frenchDay(wo.windowEnd)}).`,
          'outside_tolerance',
          [{ path: 'body.plannedDate', message: `hors de la fenêtre de tolérance (du ${frenchDay(wo.windowStart)} au ${frenchDay(wo.windowEnd)})` }],
        );
      }
      if (plannedDate !== wo.plannedDate) {
        await updateWorkOrder(trx, id, { plannedDate });
        await audit(trx, ctx, 'work_order.reschedule', 'work_order', id, { plannedDate: wo.plannedDate }, { plannedDate });
      }
      return loadWorkOrder(trx, ctx.principal, id);
    });
  }
}

/** The counts of the groups summed, and the rate. */
function figures(rows: readonly PmComplianceGroupRow[]): PmComplianceFigures {
  const sum = (k: 'due' | 'doneWithinTolerance' | 'doneOutsideTolerance' | 'cancelled' | 'open') => rows.reduce((n, r) => n + r[k], 0);
  const due = sum('due');
  const doneWithinTolerance = sum('doneWithinTolerance');
  return {
    due, doneWithinTolerance, doneOutsideTolerance: sum('doneOutsideTolerance'), cancelled: sum('cancelled'), open: sum('open'),
    rate: due === 0 ? null : doneWithinTolerance / due,
  };
}
