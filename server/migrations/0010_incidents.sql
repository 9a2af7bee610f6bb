-- Integrations (machines that post to /v1/ingest, each with a key of one scope) and the
-- incidents CAD sends through them.

create table integrations (
  id text primary key,
  name text not null unique,
  scope text not null check (scope in ('cad', 'lpr', 'gunshot', 'tracks', 'cap')),
  -- SHA-256 of the key: the key is 256 random bits, so a fast hash is enough (docs/integrations.md).
  key_hash text not null unique,
  created_by text not null,
  created_at timestamptz not null,
  last_used_at timestamptz,
  revoked_at timestamptz
);

-- Incidents as the CAD reports them, keyed by the CAD's number.
create table incidents (
  id text primary key,
  number text not null unique,
  call_type_code text not null,
  call_type_text text not null,
  priority integer,
  status text not null
    check (status in ('pending', 'dispatched', 'en_route', 'on_scene', 'cleared', 'closed')),
  address text,
  lat double precision,
  lng double precision,
  radius_m double precision,
  needs_placement boolean not null,
  outside_jurisdiction boolean not null,
  worked boolean not null,
  units jsonb not null default '[]'::jsonb,
  received_at timestamptz not null,
  updated_at timestamptz not null,
  closed_at timestamptz,
  -- The sender's time of the state applied last: an older post arriving late is not applied.
  source_updated_at timestamptz,
  -- The integration that last posted it.
  integration_id text references integrations(id)
);
create index incidents_open on incidents (priority, received_at) where closed_at is null;
create index incidents_closed on incidents (closed_at) where closed_at is not null;

create table incident_status_changes (
  id bigserial primary key,
  incident_id text not null references incidents(id),
  at timestamptz not null,
  status text not null
);
create index incident_status_changes_incident on incident_status_changes (incident_id, id);

-- CAD narrative: appended only; the key makes the same line sent twice one line.
create table incident_narrative (
  incident_id text not null references incidents(id),
  line_key text not null,
  at timestamptz not null,
  author text not null,
  text text not null,
  primary key (incident_id, line_key)
);

-- The center's own notes on an incident.
create table incident_notes (
  id text primary key,
  incident_id text not null references incidents(id),
  at timestamptz not null,
  author_id text,
  author_name text not null,
  text text not null
);
create index incident_notes_incident on incident_notes (incident_id, at);

-- Tips and cases linked to an incident, by reference (the record may live in another module).
create table incident_links (
  incident_id text not null references incidents(id),
  kind text not null check (kind in ('tip', 'case')),
  ref text not null,
  linked_at timestamptz not null,
  linked_by text not null,
  primary key (incident_id, kind, ref)
);
