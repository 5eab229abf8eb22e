-- The maintenance register as article R.5212-28 of the Public Health Code reads it
-- (issue 11, docs/regulatory.md "The maintenance register (R.5212-28)").

-- Sites: the legal entity that employs the staff (FINESS juridique and name), apart from
-- the site's own FINESS (FINESS géographique, sites.finess). Unknown for existing sites
-- until an administrator fills it in.
-- FINESS numbers in the official format: the département code (two digits, 2A/2B for
-- Corsica, 9A-9F overseas) then seven digits; the key is not checked (docs/regulatory.md).
alter table sites
  add column legal_entity_finess text,
  add column legal_entity_name text,
  drop constraint sites_finess_format,
  add constraint sites_finess_format check (finess ~ '^([0-9]{2}|2[AB]|9[A-F])[0-9]{7}$'),
  add constraint sites_legal_entity_finess_format check (legal_entity_finess ~ '^([0-9]{2}|2[AB]|9[A-F])[0-9]{7}$'),
  add constraint sites_legal_entity_whole check ((legal_entity_finess is null) = (legal_entity_name is null));

-- The verdict of a completed work order ("the result regarding conformity"), its
-- description, and the engineer's override of a failed measurement.
alter table work_orders
  add column conformity text,
  add column conformity_note text,
  add column conformity_override_reason text,
  add column conformity_override_by uuid references users (id),
  -- Quality control: internal (CQI) or external, by an accredited body (CQE).
  add column quality_control_kind text,
  -- The engineer's decision to put a device back in service after a non-conforming verdict.
  add column restart_decided_by uuid references users (id),
  add column restart_decided_at timestamptz,
  add column restart_reason text,
  add constraint work_orders_conformity_check
    check (conformity in ('conforming', 'conforming_with_reservations', 'non_conforming', 'not_evaluated')),
  add constraint work_orders_quality_control_kind_check
    check (quality_control_kind in ('internal', 'external')),
  add constraint work_orders_override_by_engineer
    check ((conformity_override_reason is null) = (conformity_override_by is null)),
  add constraint work_orders_restart_decision
    check ((restart_decided_at is null) = (restart_decided_by is null) and (restart_decided_at is null) = (restart_reason is null));

-- Vendor interventions name the vendor's technician; an accredited body (external quality
-- control) its accreditation reference.
alter table work_order_external
  add column technician_name text,
  add column accreditation_reference text;

-- Existing quality controls: external when a vendor intervened, internal otherwise.
update work_orders w
set quality_control_kind = case
  when exists (select 1 from work_order_external x where x.work_order_id = w.id) then 'external' else 'internal' end
where w.type = 'quality_control';

alter table work_orders add constraint work_orders_quality_control_kind_type
  check ((type = 'quality_control') = (quality_control_kind is not null));

-- Work orders done before the verdict existed keep the conformity the register computed
-- from their checklist: a failed item → non conforming, passed items → conforming,
-- nothing judged → not evaluated. Nothing is lost: the checklist stays as it was.
update work_orders w
set conformity = case
  when exists (select 1 from work_order_checklist_items c where c.work_order_id = w.id and c.outcome = 'fail') then 'non_conforming'
  when exists (select 1 from work_order_checklist_items c where c.work_order_id = w.id and c.outcome = 'pass') then 'conforming'
  else 'not_evaluated' end
where w.state in ('completed', 'closed');
