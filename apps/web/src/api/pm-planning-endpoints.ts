import { PmCalendar, PmCompliance, PmWorkload, WorkOrder } from '@gmao/contracts';
import { request } from './client.ts';

/**
 * The engineer's planning views of preventive maintenance (issue 13): the calendar, the move
 * of planned work within its tolerance window, the workload per site and week, the
 * compliance. Answers are checked with the contracts.
 */

const enc = encodeURIComponent;

export interface PmPeriodParams {
  /** yyyy-mm-dd, both days included. */
  from: string;
  to: string;
  /** One site; the whole territory when absent. */
  siteId?: string;
}

const query = (p: PmPeriodParams) => ({ from: p.from, to: p.to, siteId: p.siteId || undefined });

export const pmPlanningApi = {
  calendar: (p: PmPeriodParams) => request('/pm/calendar', PmCalendar, { query: query(p) }),
  workload: (p: PmPeriodParams) => request('/pm/workload', PmWorkload, { query: query(p) }),
  compliance: (p: PmPeriodParams) => request('/pm/compliance', PmCompliance, { query: query(p) }),
  /** Moves generated work to another day of its tolerance window (409 outside_tolerance / not_planned_work, 412 stale version). */
  reschedule: (workOrderId: string, version: number, plannedDate: string) =>
    request(`/work-orders/${enc(workOrderId)}/planned-date`, WorkOrder, { method: 'PUT', body: { plannedDate }, ifMatch: version }),
};
