import { sql, type Kysely } from 'kysely';
import { codedReasonText, type CodedReason } from '@gmao/domain';
import type { DB } from '../generated/db.js';

/**
 * Queries on work orders and what hangs off them (assignees, transitions, labour, vendor
 * interventions, parts, checklist), shared by the API and the worker. Rules live in
 * packages/domain and in work-order-lifecycle.ts; these functions only read and write.
 */

/**
 * The lists' sort rank of a work order's priority (critical first), as packages/domain's
 * PRIORITY_RANK. Written once, literally: the list indexes of migration
 * 20261124T130000_work_order_settings.sql are built on this very expression, and
 * PostgreSQL uses them only when a query spells it the same way.
 */
export const PRIORITY_RANK_SQL = "case w.priority when 'critical' then 0 when 'high' then 1 when 'normal' then 2 else 3 end";
const priorityRank = sql<number>`${sql.raw(PRIORITY_RANK_SQL)}`;
/** The repair due date in the lists' order (none last), as indexed. */
const dueOrder = sql<string>`coalesce(w.due_repair_at, 'infinity'::timestamptz)`;

/** The lists' order: priority, repair due date, number. */
export const WORK_ORDER_LIST_ORDER = { priorityRank, dueOrder } as const;

export function selectWorkOrders(db: Kysely<DB>) {
  return db
    .selectFrom('workOrders as w')
    .innerJoin('sites as s', 's.id', 'w.siteId')
    .innerJoin('equipment as e', 'e.id', 'w.equipmentId')
    .leftJoin('equipmentModels as m', 'm.id', 'e.modelId')
    .innerJoin('users as rq', 'rq.id', 'w.requestedBy')
    .leftJoin('users as ov', 'ov.id', 'w.conformityOverrideBy')
    .leftJoin('users as rs', 'rs.id', 'w.restartDecidedBy')
    .selectAll('w')
    .select([
      's.name as siteName', 's.shortCode as siteShortCode', 'e.inventoryNumber', 'e.status as equipmentStatus',
      'm.manufacturer', 'm.modelName', 'rq.fullName as requestedByName',
      'ov.fullName as conformityOverrideByName', 'rs.fullName as restartDecidedByName',
      priorityRank.as('priorityRank'),
      // The repair due date at full (microsecond) precision, for the lists' keyset cursor.
      sql<string>`${dueOrder}::text`.as('dueKey'),
      sql<number>`(select coalesce(sum(l.minutes), 0)::int from work_order_labour l where l.work_order_id = w.id)`.as('labourMinutes'),
      sql<number>`(select count(*)::int from work_order_labour l where l.work_order_id = w.id)`.as('labourEntries'),
      sql<number>`(select count(*)::int from work_order_external x where x.work_order_id = w.id)`.as('externalInterventions'),
    ]);
}
export type WorkOrderRow = Awaited<ReturnType<ReturnType<typeof selectWorkOrders>['executeTakeFirstOrThrow']>>;

export function findWorkOrder(db: Kysely<DB>, territoryId: string, id: string) {
  return selectWorkOrders(db).where('w.territoryId', '=', territoryId).where('w.id', '=', id).executeTakeFirst();
}

/**
 * The work order, its row locked until the transaction ends: concurrent writers on one work
 * order queue up, so that each compares the version the previous one left.
 */
export async function findWorkOrderForUpdate(db: Kysely<DB>, territoryId: string, id: string) {
  await db.selectFrom('workOrders').select('id').where('territoryId', '=', territoryId).where('id', '=', id).forUpdate().execute();
  return findWorkOrder(db, territoryId, id);
}

export interface AssigneeRow {
  id: string;
  fullName: string;
  crossSite: boolean;
  assignedAt: Date;
}

export async function assigneesOf(db: Kysely<DB>, ids: readonly string[]): Promise<Map<string, AssigneeRow[]>> {
  const out = new Map<string, AssigneeRow[]>(ids.map((i) => [i, []]));
  if (ids.length === 0) return out;
  const rows = await db
    .selectFrom('workOrderAssignees as a')
    .innerJoin('users as u', 'u.id', 'a.userId')
    .select(['a.workOrderId', 'u.id', 'u.fullName', 'a.crossSite', 'a.assignedAt'])
    .where('a.workOrderId', 'in', ids)
    .orderBy('a.assignedAt')
    .execute();
  for (const { workOrderId, ...r } of rows) out.get(workOrderId)?.push(r);
  return out;
}

/**
 * A new work-order number, BT-<year>-<6 digits or more>, in SQL: the one formula (the
 * database function next_work_order_number) of a single creation and of the preventive
 * generator's set-based one (packages/db/src/pm, ADR 0016).
 */
export const WORK_ORDER_NUMBER_SQL = 'next_work_order_number(now())';

/** The next work-order number (the year of `at`, by default now). */
export async function nextWorkOrderNumber(db: Kysely<DB>, at: Date = new Date()): Promise<string> {
  const r = await sql<{ number: string }>`select next_work_order_number(${at}) as number`.execute(db);
  return r.rows[0]!.number;
}

/** The reason written on the first transition of a work order a maintenance plan generated. */
export const GENERATED_TRANSITION_REASON = 'Généré par un plan de maintenance préventive';

export interface WorkOrderInsert {
  territoryId: string;
  siteId: string;
  equipmentId: string;
  number: string;
  type: string;
  priority: string;
  symptom: string;
  deviceOutOfService: boolean;
  callbackName: string | null;
  callbackPhone: string | null;
  requestedBy: string;
  dueResponseAt: Date | null;
  dueRepairAt: Date | null;
  downtimeStartedAt: Date | null;
  /** Quality control only: internal or external (null for other types). */
  qualityControlKind: string | null;
}

export async function insertWorkOrder(db: Kysely<DB>, values: WorkOrderInsert): Promise<string> {
  const { id } = await db.insertInto('workOrders').values(values).returning('id').executeTakeFirstOrThrow();
  return id;
}

/** Fields of a work order a person edits (report, priority and the due dates that follow it); its version moves on. */
export interface WorkOrderEdit {
  diagnosis?: string | null;
  actions?: string | null;
  priority?: string;
  dueResponseAt?: Date;
  dueRepairAt?: Date;
  /** Planned work moved within its tolerance window (the API checks the window). */
  plannedDate?: string;
}

export async function updateWorkOrder(db: Kysely<DB>, id: string, edit: WorkOrderEdit): Promise<void> {
  await db.updateTable('workOrders').set({ ...edit, version: sql`version + 1`, updatedAt: sql`now()` }).where('id', '=', id).execute();
}

/** Marks the work order as changed (a line was added under it) without a new version. */
export async function touchWorkOrder(db: Kysely<DB>, id: string): Promise<void> {
  await db.updateTable('workOrders').set({ updatedAt: sql`now()` }).where('id', '=', id).execute();
}

export async function saveSignature(db: Kysely<DB>, id: string, s: { signedBy: string; signedName: string; signatureImage: string }): Promise<void> {
  await db.updateTable('workOrders').set({ ...s, signedAt: sql`now()`, version: sql`version + 1`, updatedAt: sql`now()` }).where('id', '=', id).execute();
}

export interface TransitionInsert {
  workOrderId: string;
  fromState: string | null;
  toState: string;
  actorId: string | null;
  holdReason?: string | null;
  reason?: string | null;
  /** A reason the product writes (packages/domain history-reasons.ts); `reason` then defaults to its French text. */
  codedReason?: CodedReason | null;
}

function reasonColumns(t: { reason?: string | null; codedReason?: CodedReason | null }) {
  const coded = t.codedReason ?? null;
  return { reason: t.reason ?? (coded ? codedReasonText(coded, 'fr') : null), codedReason: coded ? JSON.stringify(coded) : null };
}

export async function insertTransition(db: Kysely<DB>, t: TransitionInsert): Promise<void> {
  await db.insertInto('workOrderTransitions').values({ ...t, ...reasonColumns(t) }).execute();
}

/** The same move recorded for many work orders, in one statement whatever their number (one array parameter). */
export async function insertTransitions(
  db: Kysely<DB>,
  workOrderIds: readonly string[],
  t: Omit<TransitionInsert, 'workOrderId'>,
): Promise<void> {
  if (workOrderIds.length === 0) return;
  const r = reasonColumns(t);
  await sql`
    insert into work_order_transitions (work_order_id, from_state, to_state, actor_id, hold_reason, reason, coded_reason)
    select id, ${t.fromState}, ${t.toState}, ${t.actorId}::uuid, ${t.holdReason ?? null}, ${r.reason}, ${r.codedReason}::jsonb
    from unnest(${workOrderIds}::uuid[]) with ordinality as m(id, n) order by n`.execute(db);
}

/**
 * Moves the work orders among `ids` still in `from` to `to`, in one statement, with what
 * the move sets (reasons, completion and closure times, the end of an open downtime when
 * `endDowntime`). Answers the rows moved, with whether their downtime was open before.
 */
export function updateWorkOrderStates(
  db: Kysely<DB>,
  ids: readonly string[],
  from: string,
  to: string,
  o: { holdReason: string | null; reason: string | null; backInService: boolean | null; endDowntime: boolean },
) {
  return db
    // The rows as they were (an UPDATE's RETURNING sees only the new values).
    .with('pre', (qb) =>
      qb
        .selectFrom('workOrders')
        .select(['id', sql<boolean>`downtime_started_at is not null and downtime_ended_at is null`.as('downtimeOpen')])
        .where(sql<boolean>`id = any(${ids}::uuid[])`)
        .where('state', '=', from),
    )
    .updateTable('workOrders as w')
    .from('pre')
    .set({
      state: to,
      holdReason: to === 'on_hold' ? o.holdReason : null,
      ...(to === 'cancelled' ? { cancelReason: o.reason } : {}),
      ...(to === 'closed' ? { closedAt: sql`now()` } : {}),
      ...(to === 'completed' ? { completedAt: sql`now()`, backInService: o.backInService } : {}),
      // Reopened: the verdict will be given again at the next completion.
      ...(to === 'in_progress' && from === 'completed'
        ? { completedAt: null, conformity: null, conformityNote: null, conformityOverrideReason: null, conformityOverrideBy: null }
        : {}),
      ...(o.endDowntime ? { downtimeEndedAt: sql`case when pre.downtime_open then now() else w.downtime_ended_at end` } : {}),
      version: sql`w.version + 1`,
      updatedAt: sql`now()`,
    })
    .whereRef('w.id', '=', 'pre.id')
    .where('w.state', '=', from)
    .returning(['w.id', 'w.number', 'w.territoryId', 'w.equipmentId', 'pre.downtimeOpen'])
    .execute();
}

export function transitionsOf(db: Kysely<DB>, workOrderId: string) {
  return db
    .selectFrom('workOrderTransitions as t')
    .leftJoin('users as u', 'u.id', 't.actorId')
    .select(['t.fromState', 't.toState', 't.actorId', 'u.fullName as actorName', 't.at', 't.holdReason', 't.reason', 't.codedReason'])
    .where('t.workOrderId', '=', workOrderId)
    .orderBy('t.at')
    .orderBy('t.id')
    .execute();
}

/** The roles of an active user of the territory, to check that they can be assigned and from which sites. */
export function activeUserGrants(db: Kysely<DB>, territoryId: string, userId: string) {
  return db
    .selectFrom('users as u')
    .innerJoin('roleGrants as g', 'g.userId', 'u.id')
    .select(['g.role', 'g.siteId'])
    .where('u.id', '=', userId)
    .where('u.territoryId', '=', territoryId)
    .where('u.active', '=', true)
    .execute();
}

/** Adds an assignee; false when the person already was one. */
export async function insertAssignee(db: Kysely<DB>, a: { workOrderId: string; userId: string; assignedBy: string; crossSite: boolean }): Promise<boolean> {
  const inserted = await db.insertInto('workOrderAssignees').values(a).onConflict((oc) => oc.doNothing()).returning('userId').executeTakeFirst();
  return inserted !== undefined;
}

export function labourOf(db: Kysely<DB>, workOrderId: string) {
  return db
    .selectFrom('workOrderLabour as l')
    .innerJoin('users as u', 'u.id', 'l.technicianId')
    .select(['l.id', 'l.technicianId', 'u.fullName', 'l.startedAt', 'l.endedAt', 'l.minutes', 'l.travelMinutes', 'l.recordedAt'])
    .where('l.workOrderId', '=', workOrderId)
    .orderBy('l.recordedAt')
    .execute();
}

export async function insertLabour(
  db: Kysely<DB>,
  l: { workOrderId: string; technicianId: string; startedAt: string | null; endedAt: string | null; minutes: number; travelMinutes: number; recordedBy: string },
): Promise<void> {
  await db.insertInto('workOrderLabour').values(l).execute();
}

export function externalOf(db: Kysely<DB>, workOrderId: string) {
  return db
    .selectFrom('workOrderExternal')
    .select(['id', 'vendor', 'vendorReference', 'technicianName', 'accreditationReference', 'costCents', 'performedOn', 'reportAttachmentId', 'recordedAt'])
    .where('workOrderId', '=', workOrderId)
    .orderBy('recordedAt')
    .execute();
}

export async function insertExternal(
  db: Kysely<DB>,
  x: {
    workOrderId: string; vendor: string; vendorReference: string | null; technicianName: string | null; accreditationReference: string | null;
    costCents: number; performedOn: string | null; reportAttachmentId: string | null; recordedBy: string;
  },
): Promise<void> {
  await db.insertInto('workOrderExternal').values(x).execute();
}

export function partsOf(db: Kysely<DB>, workOrderId: string) {
  return db
    .selectFrom('workOrderParts')
    .select(['id', 'reference', 'description', 'quantity', 'recordedAt', 'partId', 'storeId', 'movementId'])
    .where('workOrderId', '=', workOrderId)
    .orderBy('recordedAt')
    .execute();
}

/** Parts given back to a store from the work order (`return` movements), oldest first. */
export function partReturnsOf(db: Kysely<DB>, workOrderId: string) {
  return db
    .selectFrom('stockMovements as m')
    .innerJoin('parts as p', 'p.id', 'm.partId')
    .select(['m.id', 'p.reference', 'p.description', 'm.quantity', 'm.createdAt'])
    .where('m.workOrderId', '=', workOrderId)
    .where('m.type', '=', 'return')
    .orderBy('m.id')
    .execute();
}

export async function insertPart(db: Kysely<DB>, p: { workOrderId: string; reference: string; description: string; quantity: number; recordedBy: string }): Promise<void> {
  await db.insertInto('workOrderParts').values(p).execute();
}

export function checklistOf(db: Kysely<DB>, workOrderId: string) {
  return db.selectFrom('workOrderChecklistItems').selectAll().where('workOrderId', '=', workOrderId).orderBy('position').execute();
}
export type ChecklistRow = Awaited<ReturnType<typeof checklistOf>>[number];

/** A checklist item as copied into a work order (from a template, or written by hand). */
export interface ChecklistItemValues {
  key: string;
  label: string;
  kind: string;
  mandatory: boolean;
  unit: string | null;
  minValue: number | null;
  maxValue: number | null;
  templateCode: string | null;
  /** IEC 62353 measurements: the leakage method their limits are for, the reading below which it cannot judge, the limit's basis. */
  measurementMethod?: string | null;
  measurableFrom?: number | null;
  limitBasis?: string | null;
}

/** Appends items to a work order's checklist, after the `firstPosition - 1` already there. */
export async function insertChecklistItems(db: Kysely<DB>, workOrderId: string, items: readonly ChecklistItemValues[], firstPosition = 0): Promise<void> {
  if (items.length === 0) return;
  await db.insertInto('workOrderChecklistItems').values(items.map((i, k) => ({ ...i, workOrderId, position: firstPosition + k }))).execute();
}

export function answerChecklistItem(
  db: Kysely<DB>,
  itemId: string,
  a: { outcome: string | null; textValue: string | null; numericValue: number | null; answeredBy: string },
) {
  return db
    .updateTable('workOrderChecklistItems')
    .set({ ...a, answeredAt: sql`now()` })
    .where('id', '=', itemId)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function attachmentOfWorkOrder(db: Kysely<DB>, workOrderId: string, attachmentId: string) {
  return db.selectFrom('workOrderAttachments').select('id').where('id', '=', attachmentId).where('workOrderId', '=', workOrderId).executeTakeFirst();
}

/**
 * Completed work orders nobody verified for longer than their territory's delay
 * (work_order_settings.auto_close_days; `defaultDays` where the territory set none; never
 * where it set null), with that delay.
 */
export async function staleCompletedWorkOrders(db: Kysely<DB>, defaultDays: number): Promise<{ id: string; days: number }[]> {
  // Locked until the caller's transaction ends: nobody reopens one between this choice and its closure.
  const r = await sql<{ id: string; days: number }>`
    select w.id, coalesce(s.auto_close_days, ${defaultDays}::int) as days
    from work_orders w left join work_order_settings s on s.territory_id = w.territory_id
    where w.state = 'completed'
      and (s.territory_id is null or s.auto_close_days is not null)
      and w.completed_at < now() - make_interval(days => coalesce(s.auto_close_days, ${defaultDays}::int))
    for update of w`.execute(db);
  return r.rows;
}

/** The verdict given at completion (R.5212-28), with an engineer's override of a failed measurement. */
export async function saveVerdict(
  db: Kysely<DB>,
  id: string,
  v: { conformity: string; note: string | null; overrideReason: string | null; overrideBy: string | null },
): Promise<void> {
  await db.updateTable('workOrders')
    .set({ conformity: v.conformity, conformityNote: v.note, conformityOverrideReason: v.overrideReason, conformityOverrideBy: v.overrideBy })
    .where('id', '=', id)
    .execute();
}

/** A non-conforming device's downtime starts now, unless it is already running. */
export async function startDowntime(db: Kysely<DB>, id: string): Promise<void> {
  await db.updateTable('workOrders').set({ downtimeStartedAt: sql`now()`, downtimeEndedAt: null }).where('id', '=', id).where('downtimeStartedAt', 'is', null).execute();
}

/** The engineer's decision to put the device back in service: the downtime ends, the decision is recorded; the version moves on. */
export async function saveRestartDecision(db: Kysely<DB>, id: string, d: { decidedBy: string; reason: string }): Promise<void> {
  await db.updateTable('workOrders')
    .set({
      restartDecidedBy: d.decidedBy, restartDecidedAt: sql`now()`, restartReason: d.reason,
      downtimeEndedAt: sql`case when downtime_started_at is not null and downtime_ended_at is null then now() else downtime_ended_at end`,
      version: sql`version + 1`, updatedAt: sql`now()`,
    })
    .where('id', '=', id)
    .execute();
}

/**
 * Whether the device waits for an engineer's decision after a non-conforming verdict: a done
 * work order judged non conforming whose downtime is still running (the completion keeps it
 * open; the decision ends it). Work orders judged before this rule existed, whose device came
 * back, do not wait.
 */
export async function pendingNonConformity(db: Kysely<DB>, equipmentId: string): Promise<{ id: string; number: string } | undefined> {
  return db.selectFrom('workOrders').select(['id', 'number'])
    .where('equipmentId', '=', equipmentId)
    .where('state', 'in', ['completed', 'closed'])
    .where('conformity', '=', 'non_conforming')
    .where('restartDecidedAt', 'is', null)
    .where('downtimeStartedAt', 'is not', null)
    .where('downtimeEndedAt', 'is', null)
    .orderBy('completedAt', 'desc')
    .limit(1)
    .executeTakeFirst();
}
