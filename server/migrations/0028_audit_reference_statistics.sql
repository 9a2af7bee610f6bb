-- The planner's statistics on the case or incident number a reason names (docs/audit-review.md).
-- The indexes on that expression are partial, and ANALYZE keeps no statistics on the expression
-- of a partial index: without these, the planner guessed thousands of entries for any number,
-- chose to walk the whole trail newest first for the page of a case that has a few hundred, and
-- took seconds at 10 million rows. With them it reads the index.
create statistics audit_log_reason_reference_stats
  on (upper(details->'reason'->>'reference')) from audit_log;
analyze audit_log;
