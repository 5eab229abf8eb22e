import { sql, type Kysely } from 'kysely';
import {
  DEFAULT_CONVENTION, contractMonthlyCosts, conventionOn, monthOf, nextMonth, parisDay, parisDayStart, postingMonth, priceLabour, priceTravel,
  splitContractMonth, type ContractSplitName, type ConventionTerms, type TravelModeName,
} from '@gmao/domain';
import type { DB } from '../generated/db.js';

/**
 * The inter-site ledger's posting by differences (ADR 0023), shared by the worker's
 * `cost-ledger` job and the tests. For every source in scope (the open months' sources, and
 * of the closed months only those whose record changed since the last run: `cost_ledger_dirty`)
 * it computes what the source is worth now per (kind, creditor, debtor) and appends the
 * difference with what its lines already sum to: in the source's month when open, else in the
 * first open month after it (a counter-entry). One transaction and one advisory lock per
 * territory: killed, a run posted nothing of that territory; run twice, the second posts nothing.
 */

export type LedgerKindName = 'labour' | 'travel' | 'part_transfer' | 'shared_contract';
type SourceType = 'work_order_labour' | 'stock_transfer' | 'maintenance_contract';

export interface CostLedgerRunResult {
  territories: number;
  /** Lines appended. */
  lines: number;
  /** Of which corrections (after an edit, or counter-entries after a closed month). */
  corrections: number;
  /** Sources compared (labour lines, transfers, contract months). */
  sources: number;
}

interface Worth {
  sourceType: SourceType;
  sourceId: string;
  sourceMonth: string | null;
  kind: LedgerKindName;
  creditor: string;
  debtor: string;
  occurredOn: string;
  amountCents: number;
  quantity: number | null;
  unitCostCents: number | null;
  workOrderId: string | null;
  equipmentId: string | null;
  userId: string | null;
  partId: string | null;
  conventionVersionId: string | null;
}

interface Posted {
  sourceType: SourceType;
  sourceId: string;
  sourceMonth: string | null;
  kind: LedgerKindName;
  creditorSiteId: string;
  debtorSiteId: string;
  amountCents: number;
  lines: number;
  occurredOn: string;
  workOrderId: string | null;
  equipmentId: string | null;
  userId: string | null;
  partId: string | null;
}

/**
 * A source's lines are compared per month of their day (occurred_on) too: when a source's day
 * moves to another month (a labour's start corrected, a transfer's receipt), its lines are
 * reversed in the old month and posted in the new one, so that the lines of a source always
 * sit in the month of its current day, and closing either month leaves both sides of the
 * comparison in or out of scope together (neither posted twice nor reversed by omission).
 */
const keyOf = (t: string, id: string, month: string | null, kind: string, creditor: string, debtor: string, day: string) =>
  `${t}|${id}|${month ?? ''}|${kind}|${creditor}|${debtor}|${monthOf(day)}`;

const MONTH_LABEL = (month: string) => month.slice(0, 7);

export async function postCostLedger(db: Kysely<DB>, o: { territoryId?: string; now?: Date } = {}): Promise<CostLedgerRunResult> {
  const now = o.now ?? new Date();
  const territories = o.territoryId
    ? [o.territoryId]
    : (await db.selectFrom('territories').select('id').orderBy('id').execute()).map((t) => t.id);
  const total: CostLedgerRunResult = { territories: 0, lines: 0, corrections: 0, sources: 0 };
  for (const territoryId of territories) {
    const r = await db.transaction().execute((trx) => postTerritory(trx, territoryId, now));
    total.territories++;
    total.lines += r.lines;
    total.corrections += r.corrections;
    total.sources += r.sources;
  }
  return total;
}

function toTerms(v: {
  id: string; appliesFrom: string; technicianHourlyRateCents: number; engineerHourlyRateCents: number; travelMode: string; travelCentsPerMinute: number;
  travelCentsPerKm: number; overheadPercent: string | number; contractSplit: string; fixedShares: unknown;
}): ConventionTerms {
  return {
    id: v.id, appliesFrom: v.appliesFrom, technicianHourlyRateCents: v.technicianHourlyRateCents, engineerHourlyRateCents: v.engineerHourlyRateCents,
    travelMode: v.travelMode as TravelModeName, travelCentsPerMinute: v.travelCentsPerMinute, travelCentsPerKm: v.travelCentsPerKm,
    overheadPercent: Number(v.overheadPercent), contractSplit: v.contractSplit as ContractSplitName,
    fixedShares: (v.fixedShares as { siteId: string; percent: number }[] | null) ?? null,
  };
}

/** The convention versions of a territory (oldest first), as the pricing rules take them. */
export async function conventionVersions(db: Kysely<DB>, territoryId: string): Promise<ConventionTerms[]> {
  const rows = await db.selectFrom('costConventionVersions').selectAll().where('territoryId', '=', territoryId).orderBy('appliesFrom').execute();
  return rows.map(toTerms);
}

async function postTerritory(trx: Kysely<DB>, territoryId: string, now: Date): Promise<{ lines: number; corrections: number; sources: number }> {
  await sql`select pg_advisory_xact_lock(hashtextextended('cost-ledger:' || ${territoryId}::text, 0))`.execute(trx);
  const today = parisDay(now);
  const currentMonth = monthOf(today);

  // The months (shared lock: an approval closing one waits for this run's commit).
  const periods = (await sql<{ month: string; closedAt: Date | null }>`
    select month, closed_at from cost_periods where territory_id = ${territoryId} order by month for share`.execute(trx)).rows;
  const closed = new Set(periods.filter((p) => p.closedAt !== null).map((p) => p.month));
  const state = await trx.selectFrom('costLedgerState').select('territoryId').where('territoryId', '=', territoryId).executeTakeFirst();
  // The first run posts the whole history; later ones start at the first open month (the
  // month after the last period when every period is closed), never after the current one.
  let floor: string | null = null;
  if (state) {
    const open = periods.filter((p) => p.closedAt === null).map((p) => p.month);
    const afterLast = periods.length > 0 ? nextMonth(periods[periods.length - 1]!.month) : currentMonth;
    floor = [...open, afterLast, currentMonth].sort()[0]!;
  }
  const floorInstant = floor ? parisDayStart(floor) : null;

  const dirtyRows = await trx.selectFrom('costLedgerDirty').select(['id', 'sourceType', 'sourceId']).where('territoryId', '=', territoryId).orderBy('id').execute();
  const dirty = new Set(dirtyRows.map((d) => `${d.sourceType}|${d.sourceId}`));
  const dirtyIds = (t: SourceType) => [...new Set(dirtyRows.filter((d) => d.sourceType === t).map((d) => d.sourceId))];
  /** A source is compared when it changed, or when its month is open (and not before the floor). */
  const inScope = (t: SourceType, id: string, day: string) => dirty.has(`${t}|${id}`) || (!closed.has(monthOf(day)) && (floor === null || day >= floor));

  const versions = await conventionVersions(trx, territoryId);
  const termsOn = (day: string) => conventionOn(versions, day) ?? DEFAULT_CONVENTION;
  const sites = new Map(
    (await trx.selectFrom('sites').select(['id', 'latitude', 'longitude']).where('territoryId', '=', territoryId).execute()).map((s) => [s.id, s]),
  );

  const worths: Worth[] = [];
  let sources = 0;

  // Labour and travel: a person of site A on a work order of site B.
  const labourIds = dirtyIds('work_order_labour');
  const labour = (await sql<{
    id: string; workOrderId: string; equipmentId: string | null; userId: string; minutes: number; travelMinutes: number; day: string;
    debtor: string; creditor: string | null; engineer: boolean;
  }>`
    select l.id, l.work_order_id, w.equipment_id, l.technician_id as user_id, l.minutes, l.travel_minutes,
           (coalesce(l.started_at, l.recorded_at) at time zone 'Europe/Paris')::date::text as day,
           w.site_id as debtor, u.home_site_id as creditor,
           exists (select 1 from role_grants g where g.user_id = u.id and g.role = 'engineer') as engineer
    from work_order_labour l
    join work_orders w on w.id = l.work_order_id
    join users u on u.id = l.technician_id
    where w.territory_id = ${territoryId}
      and l.id in (${floorInstant === null
        ? sql`select id from work_order_labour`
        // Two index scans (by day, by id) rather than one OR that reads the whole table.
        : sql`select id from work_order_labour where coalesce(started_at, recorded_at) >= ${floorInstant}
              union select unnest(${labourIds}::uuid[])`})`.execute(trx)).rows;
  for (const l of labour) {
    if (!inScope('work_order_labour', l.id, l.day)) continue;
    sources++;
    if (!l.creditor || l.creditor === l.debtor) continue;
    const terms = termsOn(l.day);
    const base = {
      sourceType: 'work_order_labour' as const, sourceId: l.id, sourceMonth: null, creditor: l.creditor, debtor: l.debtor, occurredOn: l.day,
      workOrderId: l.workOrderId, equipmentId: l.equipmentId, userId: l.userId, partId: null, conventionVersionId: terms.id,
    };
    const price = priceLabour(terms, l.engineer ? 'engineer' : 'technician', l.minutes);
    worths.push({ ...base, kind: 'labour', ...price });
    const travel = priceTravel(terms, l.travelMinutes, sites.get(l.creditor) ?? null, sites.get(l.debtor) ?? null);
    if (travel) worths.push({ ...base, kind: 'travel', ...travel });
  }

  // Parts transferred from site A to site B and received.
  const transferIds = dirtyIds('stock_transfer');
  const transfers = (await sql<{
    id: string; state: string; creditor: string; debtor: string; partId: string; workOrderId: string | null; quantityReceived: number | null;
    unitCostCents: number | null; day: string | null;
  }>`
    select t.id, t.state, t.source_site_id as creditor, t.destination_site_id as debtor, t.part_id, t.work_order_id, t.quantity_received,
           t.unit_cost_cents, (t.received_at at time zone 'Europe/Paris')::date::text as day
    from stock_transfers t
    where t.territory_id = ${territoryId}
      and t.id in (select id from stock_transfers where territory_id = ${territoryId} and state = 'received'
                     ${floorInstant === null ? sql`` : sql`and received_at >= ${floorInstant}`}
                   union select unnest(${transferIds}::uuid[]))`.execute(trx)).rows;
  for (const t of transfers) {
    if (t.day === null) continue; // never received (a dirty mark of a transfer moved back): worth nothing, lines reversed below
    if (!inScope('stock_transfer', t.id, t.day)) continue;
    sources++;
    if (t.state !== 'received' || !t.quantityReceived || t.unitCostCents === null || t.creditor === t.debtor) continue;
    worths.push({
      sourceType: 'stock_transfer', sourceId: t.id, sourceMonth: null, kind: 'part_transfer', creditor: t.creditor, debtor: t.debtor, occurredOn: t.day,
      amountCents: t.quantityReceived * t.unitCostCents, quantity: t.quantityReceived, unitCostCents: t.unitCostCents,
      workOrderId: t.workOrderId, equipmentId: null, userId: null, partId: t.partId, conventionVersionId: null,
    });
  }

  // Shared contracts: each month up to the current one, split between the covered devices' sites.
  const contracts = await trx
    .selectFrom('maintenanceContracts')
    .select(['id', 'payerSiteId', 'startsOn', 'endsOn', 'totalCostCents', 'active'])
    .where('territoryId', '=', territoryId)
    .where('active', '=', true)
    .where('startsOn', '<=', today)
    .execute();
  const covered = new Map<string, { siteId: string; devices: number; acquisitionValueCents: number }[]>();
  if (contracts.length > 0) {
    const rows = (await sql<{ contractId: string; siteId: string; devices: number; value: string }>`
      select d.contract_id, e.site_id, count(*)::int as devices, coalesce(sum(e.acquisition_cost_cents), 0)::text as value
      from maintenance_contract_devices d join maintenance_contracts c on c.id = d.contract_id join equipment e on e.id = d.equipment_id
      where c.territory_id = ${territoryId} and c.active
      group by d.contract_id, e.site_id`.execute(trx)).rows;
    for (const r of rows) {
      const list = covered.get(r.contractId) ?? [];
      list.push({ siteId: r.siteId, devices: r.devices, acquisitionValueCents: Number(r.value) });
      covered.set(r.contractId, list);
    }
  }
  for (const c of contracts) {
    const bySite = covered.get(c.id) ?? [];
    for (const m of contractMonthlyCosts({ startsOn: c.startsOn, endsOn: c.endsOn, totalCostCents: c.totalCostCents }, currentMonth)) {
      if (!inScope('maintenance_contract', c.id, m.month)) continue;
      sources++;
      if (bySite.length < 2 && bySite.every((s) => s.siteId === c.payerSiteId)) continue;
      const terms = termsOn(m.month);
      for (const share of splitContractMonth(m.costCents, bySite, terms.contractSplit, terms.fixedShares)) {
        if (share.siteId === c.payerSiteId || share.cents === 0) continue;
        worths.push({
          sourceType: 'maintenance_contract', sourceId: c.id, sourceMonth: m.month, kind: 'shared_contract', creditor: c.payerSiteId, debtor: share.siteId,
          occurredOn: m.month, amountCents: share.cents, quantity: share.basisPoints, unitCostCents: m.costCents,
          workOrderId: null, equipmentId: null, userId: null, partId: null, conventionVersionId: terms.id,
        });
      }
    }
  }

  // What is posted for the sources in scope.
  const posted = (await sql<Posted>`
    select source_type, source_id, source_month::text as source_month, kind, creditor_site_id, debtor_site_id, sum(amount_cents)::bigint as amount_cents,
           count(*)::int as lines, max(occurred_on)::text as occurred_on,
           (array_agg(work_order_id order by id desc))[1] as work_order_id, (array_agg(equipment_id order by id desc))[1] as equipment_id,
           (array_agg(user_id order by id desc))[1] as user_id, (array_agg(part_id order by id desc))[1] as part_id
    from cost_ledger_entries
    where territory_id = ${territoryId}
      and id in (${floor === null
        ? sql`select id from cost_ledger_entries where territory_id = ${territoryId}`
        : sql`select id from cost_ledger_entries where territory_id = ${territoryId} and occurred_on >= ${floor}::date
              union all select id from cost_ledger_entries where source_type = 'work_order_labour' and source_id = any(${dirtyIds('work_order_labour')}::uuid[])
              union all select id from cost_ledger_entries where source_type = 'stock_transfer' and source_id = any(${dirtyIds('stock_transfer')}::uuid[])
              union all select id from cost_ledger_entries where source_type = 'maintenance_contract' and source_id = any(${dirtyIds('maintenance_contract')}::uuid[])`})
    group by source_type, source_id, source_month, kind, creditor_site_id, debtor_site_id, date_trunc('month', occurred_on)`.execute(trx)).rows;

  const postedByKey = new Map<string, Posted>();
  for (const p of posted) {
    if (!inScope(p.sourceType, p.sourceId, p.occurredOn)) continue;
    postedByKey.set(keyOf(p.sourceType, p.sourceId, p.sourceMonth, p.kind, p.creditorSiteId, p.debtorSiteId, p.occurredOn), p);
  }

  interface NewLine {
    territoryId: string; month: string; occurredOn: string; creditorSiteId: string; debtorSiteId: string; kind: string; amountCents: number;
    quantity: number | null; unitCostCents: number | null; sourceType: string; sourceId: string; sourceMonth: string | null; workOrderId: string | null;
    equipmentId: string | null; userId: string | null; partId: string | null; conventionVersionId: string | null; correction: boolean; description: string;
  }
  const lines: NewLine[] = [];
  const line = (w: Omit<Worth, 'amountCents'>, amountCents: number, before: Posted | undefined, worthNow: number) => {
    const sourceMonth = monthOf(w.occurredOn);
    const month = postingMonth(sourceMonth, closed);
    const correction = before !== undefined || month !== sourceMonth;
    const euros = (c: number) => (c / 100).toFixed(2);
    const description =
      month !== sourceMonth
        ? `Contre-passation : ${MONTH_LABEL(sourceMonth)} est clos, écart de ${euros(amountCents)} € reporté sur ${MONTH_LABEL(month)} (valeur ${euros(worthNow)} €, déjà comptabilisé ${euros(before?.amountCents ?? 0)} €)`
        : before !== undefined
          ? `Correction : valeur ${euros(worthNow)} €, déjà comptabilisé ${euros(before.amountCents)} €`
          : '';
    lines.push({
      territoryId, month, occurredOn: w.occurredOn, creditorSiteId: w.creditor, debtorSiteId: w.debtor, kind: w.kind, amountCents,
      quantity: w.quantity, unitCostCents: w.unitCostCents, sourceType: w.sourceType, sourceId: w.sourceId, sourceMonth: w.sourceMonth,
      workOrderId: w.workOrderId, equipmentId: w.equipmentId, userId: w.userId, partId: w.partId, conventionVersionId: w.conventionVersionId,
      correction, description,
    });
  };
  const seen = new Set<string>();
  for (const w of worths) {
    const key = keyOf(w.sourceType, w.sourceId, w.sourceMonth, w.kind, w.creditor, w.debtor, w.occurredOn);
    seen.add(key);
    const before = postedByKey.get(key);
    const diff = w.amountCents - (before?.amountCents ?? 0);
    if (diff !== 0) line(w, diff, before, w.amountCents);
  }
  // Posted sources worth nothing now (deleted, no longer cross-site, deactivated): reversed.
  for (const [key, p] of postedByKey) {
    if (seen.has(key) || p.amountCents === 0) continue;
    line(
      {
        sourceType: p.sourceType, sourceId: p.sourceId, sourceMonth: p.sourceMonth, kind: p.kind, creditor: p.creditorSiteId, debtor: p.debtorSiteId,
        occurredOn: p.occurredOn, quantity: null, unitCostCents: null, workOrderId: p.workOrderId, equipmentId: p.equipmentId, userId: p.userId,
        partId: p.partId, conventionVersionId: null,
      },
      -p.amountCents, p, 0,
    );
  }

  if (lines.length > 0) {
    const months = [...new Set(lines.map((l) => l.month))];
    await sql`insert into cost_periods (territory_id, month) select ${territoryId}, m from unnest(${months}::date[]) m on conflict do nothing`.execute(trx);
    // Existing rows are the referenced ones: the work order, device, person or part may be gone only if deleted, which the schema forbids.
    for (let i = 0; i < lines.length; i += 1000) await trx.insertInto('costLedgerEntries').values(lines.slice(i, i + 1000)).execute();
  }
  // Exactly the marks read: a mark with a lower id may have been committed since (ids are
  // taken before commit), by a change this run did not see; it stays for the next run.
  for (let i = 0; i < dirtyRows.length; i += 10_000) {
    await trx.deleteFrom('costLedgerDirty').where('id', 'in', dirtyRows.slice(i, i + 10_000).map((d) => d.id)).execute();
  }
  await trx
    .insertInto('costLedgerState')
    .values({ territoryId, lastLines: lines.length })
    .onConflict((oc) => oc.column('territoryId').doUpdateSet({ lastRunAt: sql`now()`, lastLines: lines.length }))
    .execute();
  return { lines: lines.length, corrections: lines.filter((l) => l.correction).length, sources };
}
