-- Cost allocation (issue 15, ADR 0023): a line is refused in a closed month, and the check now
-- locks the month's period row (FOR SHARE) until the posting commits. Without the lock, a
-- period created after the job had locked the periods could be closed by an approval between
-- the check and the job's commit: the job committed lines into a month already approved and
-- closed. Now the approval's FOR UPDATE waits for the job's commit, or the job waits for the
-- approval's and then sees the month closed.
create or replace function cost_ledger_entries_open_month() returns trigger language plpgsql as $$
declare
  closed timestamptz;
begin
  select p.closed_at into closed from cost_periods p
  where p.territory_id = new.territory_id and p.month = new.month
  for share;
  if closed is not null then
    raise exception 'cost period % is closed', new.month using errcode = 'check_violation';
  end if;
  return new;
end
$$;
