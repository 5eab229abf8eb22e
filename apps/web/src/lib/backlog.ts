import type { LocationQuery, LocationQueryRaw } from 'vue-router';
import type { WorkOrder } from '@gmao/contracts';
import {
  OPEN_WORK_ORDER_STATES,
  WORK_ORDER_PRIORITIES,
  WORK_ORDER_STATES,
  WORK_ORDER_TYPES,
  type WorkOrderPriority,
  type WorkOrderState,
  type WorkOrderType,
} from '@gmao/domain';
import type { WorkOrderListParams } from '../api/endpoints.ts';
import { ALL_SITES, oneOf, queryValue } from './url-query.ts';

/** What the backlog's state filter offers: the open states together (default), one state, or every state. */
export const STATE_VIEWS = ['open', ...WORK_ORDER_STATES, 'all'] as const;
export type StateView = (typeof STATE_VIEWS)[number];

/** The backlog's filters, as the page edits them and the URL carries them. */
export interface BacklogFilters {
  /** '' for every site of the territory. */
  siteId: string;
  state: StateView;
  type: WorkOrderType | '';
  priority: WorkOrderPriority | '';
  /** Open work orders past their repair due date. */
  overdue: boolean;
  q: string;
}

// The lists' URL value for every site, with the filters that read it (one definition: url-query.ts).
export { ALL_SITES };
/** The API's limit on the search text. */
export const MAX_QUERY_LENGTH = 100;

/** Reads the filters from the URL; unknown values are dropped, no site means the current one. */
export function backlogFiltersFromQuery(query: LocationQuery, currentSiteId: string | null): BacklogFilters {
  const site = queryValue(query.siteId);
  const overdue = queryValue(query.overdue);
  return {
    siteId: site === ALL_SITES ? '' : site || (currentSiteId ?? ''),
    state: oneOf(STATE_VIEWS, queryValue(query.state)) || 'open',
    type: oneOf(WORK_ORDER_TYPES, queryValue(query.type)),
    priority: oneOf(WORK_ORDER_PRIORITIES, queryValue(query.priority)),
    overdue: overdue === '1' || overdue === 'true',
    q: queryValue(query.q).slice(0, MAX_QUERY_LENGTH),
  };
}

/** The URL query of a view: always names the site, so that a shared link shows the same list. */
export function backlogQueryFromFilters(f: BacklogFilters): LocationQueryRaw {
  const query: Record<string, string> = { siteId: f.siteId || ALL_SITES };
  if (f.state !== 'open') query.state = f.state;
  if (f.type) query.type = f.type;
  if (f.priority) query.priority = f.priority;
  if (f.overdue) query.overdue = '1';
  const q = f.q.trim();
  if (q) query.q = q.slice(0, MAX_QUERY_LENGTH);
  return query;
}

/** The states a view lists; undefined: every state. */
export function statesOf(view: StateView): readonly WorkOrderState[] | undefined {
  if (view === 'all') return undefined;
  if (view === 'open') return OPEN_WORK_ORDER_STATES;
  return [view];
}

/** The filters as GET /work-orders parameters (without the paging). */
export function backlogListParams(f: BacklogFilters): WorkOrderListParams {
  return {
    siteId: f.siteId || undefined,
    state: statesOf(f.state),
    type: f.type ? [f.type] : undefined,
    priority: f.priority ? [f.priority] : undefined,
    overdue: f.overdue || undefined,
    q: f.q.trim().slice(0, MAX_QUERY_LENGTH) || undefined,
  };
}

/** The view without filters: the current site's open work orders (every site when there is no current site). */
export function defaultBacklogFilters(currentSiteId: string | null): BacklogFilters {
  return { siteId: currentSiteId ?? '', state: 'open', type: '', priority: '', overdue: false, q: '' };
}

/**
 * How many filters narrow the list, besides the default (open) states; another site than the
 * current one counts too ("Effacer les filtres" brings the current site back).
 */
export function activeBacklogFilterCount(f: BacklogFilters, currentSiteId: string | null): number {
  return [f.siteId !== (currentSiteId ?? ''), f.state !== 'open', !!f.type, !!f.priority, f.overdue, !!f.q.trim()].filter(Boolean).length;
}

export function isOpenState(state: WorkOrderState): boolean {
  return OPEN_WORK_ORDER_STATES.includes(state);
}

/** The badge tone of a work order's priority (backlog rows, work-order cards). */
export const PRIORITY_TONES: Record<WorkOrderPriority, string> = {
  critical: 'badge-danger',
  high: 'badge-info',
  normal: '',
  low: 'badge-off',
};

/** The badge tone of a work order's state (backlog rows, work-order cards). */
export const STATE_TONES: Record<WorkOrderState, string> = {
  requested: '',
  assigned: '',
  in_progress: 'badge-ok',
  on_hold: 'badge-info',
  completed: 'badge-ok',
  closed: 'badge-off',
  cancelled: 'badge-off',
};

/** Still to be done and its repair due date has passed. */
export function isOverdue(order: Pick<WorkOrder, 'state' | 'dueRepairAt'>, now: number = Date.now()): boolean {
  if (!order.dueRepairAt || !isOpenState(order.state)) return false;
  const due = Date.parse(order.dueRepairAt);
  return !Number.isNaN(due) && due < now;
}

/** A text on one line, cut after a whole word with an ellipsis when longer than `max` characters. */
export function shortText(text: string, max = 90): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).replace(/[\s,.;:–-]+$/, '')}…`;
}

/** What a device is, in a few words: its category, then its model ('' when neither is known). */
export function deviceLabel(e: { category: { label: string } | null; model: { manufacturer: string; modelName: string } | null }): string {
  return [e.category?.label, e.model ? `${e.model.manufacturer} ${e.model.modelName}` : null].filter(Boolean).join(' — ');
}

/** The checklist template of IEC 62353 electrical-safety tests (built into every territory). */
export const ELECTRICAL_SAFETY_TEMPLATE = 'iec-62353';

/** The template a new work order of this type should carry, if the territory has it; else null. */
export function suggestedTemplate(type: WorkOrderType, available: readonly string[]): string | null {
  return type === 'electrical_safety' && available.includes(ELECTRICAL_SAFETY_TEMPLATE) ? ELECTRICAL_SAFETY_TEMPLATE : null;
}
