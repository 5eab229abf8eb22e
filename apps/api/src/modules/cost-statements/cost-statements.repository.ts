import { sql, type Kysely } from 'kysely';
import type { DB } from '@gmao/db';

/**
 * The read side of the inter-site ledger (ADR 0023, "Statements and closing"): months,
 * sums per (creditor, debtor, kind), the lines for the drill-down and the exports, each
 * site's balance, and the approvals that close a month. Months are first days ('YYYY-MM-01').
 */

export interface SiteRow {
  id: string;
  name: string;
}

/** The territory's sites, by name (every one of them approves a month). */
export function territorySites(db: Kysely<DB>, territoryId: string): Promise<SiteRow[]> {
  return db.selectFrom('sites').select(['id', 'name']).where('territoryId', '=', territoryId).orderBy('name').orderBy('id').execute();
}

export interface MonthRow {
  month: string;
  closedAt: Date | null;
  totalCents: number;
  approvals: number;
}

/** The months that have lines or a period, newest first, with their total and approvals. */
export async function statementMonths(db: Kysely<DB>, territoryId: string): Promise<MonthRow[]> {
  const r = await sql<MonthRow>`
    with months as (
      select month from cost_periods where territory_id = ${territoryId}::uuid
      union
      select distinct month from cost_ledger_entries where territory_id = ${territoryId}::uuid
    )
    select to_char(m.month, 'YYYY-MM') as month, p.closed_at as "closedAt",
      coalesce((select sum(amount_cents) from cost_ledger_entries l where l.territory_id = ${territoryId}::uuid and l.month = m.month), 0)::float8 as "totalCents",
      (select count(*) from cost_period_approvals a where a.territory_id = ${territoryId}::uuid and a.month = m.month)::int as approvals
    from months m
    left join cost_periods p on p.territory_id = ${territoryId}::uuid and p.month = m.month
    order by m.month desc`.execute(db);
  return r.rows;
}

export interface PeriodRow {
  closedAt: Date | null;
}

export function findPeriod(db: Kysely<DB>, territoryId: string, month: string): Promise<PeriodRow | undefined> {
  return db.selectFrom('costPeriods').select('closedAt').where('territoryId', '=', territoryId).where('month', '=', month).executeTakeFirst();
}

/** The territory's first month of cost allocation (its earliest period), or undefined before any. */
export async function firstPeriodMonth(db: Kysely<DB>, territoryId: string): Promise<string | undefined> {
  const r = await db.selectFrom('costPeriods').select((eb) => eb.fn.min('month').as('first')).where('territoryId', '=', territoryId).executeTakeFirst();
  return r?.first ? String(r.first).slice(0, 10) : undefined;
}

export interface ApprovalRow {
  siteId: string;
  approvedBy: string;
  approverName: string;
  approvedAt: Date;
  note: string;
}

export function periodApprovals(db: Kysely<DB>, territoryId: string, month: string): Promise<ApprovalRow[]> {
  return db
    .selectFrom('costPeriodApprovals as a')
    .innerJoin('users as u', 'u.id', 'a.approvedBy')
    .select(['a.siteId', 'a.approvedBy', 'u.fullName as approverName', 'a.approvedAt', 'a.note'])
    .where('a.territoryId', '=', territoryId)
    .where('a.month', '=', month)
    .orderBy('a.approvedAt')
    .execute();
}

export interface FlowRow {
  creditorSiteId: string;
  debtorSiteId: string;
  kind: string;
  amountCents: number;
  lines: number;
}

/** The month's lines summed per (creditor, debtor, kind): every total and pair is a sum of these. */
export async function monthFlows(db: Kysely<DB>, territoryId: string, month: string): Promise<FlowRow[]> {
  const r = await sql<FlowRow>`
    select creditor_site_id as "creditorSiteId", debtor_site_id as "debtorSiteId", kind,
      sum(amount_cents)::float8 as "amountCents", count(*)::int as lines
    from cost_ledger_entries
    where territory_id = ${territoryId}::uuid and month = ${month}::date
    group by 1, 2, 3`.execute(db);
  return r.rows;
}

export interface LineFilter {
  territoryId: string;
  month: string;
  /** Only lines where one of these sites is creditor or debtor (null: every line). */
  visibleSiteIds: readonly string[] | null;
  siteId?: string;
  counterpartSiteId?: string;
  kind?: string;
  afterId?: number;
  limit: number;
}

export interface LineRow {
  id: number;
  month: string;
  occurredOn: string;
  creditorSiteId: string;
  debtorSiteId: string;
  kind: string;
  amountCents: number;
  quantity: number | null;
  unitCostCents: number | null;
  sourceType: string;
  sourceId: string;
  sourceMonth: string | null;
  workOrderId: string | null;
  workOrderNumber: string | null;
  equipmentId: string | null;
  inventoryNumber: string | null;
  manufacturer: string | null;
  modelName: string | null;
  userId: string | null;
  userName: string | null;
  partId: string | null;
  partReference: string | null;
  partDescription: string | null;
  conventionVersionId: string | null;
  correction: boolean;
  description: string;
  createdAt: Date;
}

/** The month's lines by id (keyset), with the names of what they point at. */
export async function ledgerLines(db: Kysely<DB>, f: LineFilter): Promise<LineRow[]> {
  const visible = f.visibleSiteIds === null ? sql`true`
    : f.visibleSiteIds.length === 0 ? sql`false`
    : sql`(l.creditor_site_id = any(${f.visibleSiteIds}::uuid[]) or l.debtor_site_id = any(${f.visibleSiteIds}::uuid[]))`;
  const site = f.siteId ? sql`and (l.creditor_site_id = ${f.siteId}::uuid or l.debtor_site_id = ${f.siteId}::uuid)` : sql``;
  const counterpart = !f.counterpartSiteId ? sql``
    : f.siteId
      ? sql`and ((l.creditor_site_id = ${f.siteId}::uuid and l.debtor_site_id = ${f.counterpartSiteId}::uuid)
          or (l.debtor_site_id = ${f.siteId}::uuid and l.creditor_site_id = ${f.counterpartSiteId}::uuid))`
      : sql`and (l.creditor_site_id = ${f.counterpartSiteId}::uuid or l.debtor_site_id = ${f.counterpartSiteId}::uuid)`;
  const kind = f.kind ? sql`and l.kind = ${f.kind}` : sql``;
  const after = f.afterId === undefined ? sql`` : sql`and l.id > ${f.afterId}`;
  const r = await sql<LineRow>`
    select l.id, to_char(l.month, 'YYYY-MM') as month, l.occurred_on as "occurredOn", l.creditor_site_id as "creditorSiteId",
      l.debtor_site_id as "debtorSiteId", l.kind, l.amount_cents as "amountCents", l.quantity::float8 as quantity,
      l.unit_cost_cents as "unitCostCents", l.source_type as "sourceType", l.source_id as "sourceId", l.source_month as "sourceMonth",
      l.work_order_id as "workOrderId", w.number as "workOrderNumber", l.equipment_id as "equipmentId", e.inventory_number as "inventoryNumber",
      m.manufacturer, m.model_name as "modelName", l.user_id as "userId", u.full_name as "userName", l.part_id as "partId",
      p.reference as "partReference", p.description as "partDescription", l.convention_version_id as "conventionVersionId",
      l.correction, l.description, l.created_at as "createdAt"
    from cost_ledger_entries l
    left join work_orders w on w.id = l.work_order_id
    left join equipment e on e.id = l.equipment_id
    left join equipment_models m on m.id = e.model_id
    left join users u on u.id = l.user_id
    left join parts p on p.id = l.part_id
    where l.territory_id = ${f.territoryId}::uuid and l.month = ${f.month}::date and ${visible} ${site} ${counterpart} ${kind} ${after}
    order by l.id
    limit ${f.limit}`.execute(db);
  return r.rows;
}

export interface BalanceRow {
  month: string;
  counterpartSiteId: string;
  gaveCents: number;
  receivedCents: number;
}

/** One site's sums with each other site, per month of [from, to] (first days). */
export async function siteBalance(db: Kysely<DB>, o: { territoryId: string; siteId: string; from: string; to: string }): Promise<BalanceRow[]> {
  const r = await sql<BalanceRow>`
    select to_char(month, 'YYYY-MM') as month,
      case when creditor_site_id = ${o.siteId}::uuid then debtor_site_id else creditor_site_id end as "counterpartSiteId",
      coalesce(sum(amount_cents) filter (where creditor_site_id = ${o.siteId}::uuid), 0)::float8 as "gaveCents",
      coalesce(sum(amount_cents) filter (where debtor_site_id = ${o.siteId}::uuid), 0)::float8 as "receivedCents"
    from cost_ledger_entries
    where territory_id = ${o.territoryId}::uuid and month between ${o.from}::date and ${o.to}::date
      and (creditor_site_id = ${o.siteId}::uuid or debtor_site_id = ${o.siteId}::uuid)
    group by 1, 2
    order by 1, 2`.execute(db);
  return r.rows;
}

/**
 * The month's period, created when missing, locked for the approval: two approvals of the
 * same month run one after the other, so the last one sees every other and closes it.
 */
export async function lockPeriod(db: Kysely<DB>, territoryId: string, month: string): Promise<PeriodRow> {
  await db.insertInto('costPeriods').values({ territoryId, month }).onConflict((oc) => oc.columns(['territoryId', 'month']).doNothing()).execute();
  return db.selectFrom('costPeriods').select('closedAt').where('territoryId', '=', territoryId).where('month', '=', month).forUpdate().executeTakeFirstOrThrow();
}

export function insertApproval(db: Kysely<DB>, a: { territoryId: string; month: string; siteId: string; approvedBy: string; note: string }) {
  return db.insertInto('costPeriodApprovals').values(a).returning(['approvedAt']).executeTakeFirstOrThrow();
}

export async function closePeriod(db: Kysely<DB>, territoryId: string, month: string): Promise<Date> {
  const r = await db.updateTable('costPeriods').set({ closedAt: sql<Date>`now()` }).where('territoryId', '=', territoryId).where('month', '=', month)
    .returning('closedAt').executeTakeFirstOrThrow();
  return r.closedAt as Date;
}
