import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processKpiDirty, rebuildKpiRollups, type DB } from '@gmao/db';
import { addDays, DEFAULT_LABOUR_HOURLY_RATE_CENTS, parisDay } from '@gmao/domain';
import { createTestContext, login, problemOf, type Session, type TestContext } from '../support/app.js';
import { demoIds } from '../support/fixtures.js';

/**
 * The indicators (issue 15, ADR 0022) on the demo territory plus a few hundred random work
 * orders, downtimes, labour lines, vendor interventions, parts issued and decommissionings
 * (seeded PRNG), three cost convention versions (rates per role, the three contract splits)
 * and maintenance contracts (ADR 0023): what GET /kpis answers from the rollups equals the
 * same figures computed by plain SQL over the raw tables; a rebuild is idempotent; the
 * triggers' dirty ranges bring the rollups back in step (a new convention version, a
 * contract deactivated); rights and validation.
 */
let ctx: TestContext;
let db: Kysely<DB>;
let ids: Awaited<ReturnType<typeof demoIds>>;
let engineer: Session;
const TODAY = parisDay(new Date());
const YESTERDAY = addDays(TODAY, -1);
const START = '2025-06-01';
const FROM = '2025-09-15';
/** The convention's versions (ADR 0023); before the first, DEFAULT_LABOUR_HOURLY_RATE_CENTS for both roles. */
const V2_TECH = 5200;
const V3_TECH = 4800;

/** mulberry32: a small seeded PRNG. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function seedRandom(seed: number) {
  const rnd = prng(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
  const engineerId = ids.user('ingenieur@ght-demo.fr');
  const techs = [ids.user('tech.chu@ght-demo.fr'), ids.user('tech.ch1@ght-demo.fr')];
  // The demo devices exist since 1 January 2025 (their inventory event moved back there), criticality drawn.
  await sql`update equipment set created_at = '2025-01-01T00:00:00Z' where territory_id = ${ids.territoryId}`.execute(db);
  await sql`update equipment_events set at = '2025-01-01T00:00:00Z' where territory_id = ${ids.territoryId}`.execute(db);
  const devices = await db.selectFrom('equipment as e').leftJoin('equipmentModels as m', 'm.id', 'e.modelId')
    .select(['e.id', 'e.siteId', 'e.status', 'm.categoryId']).where('e.territoryId', '=', ids.territoryId).orderBy('e.inventoryNumber').execute();
  for (const d of devices) {
    const criticality = pick(['critical', 'critical', 'high', 'medium', 'low']);
    await sql`update equipment set criticality = ${criticality}, acquisition_cost_cents = ${Math.floor(rnd() * 5_000_000)},
      status = case when status = 'in_stock' then 'in_service' else status end where id = ${d.id}`.execute(db);
    await sql`update equipment_events set to_status = case when to_status = 'in_stock' then 'in_service' else to_status end where equipment_id = ${d.id}`.execute(db);
  }
  const startMs = Date.parse(`${START}T00:00:00Z`);
  const endMs = Date.parse(`${YESTERDAY}T00:00:00Z`);
  const instant = (from = startMs, to = endMs) => new Date(from + rnd() * (to - from));
  // A few devices decommissioned in the middle, one put in stock for a while.
  for (const d of devices.slice(0, 12).filter(() => rnd() < 0.5)) {
    const at = instant();
    await sql`update equipment set status = 'decommissioned', decommissioned_at = ${parisDay(at)}::date, decommission_reason = 'obsolete' where id = ${d.id}`.execute(db);
    await sql`insert into equipment_events (territory_id, equipment_id, kind, at, from_status, to_status)
      values (${ids.territoryId}, ${d.id}, 'decommissioned', ${at}, 'in_service', 'decommissioned')`.execute(db);
  }
  const category = devices.find((d) => d.categoryId)!.categoryId!;
  const plans = [];
  for (const regulatory of [false, true]) {
    plans.push((await db.insertInto('maintenancePlans').values({
      territoryId: ids.territoryId, name: `Plan KPI ${regulatory}`, categoryId: category, workOrderType: 'preventive', trigger: 'calendar', every: 1, unit: 'months',
      anchorDate: START, toleranceDaysBefore: 3, toleranceDaysAfter: 5, regulatory, createdBy: engineerId,
    }).returning('id').executeTakeFirstOrThrow()).id);
  }
  const stock = await sql<{ storeId: string; partId: string }>`select store_id as "storeId", part_id as "partId" from stock limit 1`.execute(db);
  let n = 0;
  for (let i = 0; i < 320; i++) {
    const d = pick(devices);
    const planned = rnd() < 0.25;
    const type = planned ? 'preventive' : pick(['corrective', 'corrective', 'corrective', 'other']);
    const requestedAt = instant();
    const down = !planned && type === 'corrective' && rnd() < 0.7;
    const ended = down && rnd() < 0.85 ? new Date(requestedAt.getTime() + rnd() * 400 * 3_600_000) : null;
    const state = pick(['closed', 'closed', 'completed', 'in_progress', 'cancelled', 'requested']);
    const done = state === 'closed' || state === 'completed';
    const completedAt = done ? new Date((ended ?? requestedAt).getTime() + rnd() * 48 * 3_600_000) : null;
    const dueDate = planned ? parisDay(instant()) : null;
    const plan = planned ? pick(plans) : null;
    const wo = await db.insertInto('workOrders').values({
      territoryId: ids.territoryId, siteId: d.siteId, equipmentId: d.id, number: `KPI-${seed}-${n++}`, type, priority: 'normal', symptom: 'Aléa', state,
      deviceOutOfService: down, requestedBy: engineerId, requestedAt, downtimeStartedAt: down ? requestedAt : null, downtimeEndedAt: ended,
      completedAt, performedBy: rnd() < 0.15 ? 'vendor' : 'internal', planId: plan, dueDate,
      windowStart: dueDate ? addDays(dueDate, -3) : null, windowEnd: dueDate ? addDays(dueDate, 5) : null,
    }).onConflict((oc) => oc.doNothing()).returning('id').executeTakeFirst();
    if (!wo) continue;
    for (let k = 0; k < Math.floor(rnd() * 3); k++) {
      const startedAt = rnd() < 0.7 ? instant(requestedAt.getTime(), requestedAt.getTime() + 72 * 3_600_000) : null;
      await db.insertInto('workOrderLabour').values({
        workOrderId: wo.id, technicianId: pick([...techs, engineerId]), startedAt, endedAt: null, minutes: 10 + Math.floor(rnd() * 290), recordedBy: engineerId,
        recordedAt: instant(requestedAt.getTime(), requestedAt.getTime() + 96 * 3_600_000),
      }).execute();
    }
    if (rnd() < 0.3) {
      await db.insertInto('workOrderExternal').values({
        workOrderId: wo.id, vendor: 'Fournisseur', costCents: Math.floor(rnd() * 300_000), performedOn: rnd() < 0.5 ? parisDay(requestedAt) : null,
        recordedBy: engineerId, recordedAt: instant(requestedAt.getTime(), requestedAt.getTime() + 96 * 3_600_000),
      }).execute();
    }
    if (rnd() < 0.3 && stock.rows[0]) {
      const qty = 1 + Math.floor(rnd() * 3);
      await db.insertInto('stockMovements').values({
        territoryId: ids.territoryId, storeId: stock.rows[0].storeId, partId: stock.rows[0].partId, type: 'issue', delta: -qty, quantity: qty,
        unitCostCents: 100 + Math.floor(rnd() * 10_000), workOrderId: wo.id, createdBy: engineerId, createdAt: instant(requestedAt.getTime(), requestedAt.getTime() + 96 * 3_600_000),
      }).execute();
    }
  }
}

/**
 * The cost convention's versions and maintenance contracts: a contract over the period's
 * start, one past today, one of a single site whose devices have no acquisition value, one
 * deactivated; versions splitting by devices, by acquisition value and by fixed shares (two
 * sites without a share).
 */
async function seedConvention(seed: number) {
  const rnd = prng(seed);
  const admin = ids.user('admin@ght-demo.fr');
  const sites = (await db.selectFrom('sites').select('id').where('territoryId', '=', ids.territoryId).orderBy('shortCode').execute()).map((x) => x.id);
  await db.insertInto('costConventionVersions').values([
    { territoryId: ids.territoryId, appliesFrom: '2025-10-01', technicianHourlyRateCents: 5000, engineerHourlyRateCents: 7000, contractSplit: 'devices', createdBy: admin },
    { territoryId: ids.territoryId, appliesFrom: '2026-03-01', technicianHourlyRateCents: V2_TECH, engineerHourlyRateCents: 8000, contractSplit: 'acquisition_value', createdBy: admin },
    {
      territoryId: ids.territoryId, appliesFrom: '2026-08-01', technicianHourlyRateCents: V3_TECH, engineerHourlyRateCents: 9100, contractSplit: 'fixed_shares',
      fixedShares: JSON.stringify([{ siteId: sites[0], percent: 50 }, { siteId: sites[1], percent: 30 }, { siteId: sites[2], percent: 20 }]), createdBy: admin,
    },
  ]).execute();
  const devices = await db.selectFrom('equipment').select(['id', 'siteId']).where('territoryId', '=', ids.territoryId).orderBy('inventoryNumber').execute();
  const some = (n: number, of = devices) => [...of].sort(() => rnd() - 0.5).slice(0, n).map((d) => d.id);
  const oneSite = devices.filter((d) => d.siteId === sites[3]).slice(0, 3).map((d) => d.id);
  await db.updateTable('equipment').set({ acquisitionCostCents: 0 }).where('id', 'in', oneSite).execute();
  const contracts: [string, string, number, boolean, string[]][] = [
    ['2025-07-01', '2026-06-30', 1_200_000, true, some(9)],
    ['2026-02-15', '2027-02-14', 3_650_011, true, some(6)],
    ['2025-11-20', '2026-10-10', 987_654, true, oneSite],
    ['2025-09-01', '2026-09-01', 5_000_000, false, some(4)],
  ];
  for (const [i, [startsOn, endsOn, total, active, covered]] of contracts.entries()) {
    const c = await db.insertInto('maintenanceContracts').values({
      territoryId: ids.territoryId, reference: `KPI-C${i}`, vendor: 'Fournisseur', payerSiteId: sites[i % sites.length]!, startsOn, endsOn,
      totalCostCents: total, active, createdBy: admin,
    }).returning('id').executeTakeFirstOrThrow();
    await db.insertInto('maintenanceContractDevices').values(covered.map((equipmentId) => ({ contractId: c.id, equipmentId }))).execute();
  }
}

/**
 * The contracts' cost over a period by plain SQL: per contract day, the version in force,
 * each covered device's weight by that version's split, summed over the scope's devices.
 */
async function contractCents(o: { from: string; to: string; siteId?: string; categoryId?: string }): Promise<number> {
  const site = o.siteId ? sql`and dev.site_id = ${o.siteId}::uuid` : sql``;
  const category = o.categoryId ? sql`and dev.category_id = ${o.categoryId}::uuid` : sql``;
  return (await sql<{ cents: number }>`
    with dev as (
      select cd.contract_id, e.id, e.site_id, m.category_id, coalesce(e.acquisition_cost_cents, 0)::float8 as acq
      from maintenance_contract_devices cd join equipment e on e.id = cd.equipment_id left join equipment_models m on m.id = e.model_id),
    cday as (
      select c.id, c.total_cost_cents::float8 / (c.ends_on - c.starts_on + 1) as per_day,
             (select v.id from cost_convention_versions v where v.territory_id = c.territory_id and v.applies_from <= d::date
              order by v.applies_from desc limit 1) as vid
      from maintenance_contracts c cross join generate_series(greatest(c.starts_on, ${o.from}::date), least(c.ends_on, ${o.to}::date), interval '1 day') d
      where c.active and c.territory_id = ${ids.territoryId}::uuid)
    select coalesce(sum(cday.per_day * case
        when v.contract_split = 'acquisition_value' and (select sum(acq) from dev d2 where d2.contract_id = dev.contract_id) > 0
          then dev.acq / (select sum(acq) from dev d2 where d2.contract_id = dev.contract_id)
        when v.contract_split = 'fixed_shares' and fx.total > 0
          then fx.site / fx.total / (select count(*) from dev d2 where d2.contract_id = dev.contract_id and d2.site_id = dev.site_id)
        else 1.0 / (select count(*) from dev d2 where d2.contract_id = dev.contract_id) end), 0)::float8 as cents
    from cday join dev on dev.contract_id = cday.id left join cost_convention_versions v on v.id = cday.vid
    cross join lateral (
      select coalesce((select sum((f->>'percent')::float8) from jsonb_array_elements(v.fixed_shares) f where (f->>'siteId')::uuid = dev.site_id), 0) as site,
             (select sum((f->>'percent')::float8) from jsonb_array_elements(v.fixed_shares) f
              where (f->>'siteId')::uuid in (select d2.site_id from dev d2 where d2.contract_id = dev.contract_id)) as total) fx
    where true ${site} ${category}`.execute(db)).rows[0]!.cents;
}

/** The six indicators and a few details by plain SQL over the raw tables (no rollup). */
async function reference(o: { from: string; to: string; siteId?: string; categoryId?: string }) {
  const site = o.siteId ? sql`and e.site_id = ${o.siteId}::uuid` : sql``;
  const woSite = o.siteId ? sql`and w.site_id = ${o.siteId}::uuid` : sql``;
  const category = o.categoryId ? sql`and m.category_id = ${o.categoryId}::uuid` : sql``;
  const period = sql`tstzrange((${o.from}::date)::timestamp at time zone 'Europe/Paris', (${o.to}::date + 1)::timestamp at time zone 'Europe/Paris')`;
  const inPeriod = (day: ReturnType<typeof sql>) => sql`(${day}) between ${o.from}::date and ${o.to}::date`;
  const day = (ts: ReturnType<typeof sql>) => sql`((${ts}) at time zone 'Europe/Paris')::date`;
  const minutes = (m: ReturnType<typeof sql>) => sql`(select coalesce(sum(extract(epoch from upper(x) - lower(x))), 0)::float8 / 60 from unnest(${m}) x)`;
  const devices = sql`
    dev as (select e.id, e.criticality, coalesce(e.acquisition_cost_cents, 0)::float8 as acq from equipment e left join equipment_models m on m.id = e.model_id
            where e.territory_id = ${ids.territoryId}::uuid ${site} ${category}),
    st as (select ev.equipment_id, ev.at, lead(ev.at) over (partition by ev.equipment_id order by ev.at, ev.id) as nxt, ev.to_status
           from equipment_events ev where ev.to_status is not null),
    act as (select equipment_id as id, range_agg(tstzrange(at, nxt)) as m from st
            where to_status in ('in_service', 'out_of_service', 'under_maintenance', 'on_loan') and (nxt is null or nxt > at) group by 1),
    dn as (select equipment_id as id, range_agg(tstzrange(downtime_started_at, coalesce(downtime_ended_at, now()))) as m from work_orders
           where downtime_started_at is not null group by 1)`;
  const inv = (await sql<{ ac: number; dc: number; ah: number; dh: number; a: number; d: number }>`
    with ${devices}
    select coalesce(sum(${minutes(sql`act.m * tstzmultirange(${period})`)}) filter (where criticality = 'critical'), 0) as ac,
           coalesce(sum(${minutes(sql`act.m * coalesce(dn.m, '{}') * tstzmultirange(${period})`)}) filter (where criticality = 'critical'), 0) as dc,
           coalesce(sum(${minutes(sql`act.m * tstzmultirange(${period})`)}) filter (where criticality = 'high'), 0) as ah,
           coalesce(sum(${minutes(sql`act.m * coalesce(dn.m, '{}') * tstzmultirange(${period})`)}) filter (where criticality = 'high'), 0) as dh
    from dev join act on act.id = dev.id left join dn on dn.id = dev.id`.execute(db)).rows[0]!;
  // Device-days: each day's active minutes over that day's length (23, 24 or 25 hours).
  const allDevicesCategory = sql``;
  const deviceDays = async (cat: ReturnType<typeof sql>) => (await sql<{ dd: number; acq: number }>`
    with dev as (select e.id, coalesce(e.acquisition_cost_cents, 0)::float8 as acq from equipment e left join equipment_models m on m.id = e.model_id
                 where e.territory_id = ${ids.territoryId}::uuid ${site} ${cat}),
    st as (select ev.equipment_id, ev.at, lead(ev.at) over (partition by ev.equipment_id order by ev.at, ev.id) as nxt, ev.to_status
           from equipment_events ev where ev.to_status is not null),
    act as (select equipment_id as id, range_agg(tstzrange(at, nxt)) as m from st
            where to_status in ('in_service', 'out_of_service', 'under_maintenance', 'on_loan') and (nxt is null or nxt > at) group by 1),
    days as (select tstzrange((d::date)::timestamp at time zone 'Europe/Paris', (d::date + 1)::timestamp at time zone 'Europe/Paris') as r
             from generate_series(${o.from}::date, ${o.to}::date, interval '1 day') d)
    select coalesce(sum(${minutes(sql`act.m * tstzmultirange(days.r)`)} / (extract(epoch from upper(days.r) - lower(days.r)) / 60)), 0)::float8 as dd,
           coalesce(sum(dev.acq * ${minutes(sql`act.m * tstzmultirange(days.r)`)} / (extract(epoch from upper(days.r) - lower(days.r)) / 60)), 0)::float8 as acq
    from dev join act on act.id = dev.id cross join days`.execute(db)).rows[0]!;
  const dd = await deviceDays(category);
  const ddAll = await deviceDays(allDevicesCategory);
  const wo = sql`work_orders w join equipment e on e.id = w.equipment_id left join equipment_models m on m.id = e.model_id`;
  const woWhere = sql`w.territory_id = ${ids.territoryId}::uuid ${woSite} ${category}`;
  const repairs = (await sql<{ n: number; hours: number; p50: number | null; p90: number | null; labour: number }>`
    select count(*)::int as n, coalesce(sum(extract(epoch from w.downtime_ended_at - w.requested_at) / 3600), 0)::float8 as hours,
           percentile_disc(0.5) within group (order by extract(epoch from w.downtime_ended_at - w.requested_at) / 3600)::float8 as p50,
           percentile_disc(0.9) within group (order by extract(epoch from w.downtime_ended_at - w.requested_at) / 3600)::float8 as p90,
           coalesce(sum((select sum(minutes) from work_order_labour l where l.work_order_id = w.id)), 0)::float8 as labour
    from ${wo} where ${woWhere} and w.type = 'corrective' and w.device_out_of_service and w.state <> 'cancelled'
      and w.downtime_ended_at is not null and ${inPeriod(day(sql`w.downtime_ended_at`))}`.execute(db)).rows[0]!;
  const pm = (await sql<{ due: number; done: number; rdue: number; rdone: number }>`
    select count(*) filter (where not reg)::int as due, count(*) filter (where not reg and ok)::int as done,
           count(*) filter (where reg)::int as rdue, count(*) filter (where reg and ok)::int as rdone
    from (select w.state in ('completed', 'closed') and coalesce(${day(sql`w.completed_at`)} between w.window_start and w.window_end, false) as ok,
                 -- Regulatory: a plan flagged so, a quality control or safety check, preventive work on a device with the obligation.
                 p.regulatory or w.type in ('quality_control', 'electrical_safety') or (w.type = 'preventive' and e.maintenance_obligation) as reg
          from ${wo} join maintenance_plans p on p.id = w.plan_id
          where ${woWhere} and w.plan_id is not null and w.due_date between ${o.from}::date and ${o.to}::date) w`.execute(db)).rows[0]!;
  // Labour: each line at the rate of its person's role (an engineer grant anywhere) in the version in force on its day.
  const cost = (await sql<{ labour: number; lines: number; parts: number; plines: number; vendor: number; vlines: number }>`
    select (select coalesce(sum(round(l.minutes * coalesce(
                case when exists (select 1 from role_grants g where g.user_id = l.technician_id and g.role = 'engineer') then v.engineer_hourly_rate_cents
                     else v.technician_hourly_rate_cents end, ${DEFAULT_LABOUR_HOURLY_RATE_CENTS}::int)::numeric / 60)), 0)::float8
              from work_order_labour l join ${wo} on w.id = l.work_order_id
              left join lateral (select * from cost_convention_versions v where v.territory_id = w.territory_id
                                 and v.applies_from <= ${day(sql`coalesce(l.started_at, l.recorded_at)`)} order by v.applies_from desc limit 1) v on true
              where ${woWhere} and ${inPeriod(day(sql`coalesce(l.started_at, l.recorded_at)`))}) as labour,
           (select count(*)::int from work_order_labour l join ${wo} on w.id = l.work_order_id
              where ${woWhere} and ${inPeriod(day(sql`coalesce(l.started_at, l.recorded_at)`))}) as lines,
           (select coalesce(sum(-sm.delta * sm.unit_cost_cents), 0)::float8 from stock_movements sm join ${wo} on w.id = sm.work_order_id
              where ${woWhere} and sm.type in ('issue', 'return') and ${inPeriod(day(sql`sm.created_at`))}) as parts,
           (select count(*)::int from stock_movements sm join ${wo} on w.id = sm.work_order_id
              where ${woWhere} and sm.type in ('issue', 'return') and ${inPeriod(day(sql`sm.created_at`))}) as plines,
           (select coalesce(sum(x.cost_cents), 0)::float8 from work_order_external x join ${wo} on w.id = x.work_order_id
              where ${woWhere} and ${inPeriod(sql`coalesce(x.performed_on, ${day(sql`x.recorded_at`)})`)}) as vendor,
           (select count(*)::int from work_order_external x join ${wo} on w.id = x.work_order_id
              where ${woWhere} and ${inPeriod(sql`coalesce(x.performed_on, ${day(sql`x.recorded_at`)})`)}) as vlines`.execute(db)).rows[0]!;
  const closed = (await sql<{ n: number; vendor: number }>`
    select count(*)::int as n,
           count(*) filter (where not exists (select 1 from work_order_labour l where l.work_order_id = w.id)
                            and (w.performed_by = 'vendor' or exists (select 1 from work_order_external x where x.work_order_id = w.id)))::int as vendor
    from ${wo} where ${woWhere} and w.state in ('completed', 'closed') and ${inPeriod(day(sql`w.completed_at`))}`.execute(db)).rows[0]!;
  const fteSite = o.siteId ? sql`and g.site_id = ${o.siteId}::uuid` : sql``;
  const fte = (await sql<{ fte: number; people: number }>`
    select coalesce(sum(share), 0)::float8 as fte, count(distinct user_id)::int as people from (
      select g.user_id, g.site_id, u.fte / count(*) over (partition by g.user_id) as share
      from role_grants g join users u on u.id = g.user_id and u.active
      where g.territory_id = ${ids.territoryId}::uuid and g.role = 'technician') g where true ${fteSite}`.execute(db)).rows[0]!;
  const days = (Date.parse(`${o.to}T00:00:00Z`) - Date.parse(`${o.from}T00:00:00Z`)) / 86_400_000 + 1;
  const contracts = await contractCents(o);
  const totalCents = cost.labour + cost.parts + cost.vendor + Math.round(contracts);
  return {
    availability: { numerator: inv.ac - inv.dc, denominator: inv.ac },
    availabilityHigh: { numerator: inv.ah - inv.dh, denominator: inv.ah },
    mttr: { numerator: repairs.hours, denominator: repairs.n, p50: repairs.p50, p90: repairs.p90, labourHours: repairs.labour / 60 },
    pmCompliance: { numerator: pm.done, denominator: pm.due },
    pmRegulatory: { numerator: pm.rdone, denominator: pm.rdue },
    costPerDevice: { numerator: totalCents, denominator: dd.dd / 365, records: cost.lines + cost.plines + cost.vlines },
    cost: { labourCents: cost.labour, contractsCents: Math.round(contracts), contracts },
    costOfServiceRatio: { denominator: dd.acq / 365 },
    vendorCostShare: { numerator: cost.vendor },
    techniciansPer1000: { numerator: fte.fte, denominator: ddAll.dd / days / 1000, records: fte.people },
    subcontractedShare: { numerator: closed.vendor, denominator: closed.n },
  };
}

const close = (actual: number, expected: number) => expect(actual).toBeCloseTo(expected, Math.abs(expected) > 1e6 ? 0 : 6);
type Ind = { value: number | null; numerator: number; denominator: number; records: number };
function same(actual: Ind, expected: { numerator?: number; denominator: number; records?: number }) {
  if (expected.numerator !== undefined) close(actual.numerator, expected.numerator);
  close(actual.denominator, expected.denominator);
  if (expected.records !== undefined) expect(actual.records).toBe(expected.records);
  if (expected.denominator === 0) expect(actual.value).toBeNull();
  else close(actual.value!, actual.numerator / actual.denominator);
}

async function rollupRows() {
  // Sums of doubles depend on the order rows are added in (another plan, another order): compared to 1e-6.
  const r = (c: string) => `round(${c}::numeric, 6) as ${c}`;
  const floats = ['device_days', 'acquisition_cents_days', 'active_minutes', 'down_minutes', 'active_minutes_critical', 'down_minutes_critical',
    'active_minutes_high', 'down_minutes_high', 'repair_minutes', 'contract_cents'].map(r).join(', ');
  return (await sql`select territory_id, site_id, category_key, day::text, ${sql.raw(floats)}, ${sql.raw('device_day_pairs, pairs_critical, pairs_high, failures, repairs, repair_labour_minutes, pm_due, pm_done, pm_regulatory_due, pm_regulatory_done, labour_minutes, labour_records, labour_cents, parts_cents, parts_records, vendor_cents, vendor_records, closed, closed_vendor_only')}
    from kpi_daily order by site_id, category_key, day`.execute(db)).rows.concat(
    (await sql`select site_id, category_key, day::text, bucket, repairs from kpi_daily_repairs order by site_id, category_key, day, bucket`.execute(db)).rows,
    (await sql`select site_id, category_key, month::text, round(device_days::numeric, 6) as dd, round(active_minutes::numeric, 6) as am,
      round(down_minutes::numeric, 6) as dm, repairs, round(repair_minutes::numeric, 6) as rm, pm_due, pm_done, labour_minutes,
      parts_cents, vendor_cents, closed, closed_vendor_only, labour_cents, round(contract_cents::numeric, 6) as cc from kpi_monthly order by site_id, category_key, month`.execute(db)).rows,
    (await sql`select site_id, month::text, bucket, repairs from kpi_monthly_repairs order by site_id, month, bucket`.execute(db)).rows);
}

beforeAll(async () => {
  ctx = await createTestContext();
  db = ctx.database.db;
  ids = await demoIds(db);
  await seedRandom(15);
  await seedConvention(15);
  await rebuildKpiRollups(db, { territoryId: ids.territoryId, from: START, to: YESTERDAY });
  engineer = await login(ctx.app, 'ingenieur@ght-demo.fr');
}, 300_000);
afterAll(async () => ctx?.close());

async function kpis(query: string, session = engineer) {
  return ctx.app.inject({ method: 'GET', url: `/api/v1/kpis?${query}`, headers: session.auth });
}

describe('GET /kpis equals plain SQL over the raw tables', () => {
  it('for the territory, a site and a category', async () => {
    const site = ids.site('CHU');
    const cat = (await sql<{ id: string }>`select m.category_id as id from equipment e join equipment_models m on m.id = e.model_id
      where e.territory_id = ${ids.territoryId} group by 1 order by count(*) desc limit 1`.execute(db)).rows[0]!.id;
    for (const scope of [{}, { siteId: site }, { categoryId: cat }, { siteId: site, categoryId: cat }] as { siteId?: string; categoryId?: string }[]) {
      const q = new URLSearchParams({ from: FROM, to: YESTERDAY, ...scope }).toString();
      const res = await kpis(q);
      expect(res.statusCode, res.body).toBe(200);
      const k = res.json();
      const ref = await reference({ from: FROM, to: YESTERDAY, ...scope });
      same(k.availability, ref.availability);
      same(k.availabilityHigh, ref.availabilityHigh);
      same(k.mttr, ref.mttr);
      expect(k.mttr.records).toBe(ref.mttr.denominator);
      for (const [got, exact] of [[k.mttrMedianHours, ref.mttr.p50], [k.mttrP90Hours, ref.mttr.p90]] as [number | null, number | null][]) {
        if (exact === null) expect(got).toBeNull();
        // Read from the histogram: within 0.5 % (or one minute for times under a minute).
        else expect(Math.abs(got! - exact)).toBeLessThanOrEqual(Math.max(exact * 0.005, 1 / 60) + 1e-9);
      }
      close(k.meanActiveRepairHours.numerator, ref.mttr.labourHours);
      same(k.pmCompliance, ref.pmCompliance);
      same(k.pmRegulatory, ref.pmRegulatory);
      same(k.costPerDevice, ref.costPerDevice);
      close(k.costOfServiceRatio.denominator, ref.costOfServiceRatio.denominator);
      close(k.vendorCostShare.numerator, ref.vendorCostShare.numerator);
      same(k.techniciansPer1000, ref.techniciansPer1000);
      same(k.subcontractedShare, ref.subcontractedShare);
      expect(k.cost.totalCents).toBe(ref.costPerDevice.numerator);
      expect(k.cost.labourCents).toBe(ref.cost.labourCents);
      expect(k.cost.contractsCents).toBe(ref.cost.contractsCents);
    }
    // The random data gave every indicator something to count.
    const all = (await kpis(`from=${FROM}&to=${YESTERDAY}`)).json();
    for (const key of ['availability', 'mttr', 'pmCompliance', 'costPerDevice', 'techniciansPer1000', 'subcontractedShare', 'pmRegulatory', 'availabilityHigh']) {
      expect(all[key].denominator, key).toBeGreaterThan(0);
      expect(all[key].value, key).not.toBeNull();
    }
    expect(all.availability.value).toBeLessThan(1);
    // Every split of the contracts counted something; the labour of both roles was priced.
    expect(all.cost.contractsCents).toBeGreaterThan(0);
    expect(all).toMatchObject({ labourHourlyRateCents: V3_TECH, engineerHourlyRateCents: 9100 });
    for (const [from, to] of [['2025-10-01', '2026-02-28'], ['2026-03-01', '2026-07-31'], ['2026-08-01', YESTERDAY]] as [string, string][]) {
      const k = (await kpis(`from=${from}&to=${to}`)).json();
      expect(k.cost.contractsCents, from).toBe(Math.round(await contractCents({ from, to })));
      expect(k.cost.contractsCents, from).toBeGreaterThan(0);
    }
    const roles = (await sql<{ n: number }>`select count(distinct l.technician_id)::int as n from work_order_labour l`.execute(db)).rows[0]!.n;
    expect(roles).toBe(3);
    expect(all.bySite).toHaveLength(5);
    expect(all.byCategory.length).toBeGreaterThan(1);
    // Per-site figures add up to the territory's (additive numerators and denominators).
    const sumOf = (key: string, part: 'numerator' | 'denominator') => all.bySite.reduce((s: number, x: Record<string, Ind>) => s + x[key]![part], 0);
    for (const key of ['availability', 'mttr', 'pmCompliance', 'subcontractedShare']) {
      close(sumOf(key, 'numerator'), all[key].numerator);
      close(sumOf(key, 'denominator'), all[key].denominator);
    }
  }, 300_000);

  it('gives the monthly series whose months add up to the period', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: `/api/v1/kpis/series?kpi=pmCompliance&from=${FROM}&to=${YESTERDAY}&interval=month`, headers: engineer.auth });
    expect(res.statusCode, res.body).toBe(200);
    const s = res.json();
    const all = (await kpis(`from=${FROM}&to=${YESTERDAY}`)).json();
    expect(s.points[0]).toMatchObject({ month: FROM.slice(0, 7), from: FROM });
    expect(s.points.at(-1).to).toBe(YESTERDAY);
    expect(s.points.reduce((a: number, p: Ind) => a + p.denominator, 0)).toBe(all.pmCompliance.denominator);
    expect(s.points.reduce((a: number, p: Ind) => a + p.numerator, 0)).toBe(all.pmCompliance.numerator);
    const avail = (await ctx.app.inject({ method: 'GET', url: `/api/v1/kpis/series?kpi=availability&from=${FROM}&to=${YESTERDAY}&siteId=${ids.site('CHU')}`, headers: engineer.auth })).json();
    const chu = (await kpis(`from=${FROM}&to=${YESTERDAY}&siteId=${ids.site('CHU')}`)).json();
    close(avail.points.reduce((a: number, p: Ind) => a + p.denominator, 0), chu.availability.denominator);
  });
});

describe('the rollups', () => {
  it('are the same rows when rebuilt twice', async () => {
    const before = await rollupRows();
    expect(before.length).toBeGreaterThan(100);
    await rebuildKpiRollups(db, { territoryId: ids.territoryId, from: START, to: YESTERDAY });
    expect(await rollupRows()).toEqual(before);
  }, 300_000);

  it('come back in step through the dirty ranges the triggers mark, as a full rebuild would', async () => {
    await processKpiDirty(db); // what the seeding marked
    const wo = await db.selectFrom('workOrders').select(['id', 'siteId']).where('number', 'like', 'KPI-15-%').where('state', 'in', ['closed', 'completed'])
      .orderBy('number').limit(1).executeTakeFirstOrThrow();
    const before = (await kpis(`from=${FROM}&to=${YESTERDAY}`)).json();
    await db.insertInto('workOrderLabour').values({
      workOrderId: wo.id, technicianId: ids.user('tech.chu@ght-demo.fr'), minutes: 120, recordedBy: engineer.userId, recordedAt: new Date(`${YESTERDAY}T10:00:00Z`),
    }).execute();
    expect((await sql<{ n: number }>`select count(*)::int as n from kpi_dirty where site_id = ${wo.siteId}`.execute(db)).rows[0]!.n).toBeGreaterThan(0);
    const run = await processKpiDirty(db);
    expect(run.sites).toBeGreaterThanOrEqual(1);
    expect((await sql<{ n: number }>`select count(*)::int as n from kpi_dirty`.execute(db)).rows[0]!.n).toBe(0);
    const after = (await kpis(`from=${FROM}&to=${YESTERDAY}`)).json();
    // A technician's two hours yesterday, at the technician rate of the version in force.
    expect(after.cost.labourCents - before.cost.labourCents).toBe(Math.round((120 * V3_TECH) / 60));
    const incremental = await rollupRows();
    await rebuildKpiRollups(db, { territoryId: ids.territoryId, from: START, to: YESTERDAY });
    expect(await rollupRows()).toEqual(incremental);
  }, 300_000);
});

describe('the cost convention and the contracts in the rollups', () => {
  it('reprices from a new version’s day, and counts nothing of a contract deactivated, through the dirty ranges', async () => {
    await processKpiDirty(db);
    const admin = ids.user('admin@ght-demo.fr');
    const applies = addDays(TODAY, -40);
    const before = (await kpis(`from=${applies}&to=${YESTERDAY}`)).json();
    const lastId = (await sql<{ id: string }>`select coalesce(max(id), 0)::text as id from kpi_dirty`.execute(db)).rows[0]!.id;
    const earlier = (await kpis(`from=${FROM}&to=${addDays(applies, -1)}`)).json();
    await db.insertInto('costConventionVersions').values({
      territoryId: ids.territoryId, appliesFrom: applies, technicianHourlyRateCents: 12_000, engineerHourlyRateCents: 15_000, contractSplit: 'devices', createdBy: admin,
    }).execute();
    // Every site of the territory, from the version's day.
    const marked = (await sql<{ sites: number; from: string }>`select count(distinct site_id)::int as sites, min(from_day)::text as from from kpi_dirty where id > ${lastId}::bigint`.execute(db)).rows[0]!;
    expect(marked).toEqual({ sites: 5, from: applies });
    await processKpiDirty(db);
    const after = (await kpis(`from=${applies}&to=${YESTERDAY}`)).json();
    const ref = await reference({ from: applies, to: YESTERDAY });
    expect(after.cost.labourCents).toBe(ref.cost.labourCents);
    expect(after.cost.contractsCents).toBe(ref.cost.contractsCents);
    if (before.cost.labourCents > 0) expect(after.cost.labourCents).toBeGreaterThan(before.cost.labourCents);
    // The days before it keep their prices.
    expect((await kpis(`from=${FROM}&to=${addDays(applies, -1)}`)).json().cost).toEqual(earlier.cost);

    const contract = await db.selectFrom('maintenanceContracts').select('id').where('reference', '=', 'KPI-C1').executeTakeFirstOrThrow();
    await db.updateTable('maintenanceContracts').set({ active: false }).where('id', '=', contract.id).execute();
    await processKpiDirty(db);
    const off = (await kpis(`from=${FROM}&to=${YESTERDAY}`)).json();
    expect(off.cost.contractsCents).toBe(Math.round(await contractCents({ from: FROM, to: YESTERDAY })));
    // A covered device removed from another contract: its split changes for every covered site.
    const c0 = await db.selectFrom('maintenanceContracts').select('id').where('reference', '=', 'KPI-C0').executeTakeFirstOrThrow();
    const dev = await db.selectFrom('maintenanceContractDevices').select('equipmentId').where('contractId', '=', c0.id).limit(1).executeTakeFirstOrThrow();
    await db.deleteFrom('maintenanceContractDevices').where('contractId', '=', c0.id).where('equipmentId', '=', dev.equipmentId).execute();
    await processKpiDirty(db);
    for (const scope of [{}, { siteId: ids.site('CHU') }] as Record<string, string>[]) {
      const k = (await kpis(new URLSearchParams({ from: FROM, to: YESTERDAY, ...scope }).toString())).json();
      expect(k.cost.contractsCents).toBe(Math.round(await contractCents({ from: FROM, to: YESTERDAY, ...scope })));
    }
    const incremental = await rollupRows();
    await rebuildKpiRollups(db, { territoryId: ids.territoryId, from: START, to: YESTERDAY });
    expect(await rollupRows()).toEqual(incremental);
  }, 300_000);
});

describe('rights, validation and the FTE setting', () => {
  it('lets site managers and technicians read every site’s indicators, not care staff', async () => {
    const manager = await login(ctx.app, 'responsable.ch1@ght-demo.fr');
    expect((await kpis(`from=${FROM}&to=${YESTERDAY}&siteId=${ids.site('CHU')}`, manager)).statusCode).toBe(200);
    const tech = await login(ctx.app, 'tech.chu@ght-demo.fr');
    expect((await kpis(`from=${FROM}&to=${YESTERDAY}`, tech)).statusCode).toBe(200);
    const care = await login(ctx.app, 'soignant.chu@ght-demo.fr');
    expect(problemOf(await kpis(`from=${FROM}&to=${YESTERDAY}`, care)).status).toBe(403);
    const series = await ctx.app.inject({ method: 'GET', url: `/api/v1/kpis/series?kpi=mttr&from=${FROM}&to=${YESTERDAY}`, headers: care.auth });
    expect(series.statusCode).toBe(403);
    expect((await ctx.app.inject({ method: 'GET', url: `/api/v1/kpis?from=${FROM}&to=${YESTERDAY}` })).statusCode).toBe(401);
  });

  it('refuses a period backwards or longer than five years, an unknown indicator or interval, and sites of nowhere', async () => {
    for (const q of [`from=2026-02-01&to=2026-01-01`, `from=2020-01-01&to=2026-01-01`, `from=2026-01-01`, `from=2026-01-01&to=2026-02-30`]) {
      expect(problemOf(await kpis(q)).status, q).toBe(400);
    }
    for (const q of ['kpi=speed&from=2026-01-01&to=2026-02-01', 'kpi=mttr&from=2026-01-01&to=2026-02-01&interval=week']) {
      const res = await ctx.app.inject({ method: 'GET', url: `/api/v1/kpis/series?${q}`, headers: engineer.auth });
      expect(problemOf(res).status, q).toBe(400);
    }
    expect(problemOf(await kpis(`from=${FROM}&to=${YESTERDAY}&siteId=00000000-0000-4000-8000-000000000000`)).status).toBe(404);
    expect(problemOf(await kpis(`from=${FROM}&to=${YESTERDAY}&categoryId=00000000-0000-4000-8000-000000000000`)).status).toBe(404);
  });

  it('counts a technician’s FTE set by the territory admin (PATCH /users/{id} {fte}), audited', async () => {
    const admin = await login(ctx.app, 'admin@ght-demo.fr');
    const techId = ids.user('tech.chu@ght-demo.fr');
    const before = (await kpis(`from=${FROM}&to=${YESTERDAY}&siteId=${ids.site('CHU')}`)).json();
    const user = (await ctx.app.inject({ method: 'GET', url: `/api/v1/users/${techId}`, headers: admin.auth })).json();
    expect(user.fte).toBe(1);
    const res = await ctx.app.inject({ method: 'PATCH', url: `/api/v1/users/${techId}`, headers: { ...admin.auth, 'if-match': String(user.version) }, payload: { fte: 0.5 } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().fte).toBe(0.5);
    const after = (await kpis(`from=${FROM}&to=${YESTERDAY}&siteId=${ids.site('CHU')}`)).json();
    close(before.techniciansPer1000.numerator - after.techniciansPer1000.numerator, 0.5);
    const refused = await ctx.app.inject({ method: 'PATCH', url: `/api/v1/users/${techId}`, headers: { ...admin.auth, 'if-match': String(user.version + 1) }, payload: { fte: 1.5 } });
    expect(problemOf(refused).status).toBe(400);
    const audit = await db.selectFrom('auditLog').select(['action', 'before', 'after']).where('entityId', '=', techId).orderBy('id').execute();
    expect(audit.at(-1)).toMatchObject({ action: 'user.update', before: { fte: 1 }, after: { fte: 0.5 } });
  });
});
