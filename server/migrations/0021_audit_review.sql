-- The audit review (docs/audit-review.md): the auditor role, the indexes its search and flags
-- read the trail by, and the reviews of flags.

alter table users drop constraint users_role_check;
alter table users add constraint users_role_check
  check (role in ('analyst', 'lieutenant', 'officer', 'supervisor', 'admin', 'auditor'));

-- Search by the case or incident number a reason names, across every action (0013 and 0015
-- index the camera views only). The expression is the one server/auditReview's SQL compares.
create index audit_log_reason_reference on audit_log
  (upper(details->'reason'->>'reference'), id) where details ? 'reason';
-- Search and count by reason category.
create index audit_log_reason_code on audit_log ((details->'reason'->>'code'), id)
  where details ? 'reason';
-- Refusals and failures are few among millions of successes: found without reading those.
create index audit_log_outcome on audit_log (outcome, id) where outcome <> 'success';
-- One user's entries over a time range, newest first (a supervisor's scope, a flag's entries).
create index audit_log_actor_at on audit_log (actor_id, at, id);

-- A reveal is covered by a camera pull that listed its camera: found by camera.
create index pull_candidates_camera on pull_candidates (camera_id);

-- A reviewer's verdict on a flag. A flag is computed, not stored; its key names it (kind, user,
-- day, what), so a review still finds it when the flags are computed again. Reviews are only
-- added: a second review of the same flag is a later word, not a correction of the first.
create table audit_flag_reviews (
  id bigserial primary key,
  flag_key text not null,
  kind text not null,
  -- Whom the flag is about, and the day: enough to find the entries behind it.
  subject_id text not null,
  flag_date text not null check (flag_date ~ '^\d{4}-\d{2}-\d{2}$'),
  explanation text not null,
  reviewed_at timestamptz not null,
  reviewer_id text references users(id),
  reviewer_name text not null,
  note text not null
);
create index audit_flag_reviews_key on audit_flag_reviews (flag_key, id);
