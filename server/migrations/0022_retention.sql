-- Retention (docs/retention.md): the legal hold on a case, the record of each purge run, and the
-- indexes the purge's batches read by.

-- A case under legal hold keeps everything linked to it, whatever its age. Set and lifted by a
-- lieutenant or an administrator, audited with the reason.
alter table cases add column legal_hold boolean not null default false;
alter table cases add column legal_hold_reason text;
alter table cases add column legal_hold_set_at timestamptz;
alter table cases add column legal_hold_set_by text;

-- One row per purge run. The counts are added to in the same transaction as each batch deleted,
-- so a run cut short by a crash still says exactly what it removed.
create table retention_runs (
  id text primary key,
  trigger text not null check (trigger in ('schedule', 'admin')),
  started_by text not null,
  started_at timestamptz not null,
  finished_at timestamptz,
  outcome text check (outcome in ('completed', 'failed', 'interrupted')),
  counts jsonb not null default '{}'::jsonb,
  problem text
);
create index retention_runs_started on retention_runs (started_at desc);

-- What is linked to a case, looked up from the record's side (is this alert held?).
create index case_links_ref on case_links (kind, ref);
-- Tips and evidence name their case by number, typed by people.
create index tips_case_number on tips (upper(case_number)) where case_number is not null;
-- The purge's batches: expired rows, oldest first.
create index alerts_kind_received on alerts (kind, received_at);
create index shift_logs_ends on shift_logs (ends_at);
create index camera_grants_expires on camera_grants (expires_at);
create index tip_threads_last on tip_threads (last_at);
