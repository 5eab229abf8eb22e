-- Electrical safety by device class (IEC 62353): equipment models carry their protection
-- class against electric shock and the type of their applied parts (null: not yet known;
-- the electrical-safety checklist is then refused until they are set), and the EU
-- identifiers of the model: its Basic UDI-DI and its EMDN code (a letter and up to 12
-- digits, e.g. Z12030501).
alter table equipment_models
  add column electrical_class text,
  add column applied_part_type text,
  add column basic_udi_di text,
  add column emdn_code text,
  add constraint equipment_models_electrical_class_check check (electrical_class in ('I', 'II', 'internal')),
  add constraint equipment_models_applied_part_type_check check (applied_part_type in ('none', 'B', 'BF', 'CF')),
  add constraint equipment_models_basic_udi_di_format check (basic_udi_di = btrim(basic_udi_di) and length(basic_udi_di) between 1 and 120),
  add constraint equipment_models_emdn_code_format check (emdn_code ~ '^[A-Z][0-9]{1,12}$');

-- A checklist measurement of IEC 62353 records the leakage method its limits are for, the
-- reading below which that method cannot judge (the differential method below 75 µA), and
-- whether its limit is the standard's or the testers' makers' usual practice (insulation).
alter table work_order_checklist_items
  add column measurement_method text,
  add column measurable_from double precision,
  add column limit_basis text,
  add constraint work_order_checklist_method_check check (measurement_method in ('direct', 'differential', 'alternative')),
  add constraint work_order_checklist_limit_basis_check check (limit_basis in ('standard', 'practice'));
