-- Parts harvested from a decommissioned device (issue 12): a 'harvest' movement names the
-- device it came from. Forward-only; never edit once landed.
alter table stock_movements
  add column equipment_id uuid references equipment (id),
  add constraint stock_movements_harvest_device check ((type = 'harvest') = (equipment_id is not null));
create index stock_movements_equipment_idx on stock_movements (equipment_id, id) where equipment_id is not null;
