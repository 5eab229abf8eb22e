-- A FINESS number is unique within a territory, no longer across the whole database
-- (docs/adr/0007): a territory must neither learn from a refusal that another territory
-- registered an establishment, nor be blocked by another territory's (possibly wrong) entry.
-- The constraint keeps its name, which the API maps to a 409 on body.finess.
alter table sites drop constraint sites_finess_key;
alter table sites add constraint sites_finess_key unique (territory_id, finess);
