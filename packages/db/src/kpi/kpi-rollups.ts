import { DEFAULT_LABOUR_HOURLY_RATE_CENTS } from '@gmao/domain';
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { DB } from '../generated/db.js';
import { regulatoryWorkSql } from '../work-orders/regulatory-work.js';

/**
 * The daily rollups of the indicators (issue 15, ADR 0022): one row per (site, category,
 * Europe/Paris day) in kpi_daily, and the histogram of times to restore in
 * kpi_daily_repairs. Always recomputed from the raw tables for a (sites, days) range —
 * delete then one INSERT … SELECT per table, in one transaction — never patched with
 * deltas: running it twice gives the same rows. The rules per record are those of
 * packages/domain/src/kpi/rollup-rules.ts.
 */

/** Devices without a model (hence without category) are rolled up under the nil uuid. */
export const NO_CATEGORY_KEY = '00000000-0000-0000-0000-000000000000';

export interface KpiRebuildScope {
  /** Every territory when absent. */
  territoryId?: string;
  /** Every site of the scope when absent. */
  siteId?: string;
  /** Europe/Paris days, both included; days after today are not rolled up (their rows are removed). */
  from: string;
  to: string;
}

export interface KpiRebuildResult {
  sites: number;
  rows: number;
  repairRows: number;
}

/** The metric columns of kpi_daily, in order. */
const METRICS = [
  'device_days', 'device_day_pairs', 'acquisition_cents_days', 'active_minutes', 'down_minutes', 'active_minutes_critical', 'down_minutes_critical',
  'pairs_critical', 'active_minutes_high', 'down_minutes_high', 'pairs_high', 'failures', 'repairs', 'repair_minutes', 'repair_labour_minutes',
  'pm_due', 'pm_done', 'pm_regulatory_due', 'pm_regulatory_done', 'labour_minutes', 'labour_records', 'parts_cents', 'parts_records',
  'vendor_cents', 'vendor_records', 'closed', 'closed_vendor_only', 'labour_cents', 'contract_cents',
] as const;
type Metric = (typeof METRICS)[number];

/** One part of the union: its keys' expressions, the metrics it gives (others are 0), its FROM and WHERE. */
function part(keys: string, metrics: Partial<Record<Metric, string>>, rest: string): string {
  return `select ${keys}, ${METRICS.map((m) => `(${metrics[m] ?? '0'})::float8 as ${m}`).join(', ')} ${rest}`;
}

const REGULATORY = regulatoryWorkSql({ type: sql`wo.type`, maintenanceObligation: sql`wo.maintenance_obligation`, planRegulatory: sql`p.regulatory` });

/** The common CTEs: the days (today's ends now), the sites, the work orders of those sites with their device's category. */
function common(o: KpiRebuildScope): RawBuilder<unknown> {
  const territory = o.territoryId ? sql`and s.territory_id = ${o.territoryId}::uuid` : sql``;
  const site = o.siteId ? sql`and s.id = ${o.siteId}::uuid` : sql``;
  return sql`
    bounds as (select ${o.from}::date as d0, least(${o.to}::date, kpi_day(now())) as d1),
    scope as (select s.id, s.territory_id from sites s where true ${territory} ${site}),
    days as (
      select d::date as day, ds, de,
             tstzrange(ds, least(de, greatest(ds, now()))) as r,
             extract(epoch from de - ds)::float8 / 60 as day_minutes
      from bounds, generate_series(bounds.d0, bounds.d1, interval '1 day') d,
           lateral (select (d::date)::timestamp at time zone 'Europe/Paris' as ds, (d::date + 1)::timestamp at time zone 'Europe/Paris' as de) b),
    span_ts as (select (d0::timestamp at time zone 'Europe/Paris') as t0, ((d1 + 1)::timestamp at time zone 'Europe/Paris') as t1 from bounds),
    -- Not materialised: each part's filters reach work_orders and its indexes by day.
    wo as not materialized (
      select w.id, w.territory_id, w.site_id, w.type, w.state, w.device_out_of_service, w.requested_at, w.downtime_ended_at, w.completed_at,
             w.plan_id, w.due_date, w.window_start, w.window_end, w.performed_by, e.maintenance_obligation,
             coalesce(m.category_id, ${NO_CATEGORY_KEY}::uuid) as category_key
      from work_orders w join scope on scope.id = w.site_id join equipment e on e.id = w.equipment_id
      left join equipment_models m on m.id = e.model_id),
    -- The cost convention's versions of the scope's territories, each over its days (ADR 0023).
    cv as (
      select v.id, v.territory_id, v.technician_hourly_rate_cents as tech, v.engineer_hourly_rate_cents as eng, v.contract_split, v.fixed_shares,
             daterange(v.applies_from, lead(v.applies_from) over (partition by v.territory_id order by v.applies_from)) as dr
      from cost_convention_versions v where v.territory_id in (select territory_id from scope)),
    -- People priced at the engineer's rate: an engineer grant on any site.
    engineers as (select distinct g.user_id from role_grants g where g.role = 'engineer' and g.territory_id in (select territory_id from scope))`;
}

/**
 * Maintenance contracts (ADR 0023), per (site, category, day) of the scope: each active
 * contract's cost spread evenly over its days (both included), each day's part split over its
 * covered devices (read today, every status) by the split of the convention version in force
 * that day — devices: evenly; acquisition_value: by value (all 0: evenly); fixed_shares: by
 * the site's share renormalised over the covered sites (a covered site without a share weighs
 * 0; all 0: evenly), evenly among that site's covered devices; before any version: evenly.
 * The weights are computed over every covered device, whatever the scope.
 */
const CONTRACTS = `
    ctr as (
      select c.id, c.territory_id, c.starts_on, c.ends_on, c.total_cost_cents::float8 / (c.ends_on - c.starts_on + 1) as per_day
      from maintenance_contracts c
      where c.active and c.territory_id in (select territory_id from scope)
        and c.starts_on <= (select d1 from bounds) and c.ends_on >= (select d0 from bounds)
        and exists (select 1 from maintenance_contract_devices cd join equipment e on e.id = cd.equipment_id join scope on scope.id = e.site_id
                    where cd.contract_id = c.id)),
    -- The covered devices, once, summed per (contract, site, category): the weights need only these sums, and the
    -- contract's and each site's totals are sums of them (no per-device window over every covered device).
    cdev as materialized (
      select cd.contract_id, e.territory_id, e.site_id, coalesce(m.category_id, '${NO_CATEGORY_KEY}'::uuid) as category_key,
             count(*)::float8 as n_grp, sum(coalesce(e.acquisition_cost_cents, 0))::float8 as acq_grp
      from maintenance_contract_devices cd join ctr on ctr.id = cd.contract_id join equipment e on e.id = cd.equipment_id
      left join equipment_models m on m.id = e.model_id
      group by 1, 2, 3, 4),
    ctot as (select contract_id, sum(n_grp) as n, sum(acq_grp) as acq_total from cdev group by 1),
    cday as (
      select ctr.id as contract_id, days.day, ctr.per_day, coalesce(cv.id, '${NO_CATEGORY_KEY}'::uuid) as vkey, coalesce(cv.contract_split, 'devices') as split,
             cv.fixed_shares
      from ctr join days on days.day between ctr.starts_on and ctr.ends_on
      left join cv on cv.territory_id = ctr.territory_id and cv.dr @> days.day),
    cver as (select distinct contract_id, vkey, split, fixed_shares from cday),
    csite as (select contract_id, site_id, sum(n_grp) as n_site from cdev group by 1, 2),
    fs as (
      select x.*, sum(x.pct) over (partition by x.contract_id, x.vkey) as total from (
        select cver.contract_id, cver.vkey, cs.site_id,
               coalesce((select sum((f->>'percent')::float8) from jsonb_array_elements(cver.fixed_shares) f where (f->>'siteId')::uuid = cs.site_id), 0) as pct
        from cver join csite cs on cs.contract_id = cver.contract_id where cver.split = 'fixed_shares') x),
    cgrp as (
      select cver.contract_id, cver.vkey, cdev.territory_id, cdev.site_id, cdev.category_key,
             sum(case
                   when cver.split = 'acquisition_value' and ctot.acq_total > 0 then cdev.acq_grp / ctot.acq_total
                   when cver.split = 'fixed_shares' and fs.total > 0 then fs.pct / fs.total / cs.n_site * cdev.n_grp
                   else cdev.n_grp / ctot.n end) as w
      from cver join cdev on cdev.contract_id = cver.contract_id
      join ctot on ctot.contract_id = cver.contract_id
      join csite cs on cs.contract_id = cdev.contract_id and cs.site_id = cdev.site_id
      left join fs on fs.contract_id = cver.contract_id and fs.vkey = cver.vkey and fs.site_id = cdev.site_id
      where cdev.site_id in (select id from scope)
      group by 1, 2, 3, 4, 5)`;

const IN_PERIOD = (day: string) => `${day} between (select d0 from bounds) and (select d1 from bounds)`;
/** The same period on an instant, in a form its index can use. */
const IN_SPAN = (at: string) => `${at} >= (select t0 from span_ts) and ${at} < (select t1 from span_ts)`;
const KEYS = 'wo.territory_id, wo.site_id, wo.category_key';
const REPAIR = `wo.type = 'corrective' and wo.device_out_of_service and wo.state <> 'cancelled'`;

/**
 * Recomputes the rollups of the scope's sites over [from, to] (clipped to today): deletes
 * their rows and inserts them again from the raw tables, in one transaction (the caller's,
 * or its own), holding a per-site advisory lock so that two rebuilds of a site never interleave.
 */
export async function rebuildKpiRollups(db: Kysely<DB>, o: KpiRebuildScope): Promise<KpiRebuildResult> {
  const run = async (trx: Kysely<DB>): Promise<KpiRebuildResult> => {
    const territory = o.territoryId ? sql`and territory_id = ${o.territoryId}::uuid` : sql``;
    const site = o.siteId ? sql`and id = ${o.siteId}::uuid` : sql``;
    const sites = (await sql<{ id: string }>`
      select id, pg_advisory_xact_lock(hashtextextended('kpi-rollup:' || id::text, 0)) from sites where true ${territory} ${site} order by id`.execute(trx)).rows;
    if (sites.length === 0) return { sites: 0, rows: 0, repairRows: 0 };
    // The planner's estimates of the range CTEs are far too high: JIT compiling would cost seconds, for nothing.
    await sql`set local jit = off`.execute(trx);
    const ids = sql.join(sites.map((s) => sql`${s.id}::uuid`));
    await sql`delete from kpi_daily where site_id in (${ids}) and day between ${o.from}::date and ${o.to}::date`.execute(trx);
    await sql`delete from kpi_daily_repairs where site_id in (${ids}) and day between ${o.from}::date and ${o.to}::date`.execute(trx);

    const activeStatuses = `('in_service', 'out_of_service', 'under_maintenance', 'on_loan')`;
    const parts = [
      // Inventory and availability: active ranges (kind a) and down ranges while active (kind d), cut into days.
      part('territory_id, site_id, category_key, day', {
        device_days: `coalesce(sum(dd) filter (where kind = 'a'), 0)`,
        device_day_pairs: `coalesce(sum(pairs) filter (where kind = 'a'), 0)`,
        acquisition_cents_days: `coalesce(sum(acqd) filter (where kind = 'a'), 0)`,
        active_minutes: `coalesce(sum(minutes) filter (where kind = 'a'), 0)`,
        down_minutes: `coalesce(sum(minutes) filter (where kind = 'd'), 0)`,
        active_minutes_critical: `coalesce(sum(minutes) filter (where kind = 'a' and criticality = 'critical'), 0)`,
        down_minutes_critical: `coalesce(sum(minutes) filter (where kind = 'd' and criticality = 'critical'), 0)`,
        pairs_critical: `coalesce(sum(pairs) filter (where kind = 'a' and criticality = 'critical'), 0)`,
        active_minutes_high: `coalesce(sum(minutes) filter (where kind = 'a' and criticality = 'high'), 0)`,
        down_minutes_high: `coalesce(sum(minutes) filter (where kind = 'd' and criticality = 'high'), 0)`,
        pairs_high: `coalesce(sum(pairs) filter (where kind = 'a' and criticality = 'high'), 0)`,
      }, 'from inv group by territory_id, site_id, category_key, day'),
      part(`${KEYS}, kpi_day(wo.requested_at)`, { failures: 'count(*)' },
        `from wo where ${REPAIR} and ${IN_SPAN('wo.requested_at')} and ${IN_PERIOD('kpi_day(wo.requested_at)')} group by 1, 2, 3, 4`),
      part(`${KEYS}, kpi_day(wo.downtime_ended_at)`, {
        repairs: 'count(*)',
        repair_minutes: 'sum(greatest(0, extract(epoch from wo.downtime_ended_at - wo.requested_at)::float8 / 60))',
        repair_labour_minutes: 'coalesce(sum((select sum(l.minutes) from work_order_labour l where l.work_order_id = wo.id)), 0)',
      }, `from wo where ${REPAIR} and ${IN_SPAN('wo.downtime_ended_at')} and ${IN_PERIOD('kpi_day(wo.downtime_ended_at)')} group by 1, 2, 3, 4`),
      part(`${KEYS}, wo.due_date`, {
        pm_due: 'count(*) filter (where not regulatory)',
        pm_done: 'count(*) filter (where not regulatory and within)',
        pm_regulatory_due: 'count(*) filter (where regulatory)',
        pm_regulatory_done: 'count(*) filter (where regulatory and within)',
      }, `from pm wo group by 1, 2, 3, 4`),
      // Labour priced per line: the rate of the person's role in force on the labour's day.
      part(`${KEYS}, ld.day`, {
        labour_minutes: 'sum(l.minutes)', labour_records: 'count(*)',
        labour_cents: `sum(round(l.minutes * (case when eng.user_id is not null then coalesce(cv.eng, ${DEFAULT_LABOUR_HOURLY_RATE_CENTS})
                                                    else coalesce(cv.tech, ${DEFAULT_LABOUR_HOURLY_RATE_CENTS}) end)::numeric / 60))`,
      }, `from work_order_labour l join wo on wo.id = l.work_order_id
         cross join lateral (select kpi_day(coalesce(l.started_at, l.recorded_at)) as day) ld
         left join cv on cv.territory_id = wo.territory_id and cv.dr @> ld.day
         left join engineers eng on eng.user_id = l.technician_id
         where ${IN_SPAN('coalesce(l.started_at, l.recorded_at)')} and ${IN_PERIOD('kpi_day(coalesce(l.started_at, l.recorded_at))')} group by 1, 2, 3, 4`),
      part('cg.territory_id, cg.site_id, cg.category_key, cday.day', { contract_cents: 'sum(cday.per_day * cg.w)' },
        'from cday join cgrp cg on cg.contract_id = cday.contract_id and cg.vkey = cday.vkey group by 1, 2, 3, 4'),
      part(`${KEYS}, kpi_day(sm.created_at)`, { parts_cents: 'sum(-sm.delta * coalesce(sm.unit_cost_cents, 0))', parts_records: 'count(*)' },
        `from stock_movements sm join wo on wo.id = sm.work_order_id
         where sm.work_order_id is not null and sm.type in ('issue', 'return') and ${IN_SPAN('sm.created_at')} and ${IN_PERIOD('kpi_day(sm.created_at)')} group by 1, 2, 3, 4`),
      part(`${KEYS}, coalesce(x.performed_on, kpi_day(x.recorded_at))`, { vendor_cents: 'sum(x.cost_cents)', vendor_records: 'count(*)' },
        `from work_order_external x join wo on wo.id = x.work_order_id
         where (${IN_PERIOD('x.performed_on')} or (x.performed_on is null and ${IN_SPAN('x.recorded_at')}))
           and ${IN_PERIOD('coalesce(x.performed_on, kpi_day(x.recorded_at))')} group by 1, 2, 3, 4`),
      part(`${KEYS}, kpi_day(wo.completed_at)`, {
        closed: 'count(*)',
        closed_vendor_only: `count(*) filter (where not exists (select 1 from work_order_labour l where l.work_order_id = wo.id)
          and (wo.performed_by = 'vendor' or exists (select 1 from work_order_external x where x.work_order_id = wo.id)))`,
      }, `from wo where wo.state in ('completed', 'closed') and ${IN_SPAN('wo.completed_at')} and ${IN_PERIOD('kpi_day(wo.completed_at)')} group by 1, 2, 3, 4`),
    ];
    const insertQuery = sql<{ n: number }>`
      with ${common(o)},
      dev as (
        select e.id, e.territory_id, e.site_id, coalesce(m.category_id, ${NO_CATEGORY_KEY}::uuid) as category_key, e.criticality,
               coalesce(e.acquisition_cost_cents, 0)::float8 as acq, e.created_at, e.status
        from equipment e join scope on scope.id = e.site_id left join equipment_models m on m.id = e.model_id),
      span as (select tstzmultirange(tstzrange(min(lower(r)), max(upper(r)))) as m from days),
      ev as (
        select ev.equipment_id, ev.at, ev.from_status, ev.to_status,
               lead(ev.at) over (partition by ev.equipment_id order by ev.at, ev.id) as next_at,
               row_number() over (partition by ev.equipment_id order by ev.at, ev.id) as n
        from equipment_events ev join dev on dev.id = ev.equipment_id where ev.to_status is not null),
      seg as (
        select equipment_id as id, at as s, next_at as e, to_status as status from ev
        union all
        select dev.id, dev.created_at, ev.at, ev.from_status from dev join ev on ev.equipment_id = dev.id and ev.n = 1
          where ev.from_status is not null and ev.at > dev.created_at
        union all
        -- Devices without any status event (ev holds every one of the scope's: one hash, no probe per device).
        select dev.id, dev.created_at, null, dev.status from dev where not exists (select 1 from ev x where x.equipment_id = dev.id)),
      act as (
        select seg.id, range_agg(tstzrange(seg.s, seg.e)) * (select m from span) as m
        from seg where seg.status in ${sql.raw(activeStatuses)} and (seg.e is null or seg.e > seg.s) group by seg.id),
      -- The downtimes overlapping the days, found through their range's index (work_orders_downtime_range_idx),
      -- then kept for the scope's active devices: never each device's work orders in turn.
      dt as materialized (
        select w.equipment_id, w.downtime_started_at, w.downtime_ended_at from work_orders w
        where w.downtime_started_at is not null and w.territory_id in (select territory_id from scope)
          and tstzrange(w.downtime_started_at, w.downtime_ended_at) && (select tstzrange(t0, t1) from span_ts)),
      down as (
        select dt.equipment_id as id, range_agg(tstzrange(dt.downtime_started_at, greatest(dt.downtime_started_at, coalesce(dt.downtime_ended_at, now())))) as m
        from dt where dt.equipment_id in (select id from act)
        group by dt.equipment_id),
      -- Each range's first and last day, exactly; the days in between are whole days, counted by
      -- a running sum of +1 / -1 per (site, category, criticality, kind): rows grow with the
      -- groups and the days, not with the devices.
      rng as (
        select dev.territory_id, dev.site_id, dev.category_key, dev.criticality, dev.acq, x.kind, lower(x.r) as s, upper(x.r) as e,
               kpi_day(lower(x.r)) as d0, kpi_day(upper(x.r) - interval '1 microsecond') as d1
        from (select id, 'a' as kind, unnest(m) as r from act
              union all select act.id, 'd', unnest(act.m * down.m) from act join down on down.id = act.id) x
        join dev on dev.id = x.id where not isempty(x.r)),
      edge as (
        select rng.territory_id, rng.site_id, rng.category_key, rng.criticality, rng.kind, days.day, days.day_minutes, rng.acq,
               extract(epoch from least(rng.e, days.de) - greatest(rng.s, days.ds))::float8 / 60 as minutes
        from rng join lateral (select rng.d0 as day union all select rng.d1 where rng.d1 <> rng.d0) ed on true join days on days.day = ed.day),
      steps as (
        select territory_id, site_id, category_key, criticality, kind, day, sum(n)::float8 as n, sum(acq)::float8 as acq from (
          select territory_id, site_id, category_key, criticality, kind, d0 + 1 as day, 1 as n, acq from rng where d1 > d0 + 1
          union all
          select territory_id, site_id, category_key, criticality, kind, d1, -1, -acq from rng where d1 > d0 + 1) x
        group by 1, 2, 3, 4, 5, 6),
      grp as (select distinct territory_id, site_id, category_key, criticality, kind from steps),
      whole as (
        select g.territory_id, g.site_id, g.category_key, g.criticality, g.kind, days.day, days.day_minutes,
               sum(coalesce(st.n, 0)) over w as n, sum(coalesce(st.acq, 0)) over w as acq
        from grp g cross join days
        left join steps st on st.territory_id = g.territory_id and st.site_id = g.site_id and st.category_key = g.category_key
          and st.criticality = g.criticality and st.kind = g.kind and st.day = days.day
        window w as (partition by g.territory_id, g.site_id, g.category_key, g.criticality, g.kind order by days.day)),
      inv as (
        select territory_id, site_id, category_key, criticality, kind, day, n * day_minutes as minutes, n as dd, acq as acqd, n as pairs
        from whole where n <> 0
        union all
        select territory_id, site_id, category_key, criticality, kind, day, minutes, minutes / day_minutes, acq * minutes / day_minutes, 1
        from edge),
      pm as (
        select wo.*, ${REGULATORY} as regulatory,
               (wo.state in ('completed', 'closed') and kpi_day(wo.completed_at) between coalesce(wo.window_start, wo.due_date) and coalesce(wo.window_end, wo.due_date)) is true as within
        from wo join maintenance_plans p on p.id = wo.plan_id
        where wo.plan_id is not null and ${sql.raw(IN_PERIOD('wo.due_date'))}),
      ${sql.raw(CONTRACTS)},
      u as (${sql.raw(parts.join('\nunion all\n'))}),
      ins as (
        insert into kpi_daily (territory_id, site_id, category_key, day, ${sql.raw(METRICS.join(', '))})
        select territory_id, site_id, category_key, day, ${sql.raw(METRICS.map((m) => `sum(${m})`).join(', '))}
        from u group by territory_id, site_id, category_key, day
        returning 1)
      select count(*)::int as n from ins`;
    const inserted = await insertQuery.execute(trx);
    const repairRows = await sql<{ n: number }>`
      with ${common(o)},
      ins as (
        insert into kpi_daily_repairs (territory_id, site_id, category_key, day, bucket, repairs)
        select ${sql.raw(KEYS)}, kpi_day(wo.downtime_ended_at),
               kpi_repair_bucket(greatest(0, extract(epoch from wo.downtime_ended_at - wo.requested_at)::float8 / 60)), count(*)
        from wo where ${sql.raw(REPAIR)} and ${sql.raw(IN_SPAN('wo.downtime_ended_at'))} and ${sql.raw(IN_PERIOD('kpi_day(wo.downtime_ended_at)'))}
        group by 1, 2, 3, 4, 5
        returning 1)
      select count(*)::int as n from ins`.execute(trx);
    // The months touched, summed again from the days.
    const months = sql`between date_trunc('month', ${o.from}::date)::date and (date_trunc('month', ${o.to}::date) + interval '1 month' - interval '1 day')::date`;
    await sql`delete from kpi_monthly where site_id in (${ids}) and month ${months}`.execute(trx);
    await sql`delete from kpi_monthly_repairs where site_id in (${ids}) and month ${months}`.execute(trx);
    await sql`
      insert into kpi_monthly (territory_id, site_id, category_key, month, ${sql.raw(METRICS.join(', '))})
      select territory_id, site_id, category_key, date_trunc('month', day)::date, ${sql.raw(METRICS.map((m) => `sum(${m})`).join(', '))}
      from kpi_daily where site_id in (${ids}) and day ${months} group by 1, 2, 3, 4`.execute(trx);
    await sql`
      insert into kpi_monthly_repairs (territory_id, site_id, month, bucket, repairs)
      select territory_id, site_id, date_trunc('month', day)::date, bucket, sum(repairs)
      from kpi_daily_repairs where site_id in (${ids}) and day ${months} group by 1, 2, 3, 4`.execute(trx);
    return { sites: sites.length, rows: inserted.rows[0]!.n, repairRows: repairRows.rows[0]!.n };
  };
  return db.isTransaction ? run(db) : db.transaction().execute(run);
}

export interface KpiDirtyRunResult {
  /** (site, range) groups recomputed. */
  sites: number;
  rows: number;
}

/**
 * The incremental run (the kpi-rollup job): for each site with ranges marked dirty by the
 * triggers, in its own transaction, takes (deletes) the ranges marked up to now and
 * recomputes the union of their days (clipped to today). Killed in the middle, a site's
 * transaction rolls back with its ranges, which the next run takes again; ranges marked
 * while it runs stay for the next run.
 */
export async function processKpiDirty(db: Kysely<DB>, o: { territoryId?: string } = {}): Promise<KpiDirtyRunResult> {
  const territory = o.territoryId ? sql`where territory_id = ${o.territoryId}::uuid` : sql``;
  const pending = (await sql<{ siteId: string; territoryId: string; maxId: string }>`
    select site_id as "siteId", territory_id as "territoryId", max(id)::text as "maxId" from kpi_dirty ${territory}
    group by site_id, territory_id order by site_id`.execute(db)).rows;
  let rows = 0;
  for (const p of pending) {
    rows += await db.transaction().execute(async (trx) => {
      const taken = (await sql<{ from: string | null; to: string | null }>`
        with t as (delete from kpi_dirty where site_id = ${p.siteId}::uuid and id <= ${p.maxId}::bigint returning from_day, to_day)
        select min(from_day)::text as "from", least(max(to_day), kpi_day(now()))::text as "to" from t`.execute(trx)).rows[0];
      if (!taken?.from || !taken.to || taken.from > taken.to) return 0;
      return (await rebuildKpiRollups(trx, { territoryId: p.territoryId, siteId: p.siteId, from: taken.from, to: taken.to })).rows;
    });
  }
  return { sites: pending.length, rows };
}

/** The nightly run: recomputes yesterday and today (Europe/Paris) for every site (open downtimes grow with the clock). */
export async function rebuildRecentKpiRollups(db: Kysely<DB>): Promise<KpiRebuildResult> {
  const { today, yesterday } = (await sql<{ today: string; yesterday: string }>`
    select kpi_day(now())::text as today, (kpi_day(now()) - 1)::text as yesterday`.execute(db)).rows[0]!;
  return rebuildKpiRollups(db, { from: yesterday, to: today });
}
