-- The shift log (docs/shift-log.md): one row per shift instance that has been written in, its
-- entries and addenda. A signed-off shift keeps the summary it was signed with.

create table shift_logs (
  shift_date text not null check (shift_date ~ '^\d{4}-\d{2}-\d{2}$'),
  shift_name text not null,
  starts_at timestamptz not null,
  ends_at timestamptz not null,
  signed_off_at timestamptz,
  signed_off_by text,
  signed_off_by_name text,
  signoff_note text,
  summary jsonb,
  primary key (shift_date, shift_name)
);

create table shift_entries (
  id text primary key,
  shift_date text not null,
  shift_name text not null,
  at timestamptz not null,
  written_at timestamptz not null,
  kind text not null
    check (kind in ('staffing', 'notable_event', 'equipment', 'briefing', 'other')),
  text text not null,
  author_id text,
  author_name text not null,
  addendum boolean not null,
  foreign key (shift_date, shift_name) references shift_logs (shift_date, shift_name)
);
create index shift_entries_shift on shift_entries (shift_date, shift_name, at);

-- The summaries and metrics read the trail by action over a time range, and find the camera
-- views granted for a call by the number its reason names.
create index audit_log_action_at on audit_log (action, at);
create index audit_log_view_reference on audit_log (upper(details->'reason'->>'reference'), at)
  where action = 'stream.grant' and outcome = 'success';
-- Sessions that overlap a shift: who was on.
create index sessions_created on sessions (created_at);
