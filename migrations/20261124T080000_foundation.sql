-- Foundation: territories, sites, locations, users, role grants, refresh tokens, audit log.
-- Forward-only; never edit once landed.

create table territories (
  id uuid primary key default gen_random_uuid(),
  name text not null unique,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table sites (
  id uuid primary key default gen_random_uuid(),
  territory_id uuid not null references territories (id),
  name text not null,
  short_code text not null,
  finess text not null,
  kind text not null,
  address text not null default '',
  postal_code text not null default '',
  city text not null default '',
  latitude double precision,
  longitude double precision,
  is_support_site boolean not null default false,
  version integer not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint sites_finess_format check (finess ~ '^([0-9]{2}|2A|2B)[0-9]{7}$'),
  constraint sites_kind_check check (kind in ('CHU', 'CH', 'EHPAD', 'clinic', 'other')),
  constraint sites_latitude_range check (latitude between -90 and 90),
  constraint sites_longitude_range check (longitude between -180 and 180),
  constraint sites_finess_key unique (finess),
  constraint sites_short_code_key unique (territory_id, short_code),
  constraint sites_name_key unique (territory_id, name)
);
create index sites_territory_name_idx on sites (territory_id, name, id);
-- A territory has at most one support establishment.
create unique index sites_one_support_site_idx on sites (territory_id) where is_support_site;

create table locations (
  id uuid primary key default gen_random_uuid(),
  territory_id uuid not null references territories (id),
  site_id uuid not null references sites (id),
  parent_id uuid references locations (id),
  kind text not null,
  code text not null,
  label text not null,
  version integer not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint locations_kind_check check (kind in ('building', 'floor', 'care_unit', 'room')),
  constraint locations_building_is_root check ((kind = 'building') = (parent_id is null)),
  constraint locations_code_key unique nulls not distinct (site_id, parent_id, code)
);
create index locations_site_parent_idx on locations (site_id, parent_id);
create index locations_parent_idx on locations (parent_id);

create table users (
  id uuid primary key default gen_random_uuid(),
  territory_id uuid not null references territories (id),
  email text not null,
  full_name text not null,
  home_site_id uuid references sites (id),
  password_hash text not null,
  active boolean not null default true,
  deactivated_at timestamptz,
  version integer not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint users_email_lowercase check (email = lower(email))
);
create unique index users_email_key on users (email);
create index users_territory_name_idx on users (territory_id, full_name, id);

create table role_grants (
  id uuid primary key default gen_random_uuid(),
  territory_id uuid not null references territories (id),
  user_id uuid not null references users (id),
  site_id uuid references sites (id),
  role text not null,
  granted_by uuid references users (id),
  created_at timestamptz not null default now(),
  constraint role_grants_role_check
    check (role in ('territory_admin', 'site_manager', 'engineer', 'technician', 'care_staff')),
  constraint role_grants_scope_check check ((role = 'territory_admin') = (site_id is null)),
  constraint role_grants_unique unique nulls not distinct (user_id, site_id, role)
);
create index role_grants_site_idx on role_grants (site_id, role);

create table refresh_tokens (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references users (id),
  family_id uuid not null,
  token_hash text not null,
  expires_at timestamptz not null,
  created_at timestamptz not null default now(),
  used_at timestamptz,
  revoked_at timestamptz,
  replaced_by uuid references refresh_tokens (id) on delete set null,
  user_agent text,
  ip text,
  constraint refresh_tokens_hash_key unique (token_hash)
);
create index refresh_tokens_family_idx on refresh_tokens (family_id);
create index refresh_tokens_user_idx on refresh_tokens (user_id);
create index refresh_tokens_expires_idx on refresh_tokens (expires_at);

-- The audit trail is a legal duty: rows are only ever added. The database itself
-- refuses UPDATE, DELETE and TRUNCATE, whoever asks.
create table audit_log (
  id bigint generated always as identity primary key,
  territory_id uuid references territories (id),
  actor_id uuid references users (id),
  action text not null,
  entity_type text not null,
  entity_id text,
  before jsonb,
  after jsonb,
  request_id text,
  ip text,
  created_at timestamptz not null default now()
);
create index audit_log_entity_idx on audit_log (entity_type, entity_id, created_at);
create index audit_log_territory_time_idx on audit_log (territory_id, created_at);

create function audit_log_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'audit_log is append-only: % refused', tg_op using errcode = 'insufficient_privilege';
end;
$$;

create trigger audit_log_no_update_delete
  before update or delete on audit_log
  for each row execute function audit_log_append_only();

create trigger audit_log_no_truncate
  before truncate on audit_log
  for each statement execute function audit_log_append_only();
