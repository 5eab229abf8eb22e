-- Shared equipment inventory: category nomenclature, models, devices and their history.

create extension if not exists pg_trgm;

-- Lower case without French accents, for accent-insensitive search (no unaccent extension needed).
create function gmao_fold(t text) returns text language sql immutable parallel safe as $$
  select translate(lower(coalesce(t, '')), 'àáâãäåçèéêëìíîïñòóôõöùúûüýÿœæ', 'aaaaaaceeeeiiiinooooouuuuyyoa')
$$;

create table equipment_categories (
  id uuid primary key default gen_random_uuid(),
  territory_id uuid not null references territories (id),
  code text not null,
  label text not null,
  parent_id uuid references equipment_categories (id),
  emdn_code text,
  -- Default risk profile (Fennigkoh–Smith parts) of the devices of this category.
  default_function_score smallint not null,
  default_physical_risk smallint not null,
  default_maintenance_requirement smallint not null,
  default_criticality text not null default 'medium',
  version integer not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint equipment_categories_code_key unique (territory_id, code),
  constraint equipment_categories_function_range check (default_function_score between 2 and 10),
  constraint equipment_categories_physical_range check (default_physical_risk between 1 and 5),
  constraint equipment_categories_maintenance_range check (default_maintenance_requirement between 1 and 5),
  constraint equipment_categories_criticality_check check (default_criticality in ('low', 'medium', 'high', 'critical'))
);
create index equipment_categories_parent_idx on equipment_categories (parent_id);

create table equipment_models (
  id uuid primary key default gen_random_uuid(),
  territory_id uuid not null references territories (id),
  manufacturer text not null,
  model_name text not null,
  category_id uuid not null references equipment_categories (id),
  risk_class text,
  udi_di text,
  version integer not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint equipment_models_risk_class_check check (risk_class in ('I', 'IIa', 'IIb', 'III')),
  constraint equipment_models_udi_di_format check (udi_di ~ '^[0-9]{14}$'),
  constraint equipment_models_name_key unique (territory_id, manufacturer, model_name)
);
create index equipment_models_category_idx on equipment_models (category_id);
create index equipment_models_udi_di_idx on equipment_models (udi_di);

create table equipment (
  id uuid primary key default gen_random_uuid(),
  territory_id uuid not null references territories (id),
  site_id uuid not null references sites (id),
  location_id uuid references locations (id),
  inventory_number text not null,
  model_id uuid references equipment_models (id),
  serial_number text,
  udi_di text,
  udi_pi text,
  supplier text,
  acquisition_date date,
  acquisition_cost_cents bigint,
  commissioning_date date,
  warranty_end date,
  ownership text not null default 'owned',
  lender_site_id uuid references sites (id),
  lender_name text,
  status text not null default 'in_stock',
  maintenance_mode text not null default 'internal',
  criticality text not null default 'medium',
  maintenance_obligation boolean not null default false,
  quality_control_obligation boolean not null default false,
  -- Per-device overrides of the Fennigkoh–Smith parts (null: the category's default).
  em_function smallint,
  em_physical_risk smallint,
  em_maintenance smallint,
  em_incident_history smallint,
  notes text not null default '',
  decommissioned_at date,
  decommission_reason text,
  search_text text not null default '',
  version integer not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint equipment_inventory_number_key unique (territory_id, inventory_number),
  constraint equipment_status_check
    check (status in ('in_stock', 'in_service', 'out_of_service', 'under_maintenance', 'on_loan', 'decommissioned')),
  constraint equipment_ownership_check check (ownership in ('owned', 'leased', 'lent_by_site', 'lent_by_vendor')),
  constraint equipment_maintenance_mode_check check (maintenance_mode in ('internal', 'external_contract', 'mixed')),
  constraint equipment_criticality_check check (criticality in ('low', 'medium', 'high', 'critical')),
  constraint equipment_cost_positive check (acquisition_cost_cents >= 0),
  constraint equipment_udi_di_format check (udi_di ~ '^[0-9]{14}$'),
  constraint equipment_em_function_range check (em_function between 2 and 10),
  constraint equipment_em_physical_range check (em_physical_risk between 1 and 5),
  constraint equipment_em_maintenance_range check (em_maintenance between 1 and 5),
  constraint equipment_em_history_range check (em_incident_history between -2 and 2),
  constraint equipment_decommissioned_dated check ((status = 'decommissioned') = (decommissioned_at is not null))
);
-- Scanned or typed inventory numbers are matched without regard to case.
create index equipment_inventory_lower_idx on equipment (territory_id, lower(inventory_number));
create index equipment_site_status_idx on equipment (site_id, status, inventory_number);
create index equipment_model_idx on equipment (model_id);
create index equipment_location_idx on equipment (location_id);
create index equipment_serial_idx on equipment (serial_number);
create index equipment_udi_di_idx on equipment (udi_di);
create index equipment_warranty_idx on equipment (warranty_end);
create index equipment_search_idx on equipment using gin (search_text gin_trgm_ops);
-- A finer histogram lets the planner tell common words (walk the inventory-number index)
-- from rare ones (use the trigram index); the default target misjudges both.
alter table equipment alter column search_text set statistics 1000;

-- search_text gathers what free-text search looks at: inventory and serial numbers, UDI,
-- manufacturer, model, category, and the location with its ancestors (codes and labels).
create function equipment_search_text() returns trigger language plpgsql as $$
begin
  new.search_text := gmao_fold(concat_ws(' ',
    new.inventory_number, new.serial_number, new.udi_di,
    (select concat_ws(' ', m.manufacturer, m.model_name, c.code, c.label)
       from equipment_models m join equipment_categories c on c.id = m.category_id
      where m.id = new.model_id),
    -- Locations are at most four levels deep (building › floor › care unit › room).
    (select concat_ws(' ', l3.code, l3.label, l2.code, l2.label, l1.code, l1.label, l0.code, l0.label)
       from locations l3
       left join locations l2 on l2.id = l3.parent_id
       left join locations l1 on l1.id = l2.parent_id
       left join locations l0 on l0.id = l1.parent_id
      where l3.id = new.location_id)
  ));
  return new;
end;
$$;

create trigger equipment_search_text_trg
  before insert or update on equipment
  for each row execute function equipment_search_text();

-- One timeline per device: creation, edits, status changes, moves, decommissioning.
create table equipment_events (
  id bigint generated always as identity primary key,
  territory_id uuid not null references territories (id),
  equipment_id uuid not null references equipment (id),
  kind text not null,
  actor_id uuid references users (id),
  at timestamptz not null default now(),
  from_status text,
  to_status text,
  from_site_id uuid references sites (id),
  to_site_id uuid references sites (id),
  from_location_id uuid references locations (id),
  to_location_id uuid references locations (id),
  reason text,
  details jsonb,
  constraint equipment_events_kind_check
    check (kind in ('created', 'updated', 'status_changed', 'moved', 'decommission_requested', 'decommission_rejected', 'decommissioned', 'imported'))
);
create index equipment_events_equipment_idx on equipment_events (equipment_id, at, id);

-- Decommissioning (réforme): requested by the biomedical team, approved or rejected by the
-- site manager. Approval takes the device out of the active inventory; nothing is deleted.
create table equipment_decommissions (
  id uuid primary key default gen_random_uuid(),
  territory_id uuid not null references territories (id),
  equipment_id uuid not null references equipment (id),
  reason text not null,
  decommission_date date not null,
  comment text not null default '',
  status text not null default 'pending',
  requested_by uuid not null references users (id),
  requested_at timestamptz not null default now(),
  decided_by uuid references users (id),
  decided_at timestamptz,
  decision_comment text,
  constraint equipment_decommissions_reason_check
    check (reason in ('scrap', 'resale', 'donation', 'parts_harvesting', 'returned_to_lessor')),
  constraint equipment_decommissions_status_check check (status in ('pending', 'approved', 'rejected')),
  constraint equipment_decommissions_decided check ((status = 'pending') = (decided_at is null))
);
create unique index equipment_decommissions_one_pending_idx on equipment_decommissions (equipment_id) where status = 'pending';
create index equipment_decommissions_equipment_idx on equipment_decommissions (equipment_id, requested_at);
