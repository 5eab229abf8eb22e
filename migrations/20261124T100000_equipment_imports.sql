-- Inventory imports from spreadsheets: the uploaded file, its mapping, the dry-run report
-- and the outcome of the commit job; and column mappings saved per site.

create table equipment_imports (
  id uuid primary key default gen_random_uuid(),
  territory_id uuid not null references territories (id),
  site_id uuid not null references sites (id),
  created_by uuid not null references users (id),
  file_name text not null,
  file_format text not null,
  encoding text,
  separator text,
  file_bytes bytea not null,
  row_count integer not null,
  -- The file's column headers and first rows, to resume the mapping step after a reload.
  header jsonb not null default '[]',
  sample_rows jsonb not null default '[]',
  mapping jsonb,
  options jsonb,
  status text not null default 'uploaded',
  report jsonb,
  result jsonb,
  error text,
  job_id text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint equipment_imports_format_check check (file_format in ('csv', 'xlsx')),
  constraint equipment_imports_status_check check (status in ('uploaded', 'queued', 'running', 'succeeded', 'failed'))
);
create index equipment_imports_territory_idx on equipment_imports (territory_id, created_at);

create table import_mappings (
  id uuid primary key default gen_random_uuid(),
  territory_id uuid not null references territories (id),
  site_id uuid not null references sites (id),
  name text not null,
  mapping jsonb not null,
  created_by uuid not null references users (id),
  updated_at timestamptz not null default now(),
  constraint import_mappings_name_key unique (site_id, name)
);
