-- The reasons the product writes itself in a device's history and in a work order's
-- transitions (a fault report, back in service, automatic closure, a réforme, an import)
-- are stored as a code with its parameters, and written out in the reader's language when
-- read (packages/domain history-reasons.ts). `reason` keeps the French text as before.
alter table equipment_events add column coded_reason jsonb;
alter table work_order_transitions add column coded_reason jsonb;

-- The entries written before: their codes, from the rows they came from.
update equipment_events ev
set coded_reason = jsonb_build_object('code', 'work_order_reported', 'number', w.number, 'symptom', w.symptom)
from work_orders w
where w.id = (ev.details ->> 'workOrderId')::uuid
  and ev.kind = 'status_changed' and ev.to_status = 'out_of_service'
  and (ev.reason like 'Bon %' or ev.reason like 'Signalement : %');

update equipment_events ev
set coded_reason = jsonb_build_object('code', 'back_in_service', 'number', w.number)
from work_orders w
where w.id = (ev.details ->> 'workOrderId')::uuid
  and ev.kind = 'status_changed' and ev.to_status = 'in_service'
  and ev.reason like 'Remise en service après%';

update equipment_events ev
set coded_reason = jsonb_strip_nulls(jsonb_build_object('code', 'decommission', 'reason', d.reason, 'comment', nullif(d.comment, '')))
from equipment_decommissions d
where d.id = (ev.details ->> 'decommissionId')::uuid
  and ev.kind = 'decommission_requested';

update equipment_events
set coded_reason = jsonb_build_object('code', 'imported_file', 'fileName', substring(reason from '^Import du fichier (.*)$'))
where kind = 'imported' and reason like 'Import du fichier %';

update equipment_events
set coded_reason = jsonb_build_object('code', 'demo_inventory')
where kind = 'imported' and reason in ('Reprise de l''inventaire existant (données de démonstration)', 'Reprise de l’inventaire existant (données de démonstration)');

update work_order_transitions
set coded_reason = jsonb_build_object('code', 'automatic_closure', 'days',
  (substring(reason from '^Clôture automatique : terminé depuis plus de (\d+) jours sans vérification$'))::int)
where actor_id is null and reason ~ '^Clôture automatique : terminé depuis plus de \d+ jours sans vérification$';
