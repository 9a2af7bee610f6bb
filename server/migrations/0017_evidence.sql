-- Recordings sources, evidence files, their chain of custody, exported packages and officers'
-- links (docs/evidence.md).

-- Whether a camera has a recordings source on file: a fact about the confidential row below, kept
-- here so that lists need no join (like has_substream).
alter table cameras add column has_recordings boolean not null default false;

-- How to fetch a time range of a camera's recordings, credentials included: like camera_sources,
-- read only by the server's own fetch and never answered to anyone.
create table camera_recording_sources (
  camera_id text primary key references cameras(id),
  descriptor jsonb not null,
  updated_at timestamptz not null
);

-- A file kept as evidence for a case: footage fetched from a recordings source, a clip exported
-- from a workstation's replay buffer, or a still taken from either. The bytes are in the media
-- store under their SHA-256. Keyed by case number and, optionally, the camera pull it answers
-- (no foreign key: pulls are their own module).
create table evidence_files (
  id text primary key,
  case_number text not null,
  pull_id text,
  kind text not null check (kind in ('recording', 'clip', 'still')),
  -- The file a still was taken from.
  parent_id text references evidence_files(id),
  camera_id text not null references cameras(id),
  camera_name text not null,
  -- The owner's consent as the sharing policy recorded it when the file was fetched.
  consent jsonb not null,
  range_start timestamptz not null,
  range_end timestamptz not null,
  -- Where the bytes came from: 'recordings' (the camera's recordings source) or 'replay'.
  source text not null,
  sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
  size_bytes bigint not null,
  content_type text not null,
  fetched_by text not null,
  fetched_at timestamptz not null
);
create index evidence_files_case on evidence_files (case_number, fetched_at);

-- The chain of custody of a case's evidence: each entry hashes its predecessor's hash with its
-- own content, so an entry edited, removed or reordered breaks every link after it.
create table evidence_custody (
  case_number text not null,
  seq integer not null,
  at timestamptz not null,
  action text not null
    check (action in ('requested', 'fetched', 'hashed', 'exported', 'opened', 'shared')),
  actor text not null,
  file_id text,
  details jsonb not null,
  prev_hash text not null,
  hash text not null,
  primary key (case_number, seq)
);

-- A package written to the data folder: a pull's files or a whole case's.
create table evidence_exports (
  id text primary key,
  case_number text not null,
  pull_id text,
  dir text not null,
  manifest_sha256 text not null,
  files integer not null,
  size_bytes bigint not null,
  key_fingerprint text not null,
  created_by text not null,
  created_at timestamptz not null
);
create index evidence_exports_case on evidence_exports (case_number, created_at);

-- A link sent to an officer to view one exported clip: the token is shown once, only its hash kept.
create table evidence_links (
  id text primary key,
  token_sha256 text not null unique,
  file_id text not null references evidence_files(id),
  case_number text not null,
  officer text not null,
  created_by text not null,
  created_at timestamptz not null,
  expires_at timestamptz not null,
  revoked_at timestamptz,
  opened_count integer not null default 0,
  last_opened_at timestamptz
);
create index evidence_links_case on evidence_links (case_number, created_at);
