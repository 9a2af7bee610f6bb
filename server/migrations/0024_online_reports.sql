-- Online self-reports from the public portal (docs/online-reports.md).

-- One row per report. The columns a public summary counts (outcome, submitted_at, decided_at,
-- category) are plain columns; what the reporter wrote is in `details`.
create table online_reports (
  id text primary key,
  -- The number the reporter is given at once; the permanent one is the case number on approval.
  temp_number text not null unique,
  -- The SHA-256 of the form's token: a second post of the same form finds the first report.
  form_token_hash text not null unique,
  category text not null,
  state text not null check (state in ('submitted', 'needs_info', 'forwarded', 'approved', 'rejected')),
  outcome text check (outcome in ('approved', 'rejected')),
  submitted_at timestamptz not null,
  due_at timestamptz not null,
  decided_at timestamptz,
  decided_by text,
  case_number text,
  -- Forwarded to an investigator before approval.
  assigned_to text references users(id),
  reporter_name text not null,
  reporter_email text not null,
  occurred_at timestamptz not null,
  lat double precision,
  lng double precision,
  address text,
  -- The narrative, suspect, property, vehicle and the reporter's other details, as submitted.
  details jsonb not null,
  -- What the reviewer asked the reporter for, while it waits on them.
  info_request text,
  rejection_reason text,
  updated_at timestamptz not null,
  check ((outcome is null) = (decided_at is null))
);
create index online_reports_open on online_reports (due_at) where outcome is null;
create index online_reports_submitted on online_reports (submitted_at);

-- What the reporter added through their link when asked for more information.
create table online_report_additions (
  report_id text not null references online_reports(id),
  n integer not null,
  text text not null,
  added_at timestamptz not null,
  primary key (report_id, n)
);

-- Photos and documents, in the media store by SHA-256 (docs/architecture.md, Storage).
create table online_report_files (
  report_id text not null references online_reports(id),
  n integer not null,
  sha256 text not null,
  content_type text not null,
  file_name text not null,
  size integer not null,
  primary key (report_id, n)
);
create index online_report_files_sha on online_report_files (sha256);

-- The reporter's link to follow the report (and add information): only the token's hash is kept.
create table online_report_links (
  token_hash text primary key,
  report_id text not null references online_reports(id),
  created_at timestamptz not null,
  expires_at timestamptz not null
);
create index online_report_links_report on online_report_links (report_id);
