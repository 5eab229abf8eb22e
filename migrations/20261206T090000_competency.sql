-- Competency map (issue 14, ADR 0019): the territory's skill catalogue, each person's skills
-- at one of three levels with the evidence and who validated them, and the history of every
-- change. Levels are stored as codes (beginner, confirmed, expert); labels live in
-- packages/domain/src/labels.ts.

create table skills (
  id uuid primary key default gen_random_uuid(),
  territory_id uuid not null references territories (id),
  code text not null,
  name text not null,
  skill_category text not null,
  -- Maintenance skills: the equipment category they cover, and the model when the skill is
  -- specific to one (then the category is the model's).
  equipment_category_id uuid references equipment_categories (id),
  model_id uuid references equipment_models (id),
  active boolean not null default true,
  retired_at timestamptz,
  retired_by uuid references users (id),
  version integer not null default 1,
  -- null: created by the seed (demo, bootstrap).
  created_by uuid references users (id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint skills_code_key unique (territory_id, code),
  constraint skills_code_format check (code ~ '^[A-Z0-9][A-Z0-9._/-]{1,59}$'),
  constraint skills_name_length check (length(name) between 2 and 200),
  constraint skills_category_check check (
    skill_category in ('equipment_maintenance', 'project_management', 'quality_regulatory', 'electrical_safety', 'custom')
  ),
  constraint skills_equipment_scope check (
    (skill_category = 'equipment_maintenance' and equipment_category_id is not null)
    or (skill_category <> 'equipment_maintenance' and equipment_category_id is null and model_id is null)
  ),
  constraint skills_retired check ((active and retired_at is null and retired_by is null) or (not active and retired_at is not null))
);
-- One maintenance skill per category (and one per model): a retired one still holds its place,
-- so that seeding again does not bring back what an engineer retired.
create unique index skills_category_key on skills (territory_id, equipment_category_id)
  where skill_category = 'equipment_maintenance' and model_id is null;
create unique index skills_model_key on skills (territory_id, model_id) where model_id is not null;
create index skills_territory_idx on skills (territory_id, skill_category, name);

create table user_skills (
  id uuid primary key default gen_random_uuid(),
  territory_id uuid not null references territories (id),
  user_id uuid not null references users (id),
  skill_id uuid not null references skills (id),
  level text not null,
  evidence text,
  evidence_date date,
  certificate_expires_at date,
  validated boolean not null default false,
  validated_by uuid references users (id),
  validated_at timestamptz,
  proposed_by uuid not null references users (id),
  created_at timestamptz not null default now(),
  updated_by uuid references users (id),
  updated_at timestamptz not null default now(),
  version integer not null default 1,
  constraint user_skills_user_skill_key unique (user_id, skill_id),
  constraint user_skills_level_check check (level in ('beginner', 'confirmed', 'expert')),
  constraint user_skills_evidence_length check (length(evidence) <= 2000),
  constraint user_skills_validation check (
    (validated and validated_by is not null and validated_at is not null) or (not validated and validated_by is null and validated_at is null)
  )
);
create index user_skills_skill_idx on user_skills (skill_id);
create index user_skills_territory_idx on user_skills (territory_id, user_id);
create index user_skills_certificate_idx on user_skills (territory_id, certificate_expires_at) where certificate_expires_at is not null;

-- Append-only: every change of a person's skill (level, validation, evidence), with who and when.
create table user_skill_history (
  id bigint generated always as identity primary key,
  territory_id uuid not null references territories (id),
  user_id uuid not null references users (id),
  skill_id uuid not null references skills (id),
  change text not null,
  level text,
  previous_level text,
  validated boolean not null,
  evidence text,
  evidence_date date,
  certificate_expires_at date,
  actor_id uuid references users (id),
  at timestamptz not null default now(),
  constraint user_skill_history_change_check check (change in ('proposed', 'changed', 'validated', 'unvalidated', 'removed')),
  constraint user_skill_history_level_check check (level in ('beginner', 'confirmed', 'expert')),
  constraint user_skill_history_previous_level_check check (previous_level in ('beginner', 'confirmed', 'expert'))
);
create index user_skill_history_user_idx on user_skill_history (user_id, at desc, id desc);

create function user_skill_history_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'user_skill_history is append-only: % refused', tg_op using errcode = 'insufficient_privilege';
end;
$$;
create trigger user_skill_history_no_update before update or delete on user_skill_history
  for each row execute function user_skill_history_append_only();
create trigger user_skill_history_no_truncate before truncate on user_skill_history
  for each statement execute function user_skill_history_append_only();
