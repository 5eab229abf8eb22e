-- Regulatory classes and identifiers (issue 11, docs/regulatory.md).

-- 1. Categories whose devices emit ionising radiation: maintenance and quality control are
--    obligations for them (CSP R.5212-26, arrêté of 3 March 2003). The flag starts false;
--    the radiology categories of the starting nomenclature (packages/db/src/seed/
--    equipment-categories.ts) are set by their codes, which the seed gave them.
alter table equipment_categories add column ionising_radiation boolean not null default false;
update equipment_categories set ionising_radiation = true, updated_at = now()
 where code in ('IMAG-MOB', 'IMAG-RX', 'IMAG-TDM', 'IMAG-MAMMO', 'IMAG-ARC');

-- 2. Risk classes: the in-vitro diagnostic classes A–D (Regulation (EU) 2017/746, Annex VIII)
--    beside the MDR classes I, IIa, IIb, III (Regulation (EU) 2017/745, Annex VIII). Every
--    existing value stays valid.
alter table equipment_models drop constraint equipment_models_risk_class_check;
alter table equipment_models add constraint equipment_models_risk_class_check
  check (risk_class in ('I', 'IIa', 'IIb', 'III', 'A', 'B', 'C', 'D'));

-- 3. A device's UDI-DI comes from one of the four issuing entities designated by Commission
--    Implementing Decision (EU) 2019/939; its entity is recorded beside it. The stored DI is
--    its data content (no flag, data identifier or check character of the carrier), checked
--    in full by packages/domain/src/udi.ts; the database keeps the shape of each. Every
--    existing UDI-DI is a 14-digit GTIN (the former constraint): GS1.
alter table equipment add column udi_issuing_entity text;
update equipment set udi_issuing_entity = 'GS1' where udi_di is not null;
alter table equipment drop constraint equipment_udi_di_format;
alter table equipment add constraint equipment_udi_issuing_entity_check
  check (udi_issuing_entity in ('GS1', 'HIBCC', 'ICCBBA', 'IFA'));
alter table equipment add constraint equipment_udi_di_entity_given
  check ((udi_di is null) = (udi_issuing_entity is null));
alter table equipment add constraint equipment_udi_di_format check (
  case udi_issuing_entity
    when 'GS1' then udi_di ~ '^[0-9]{14}$'
    when 'HIBCC' then udi_di ~ '^[A-Z][A-Z0-9]{3}[A-Z0-9]{1,18}[0-9]$'
    when 'ICCBBA' then udi_di ~ '^[A-NP-Z0-9]{5}[A-Z0-9]{11}$'
    when 'IFA' then udi_di ~ '^[0-9]{2}[A-Z0-9]{1,18}[0-9]{2}$'
  end
);
