import { sql, type Kysely, type RawBuilder } from 'kysely';
import { WORK_ORDER_LIST_ORDER, selectWorkOrders, type DB, type WorkOrderRow } from '@gmao/db';
import { ASSIGNABLE_ROLES, OPEN_WORK_ORDER_STATES, PLANNER_ROLES, type WorkOrderReadScope } from '@gmao/domain';
import { likePattern } from '../../lib/sql.js';

/** A text search first walks this many rows of the list's order: a common word fills its page there. */
const TEXT_SEARCH_WALK = 500;
/** Up to this many text-search matches are collected then sorted; beyond, the list's index order is walked. */
const TEXT_SEARCH_SORT_LIMIT = 500;

export interface BacklogFilters {
  territoryId: string;
  /** Only what this reader may read (care staff): work orders of these sites, asked for by or assigned to this user. */
  readScope?: WorkOrderReadScope;
  /** Work orders this user is assigned to. */
  assigneeId?: string;
  /** Work orders this user asked for. */
  requestedById?: string;
  states?: readonly string[];
  siteId?: string;
  types?: readonly string[];
  priorities?: readonly string[];
  equipmentId?: string;
  /** true: open and past their repair due date; false: the others. */
  overdue?: boolean;
  /** The text as typed (number), and folded (symptom and devices: accents and case ignored). */
  text?: { raw: string; folded: string };
  /** The sort key of the last row of the previous page: priority rank, due date (text), number. */
  after?: [number, string, string];
  limit: number;
}

/**
 * One page of work orders in the lists' order (priority, repair due date, number), read in
 * the order of the list indexes so that a page is found without sorting the territory.
 * The page's ids are found first, on work_orders alone (for open work orders, from the
 * covering index work_orders_open_list_idx without reading the table); then the rows of
 * that page only are read with what they show.
 */
export async function listWorkOrders(db: Kysely<DB>, f: BacklogFilters): Promise<WorkOrderRow[]> {
  const { priorityRank, dueOrder } = WORK_ORDER_LIST_ORDER;
  const filtered = filteredWorkOrders(db, f);
  let page: RawBuilder<string[]>;
  if (f.text) {
    // Each branch has its trigram index (and one on the open work orders only); the devices'
    // through equipment.search_text (which holds the folded inventory number), as an array
    // so that PostgreSQL can OR the bitmaps.
    const pattern = likePattern(f.text.raw);
    const folded = likePattern(f.text.folded);
    const matches = sql<boolean>`(w.number ilike ${pattern} or gmao_fold(w.symptom) like ${folded}
      or w.equipment_id = any(array(select d.id from equipment d where d.territory_id = ${f.territoryId} and d.search_text like ${folded})))`;
    // A word found in many work orders fills its page within the first rows of the list's
    // order: look there first, a bounded walk that never collects every match.
    const first = filtered
      .select(['w.id', 'w.number', 'w.symptom', 'w.equipmentId', priorityRank.as('rank'), dueOrder.as('due')])
      .orderBy(priorityRank).orderBy(dueOrder).orderBy('w.number')
      .limit(TEXT_SEARCH_WALK);
    const walked = await db
      .selectFrom(first.as('w'))
      .select('w.id')
      .where(matches)
      .orderBy('w.rank').orderBy('w.due').orderBy('w.number')
      .limit(f.limit)
      .execute();
    let ids: { id: string }[] = walked;
    if (walked.length < f.limit) {
      // The planner cannot tell a word found in thousands of work orders (walk the list's
      // order until a page is full) from one found in a few (collect them, then sort): ask.
      const candidates = await filtered.select('w.id').where(matches).limit(TEXT_SEARCH_SORT_LIMIT + 1).execute();
      ids = candidates.length <= TEXT_SEARCH_SORT_LIMIT
        ? candidates
        : await filtered.select('w.id').where(matches).orderBy(priorityRank).orderBy(dueOrder).orderBy('w.number').limit(f.limit).execute();
    }
    page = sql<string[]>`${ids.map((r) => r.id)}::uuid[]`;
  } else {
    page = sql<string[]>`array(${filtered.select('w.id').orderBy(priorityRank).orderBy(dueOrder).orderBy('w.number').limit(f.limit)})`;
  }
  return selectWorkOrders(db)
    .where('w.territoryId', '=', f.territoryId)
    .where(sql<boolean>`w.id = any(${page})`)
    .orderBy(priorityRank).orderBy(dueOrder).orderBy('w.number')
    .limit(f.limit)
    .execute();
}

/** The work orders that pass every filter but the text, as a query on work_orders alone (alias w). */
function filteredWorkOrders(db: Kysely<DB>, f: BacklogFilters) {
  const { priorityRank, dueOrder } = WORK_ORDER_LIST_ORDER;
  let q = db.selectFrom('workOrders as w').where('w.territoryId', '=', f.territoryId);
  if (f.readScope) {
    const { siteIds, userId } = f.readScope;
    q = q.where((eb) => eb.or([
      ...(siteIds.length > 0 ? [eb('w.siteId', 'in', siteIds)] : []),
      eb('w.requestedBy', '=', userId),
      eb.exists(eb.selectFrom('workOrderAssignees as ra').select('ra.userId').whereRef('ra.workOrderId', '=', 'w.id').where('ra.userId', '=', userId)),
    ]));
  }
  if (f.assigneeId) {
    const userId = f.assigneeId;
    q = q.where((eb) => eb.exists(eb.selectFrom('workOrderAssignees as a').select('a.userId').whereRef('a.workOrderId', '=', 'w.id').where('a.userId', '=', userId)));
  }
  if (f.requestedById) q = q.where('w.requestedBy', '=', f.requestedById);
  if (f.states) q = q.where('w.state', 'in', f.states);
  if (f.siteId) q = q.where('w.siteId', '=', f.siteId);
  if (f.types) q = q.where('w.type', 'in', f.types);
  if (f.priorities) q = q.where('w.priority', 'in', f.priorities);
  if (f.equipmentId) q = q.where('w.equipmentId', '=', f.equipmentId);
  if (f.overdue === true) q = q.where('w.state', 'in', OPEN_WORK_ORDER_STATES).where('w.dueRepairAt', '<', sql<Date>`now()`);
  if (f.overdue === false) q = q.where((eb) => eb.or([eb('w.dueRepairAt', 'is', null), eb('w.dueRepairAt', '>=', sql<Date>`now()`), eb('w.state', 'not in', OPEN_WORK_ORDER_STATES)]));
  if (f.after) q = q.where(sql<boolean>`(${priorityRank}, ${dueOrder}, w.number) > (${f.after[0]}, ${f.after[1]}::timestamptz, ${f.after[2]})`);
  return q;
}

/** Active people of the territory who can be assigned (technicians, engineers), one row per site where they hold the role. */
export function assignableGrants(db: Kysely<DB>, territoryId: string, foldedName?: string) {
  let q = db
    .selectFrom('users as u')
    .innerJoin('roleGrants as g', 'g.userId', 'u.id')
    .innerJoin('sites as s', 's.id', 'g.siteId')
    .select(['u.id', 'u.fullName', 's.id as siteId', 's.shortCode', 'g.role'])
    .where('u.territoryId', '=', territoryId)
    .where('u.active', '=', true)
    .where('g.role', 'in', ASSIGNABLE_ROLES);
  if (foldedName) q = q.where(sql<boolean>`gmao_fold(u.full_name) like ${likePattern(foldedName)}`);
  return q.orderBy('s.shortCode').execute();
}

/** Active people who plan a site's work orders: its site managers and engineers, and the territory admins. */
export function sitePlannerGrants(db: Kysely<DB>, territoryId: string, siteId: string) {
  return db
    .selectFrom('users as u')
    .innerJoin('roleGrants as g', 'g.userId', 'u.id')
    .select(['u.id', 'u.fullName', 'g.role'])
    .where('u.territoryId', '=', territoryId)
    .where('u.active', '=', true)
    .where((eb) => eb.or([eb.and([eb('g.siteId', '=', siteId), eb('g.role', 'in', PLANNER_ROLES)]), eb('g.role', '=', 'territory_admin')]))
    .orderBy('u.fullName')
    .execute();
}
