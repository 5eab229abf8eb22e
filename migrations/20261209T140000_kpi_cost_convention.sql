-- The cost indicator priced by the cost convention (issue 15, ADR 0022 and 0023): the rollups
-- store labour priced at the rate of the person's role in force on the labour's day, and the
-- maintenance contracts prorated by day and split over their covered devices. The
-- kpi_settings placeholder is replaced by the convention.

drop table kpi_settings;

-- Labour cents: each labour line's minutes × the rate of its person's role (engineer when they
-- hold an engineer grant on any site, else technician) of the convention version in force on
-- its day (before any version, DEFAULT_LABOUR_HOURLY_RATE_CENTS), ÷ 60, rounded to the cent per line.
-- Contract cents: each active contract's cost ÷ its days, per day, split over its covered
-- devices by the convention's split of that day (fractions of a cent: rounded when read).
alter table kpi_daily add column labour_cents bigint not null default 0, add column contract_cents double precision not null default 0;
alter table kpi_monthly add column labour_cents bigint not null default 0, add column contract_cents double precision not null default 0;

-- Every site of a territory, from a day to today.
create function kpi_mark_territory_dirty(t uuid, d0 date) returns void language sql as $$
  select kpi_mark_dirty(s.territory_id, s.id, d0, greatest(d0, kpi_day(now()))) from sites s where s.territory_id = t
$$;

-- A convention version reprices labour and resplits contracts from the day it applies (the
-- version before it applies again when one is removed).
create function kpi_convention_dirty() returns trigger language plpgsql as $$
begin
  if tg_op in ('UPDATE', 'DELETE') then perform kpi_mark_territory_dirty(old.territory_id, old.applies_from); end if;
  if tg_op in ('INSERT', 'UPDATE') then perform kpi_mark_territory_dirty(new.territory_id, new.applies_from); end if;
  return null;
end;
$$;
create trigger kpi_convention_dirty after insert or update or delete on cost_convention_versions
  for each row execute function kpi_convention_dirty();

-- A contract: the sites of its covered devices, over its days.
create function kpi_contract_sites_dirty(c uuid, d0 date, d1 date) returns void language sql as $$
  select kpi_mark_dirty(e.territory_id, e.site_id, d0, d1)
  from (select distinct e.territory_id, e.site_id from maintenance_contract_devices cd join equipment e on e.id = cd.equipment_id where cd.contract_id = c) e
$$;

create function kpi_contracts_dirty() returns trigger language plpgsql as $$
begin
  if tg_op in ('UPDATE', 'DELETE') then perform kpi_contract_sites_dirty(old.id, old.starts_on, old.ends_on); end if;
  if tg_op = 'UPDATE' and (old.starts_on, old.ends_on) is distinct from (new.starts_on, new.ends_on) then
    perform kpi_contract_sites_dirty(new.id, new.starts_on, new.ends_on);
  end if;
  return null;
end;
$$;
-- Inserted, a contract covers nothing yet: its devices' rows mark it.
create trigger kpi_contracts_updated after update on maintenance_contracts for each row
  when ((old.active, old.starts_on, old.ends_on, old.total_cost_cents) is distinct from (new.active, new.starts_on, new.ends_on, new.total_cost_cents))
  execute function kpi_contracts_dirty();
create trigger kpi_contracts_deleted after delete on maintenance_contracts for each row execute function kpi_contracts_dirty();

-- Covered devices added or removed: the split of every covered site changes (and the site of
-- a removed device loses its share). One mark per (contract, site) of the statement.
create function kpi_contract_devices_dirty() returns trigger language plpgsql as $$
begin
  perform kpi_mark_dirty(x.territory_id, x.site_id, x.starts_on, x.ends_on) from (
    select distinct e.territory_id, e.site_id, c.starts_on, c.ends_on
    from (select contract_id, equipment_id from changed) d
    join maintenance_contracts c on c.id = d.contract_id
    join lateral (select d.equipment_id as id union select cd.equipment_id from maintenance_contract_devices cd where cd.contract_id = d.contract_id) dev on true
    join equipment e on e.id = dev.id) x;
  return null;
end;
$$;
create trigger kpi_contract_devices_inserted after insert on maintenance_contract_devices
  referencing new table as changed for each statement execute function kpi_contract_devices_dirty();
create trigger kpi_contract_devices_deleted after delete on maintenance_contract_devices
  referencing old table as changed for each statement execute function kpi_contract_devices_dirty();

-- An engineer grant given or taken reprices the person's labour (the role is read today).
create function kpi_role_grants_dirty() returns trigger language plpgsql as $$
declare g role_grants;
begin
  g := case when tg_op = 'DELETE' then old else new end;
  perform kpi_mark_dirty(w.territory_id, w.site_id, min(kpi_day(coalesce(l.started_at, l.recorded_at))), max(kpi_day(coalesce(l.started_at, l.recorded_at))))
  from work_order_labour l join work_orders w on w.id = l.work_order_id
  where l.technician_id = g.user_id
  group by w.territory_id, w.site_id;
  return null;
end;
$$;
create trigger kpi_role_grants_inserted after insert on role_grants for each row
  when (new.role = 'engineer') execute function kpi_role_grants_dirty();
create trigger kpi_role_grants_deleted after delete on role_grants for each row
  when (old.role = 'engineer') execute function kpi_role_grants_dirty();

-- A device's site or acquisition value also changes the split of the contracts covering it:
-- their other covered sites too, over the contracts' days.
create or replace function kpi_equipment_dirty() returns trigger language plpgsql as $$
begin
  perform kpi_mark_dirty(old.territory_id, old.site_id, kpi_day(old.created_at), kpi_day(now()));
  if new.site_id is distinct from old.site_id then
    perform kpi_mark_dirty(new.territory_id, new.site_id, kpi_day(new.created_at), kpi_day(now()));
  end if;
  if (new.site_id, new.acquisition_cost_cents) is distinct from (old.site_id, old.acquisition_cost_cents) then
    perform kpi_contract_sites_dirty(c.id, c.starts_on, c.ends_on)
    from maintenance_contract_devices cd join maintenance_contracts c on c.id = cd.contract_id where cd.equipment_id = new.id;
  end if;
  return null;
end;
$$;
