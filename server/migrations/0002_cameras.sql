-- The camera registry, integrated and agency cameras, owner contacts, sources and stream grants.

-- What anyone who may read cameras sees. Nothing confidential lives in this table, so that a list
-- query can never select a secret by accident: owner contacts and sources have their own tables.
create table cameras (
  id text primary key,
  kind text not null check (kind in ('registered', 'integrated', 'agency')),
  status text not null default 'active' check (status in ('active', 'retired')),
  name text not null check (length(name) between 1 and 200),
  lat double precision not null check (lat between -90 and 90),
  lng double precision not null check (lng between -180 and 180),
  -- x = lng, y = lat. Derived, so it can never disagree with lat/lng; the GiST index on it answers
  -- radius and box queries without a scan.
  location point generated always as (point(lng, lat)) stored,
  address text,
  notes text,
  retention_days integer check (retention_days between 0 and 3650),
  -- The owner's sharing policy (integrated cameras): no secrets in it.
  sharing jsonb,
  alarm_active boolean not null default false,
  -- Facts about the confidential rows, kept here so that lists need no join.
  has_owner_contact boolean not null default false,
  ptz boolean not null default false,
  has_substream boolean not null default false,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  retired_at timestamptz
);
create index cameras_location on cameras using gist (location);
-- Exact and prefix lookups by name (search, the importer's duplicate check).
create index cameras_name on cameras (lower(name) text_pattern_ops);

-- Confidential: read only by the audited reveal.
create table camera_owner_contacts (
  camera_id text primary key references cameras(id),
  name text not null,
  phone text,
  email text,
  updated_at timestamptz not null
);

-- How to reach the video, credentials included: leaves the server only inside a stream grant.
create table camera_sources (
  camera_id text primary key references cameras(id),
  descriptor jsonb not null,
  updated_at timestamptz not null
);

-- Permission to view one camera's feed for a short time, for a stated reason.
create table camera_grants (
  id text primary key,
  camera_id text not null references cameras(id),
  user_id text not null references users(id),
  reason jsonb not null,
  access text not null check (access in ('live', 'recordings', 'ptz')),
  variant text not null default 'main' check (variant in ('main', 'sub')),
  issued_at timestamptz not null,
  expires_at timestamptz not null,
  revoked_at timestamptz,
  revoke_reason text
);
-- The sweeper and revocations look only at grants not yet revoked.
create index camera_grants_open on camera_grants (expires_at) where revoked_at is null;
create index camera_grants_open_camera on camera_grants (camera_id) where revoked_at is null;
create index camera_grants_user on camera_grants (user_id, issued_at);
