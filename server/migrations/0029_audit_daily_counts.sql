-- The audit review's counts read a daily rollup of the trail (docs/audit-review.md#counts): the
-- entries per UTC day and per user (with the name the entry carried), action, reason category
-- and outcome. Every filter of the counts that is a column of the trail is a column here, so
-- the whole days of a range are summed from a few hundred rows a day instead of read entry by
-- entry; the part days at the ends, and the filters that need the entry itself (camera, case
-- number, words of the reason), still read audit_log.
--
-- The rollup is kept by a trigger in the transaction of every row added to the trail, whatever
-- inserts it. The trail is append-only (0001) and never purged (retention leaves it alone), so
-- a count only ever goes up. It is derived: it can be built again from the trail at any time
-- (server/auditReview/auditReviewRepository.ts, `rebuildAuditDailyCounts`).
create table audit_daily_counts (
  day date not null,
  actor_id text,
  actor_name text,
  action text not null,
  -- details->'reason'->>'code', as the search compares it (null: no reason, or no code).
  reason_code text,
  outcome text not null,
  entries bigint not null,
  constraint audit_daily_counts_key
    unique nulls not distinct (day, actor_id, actor_name, action, reason_code, outcome)
);

create function audit_daily_counts_add() returns trigger language plpgsql as $$
begin
  insert into audit_daily_counts as c
    (day, actor_id, actor_name, action, reason_code, outcome, entries)
  values ((new.at at time zone 'UTC')::date, new.actor_id, new.actor_name, new.action,
          new.details->'reason'->>'code', new.outcome, 1)
  on conflict on constraint audit_daily_counts_key do update set entries = c.entries + 1;
  return null;
end;
$$;

create trigger audit_log_daily_counts after insert on audit_log
  for each row execute function audit_daily_counts_add();

-- The trail so far.
insert into audit_daily_counts (day, actor_id, actor_name, action, reason_code, outcome, entries)
select (at at time zone 'UTC')::date, actor_id, actor_name, action, details->'reason'->>'code',
       outcome, count(*)
from audit_log
group by 1, 2, 3, 4, 5, 6;
