-- Maintenance plans' required skill becomes a reference to the competency map's catalogue
-- (issue 14, ADR 0020): `required_skill_id` (a skill of the plan's territory) and
-- `required_level` as a level code (beginner, confirmed, expert), the minimum level.
--
-- Existing plans: the free label is matched, case-insensitively and trimmed, to a skill of the
-- plan's territory by its code first, else by its name (an active skill before a retired one,
-- then the oldest); a label that matches nothing is dropped (the plan keeps no skill).
-- The old levels 1..5 become: 1-2 beginner, 3-4 confirmed, 5 expert; a level without a
-- matched skill is dropped, a matched skill without a level asks for confirmed.

alter table maintenance_plans add column required_skill_id uuid references skills (id);
alter table maintenance_plans rename column required_level to required_level_old;
alter table maintenance_plans drop constraint maintenance_plans_required_level_range;
alter table maintenance_plans add column required_level text;

update maintenance_plans p
   set required_skill_id = (
         select s.id from skills s
          where s.territory_id = p.territory_id
            and (lower(s.code) = lower(btrim(p.required_skill)) or lower(s.name) = lower(btrim(p.required_skill)))
          order by (lower(s.code) = lower(btrim(p.required_skill))) desc, s.active desc, s.created_at, s.id
          limit 1)
 where p.required_skill is not null;

update maintenance_plans
   set required_level = case
         when required_level_old is null then 'confirmed'
         when required_level_old <= 2 then 'beginner'
         when required_level_old <= 4 then 'confirmed'
         else 'expert'
       end
 where required_skill_id is not null;

alter table maintenance_plans drop column required_skill;
alter table maintenance_plans drop column required_level_old;
alter table maintenance_plans add constraint maintenance_plans_required_level_check
  check (required_level in ('beginner', 'confirmed', 'expert'));
-- A level only with a skill (a skill without a level is completed by the API with confirmed).
alter table maintenance_plans add constraint maintenance_plans_required_level_needs_skill
  check (required_level is null or required_skill_id is not null);
create index maintenance_plans_required_skill_idx on maintenance_plans (required_skill_id) where required_skill_id is not null;
