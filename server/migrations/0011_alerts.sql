-- Sensor alerts (LPR hits, gunshot detections, CAP alerts, zone entries) and tracks
-- (docs/integrations.md, "Alerts and tracks").

-- One row per alert, whatever its kind; (integration, sender's id) names it across repeats and
-- revisions.
create table alerts (
  id text primary key,
  integration_id text not null references integrations(id),
  sender_id text not null,
  kind text not null check (kind in ('lpr', 'gunshot', 'cap', 'zone')),
  occurred_at timestamptz not null,
  received_at timestamptz not null,
  updated_at timestamptz not null,
  lat double precision,
  lng double precision,
  severity text not null
    check (severity in ('unknown', 'minor', 'moderate', 'severe', 'extreme')),
  title text not null,
  details jsonb not null,
  outside_jurisdiction boolean not null,
  late boolean not null,
  urgent boolean not null,
  revision integer not null default 0,
  -- The sender's time of the revision applied last: an older one arriving late is not applied.
  source_updated_at timestamptz,
  acknowledged_at timestamptz,
  acknowledged_by text,
  acknowledged_by_id text,
  acknowledgement_note text,
  incident_number text,
  unique (integration_id, sender_id)
);
create index alerts_received on alerts (received_at desc);

-- Images a sender pointed to (an LPR plate photo), fetched after the alert is acknowledged.
-- The address stays here: it may carry the vendor's signature, so the console never sees it.
create table alert_evidence (
  alert_id text not null references alerts(id),
  n integer not null,
  kind text not null check (kind in ('image')),
  url text not null,
  state text not null check (state in ('pending', 'stored', 'failed')),
  sha256 text,
  content_type text,
  failure text,
  attempts integer not null default 0,
  next_attempt_at timestamptz,
  lease_until timestamptz,
  primary key (alert_id, n)
);
create index alert_evidence_due on alert_evidence (next_attempt_at) where state = 'pending';

-- Every position a tracker sent; the same point sent again is one row.
create table track_points (
  integration_id text not null references integrations(id),
  subject text not null,
  at timestamptz not null,
  lat double precision not null,
  lng double precision not null,
  heading double precision,
  received_at timestamptz not null,
  primary key (integration_id, subject, at)
);
create index track_points_at on track_points (at);

-- Each subject's latest position and the exclusion zones it is in: a zone alert is raised on
-- entering, not for every point inside.
create table track_subjects (
  integration_id text not null references integrations(id),
  subject text not null,
  -- Set when the subject is a camera that moves (a drone).
  camera_id text references cameras(id),
  last_at timestamptz not null,
  last_lat double precision not null,
  last_lng double precision not null,
  zones_inside jsonb not null default '[]'::jsonb,
  primary key (integration_id, subject)
);

-- Where a camera that moves points now (degrees from north); its position is the camera's own.
create table camera_headings (
  camera_id text primary key references cameras(id),
  heading double precision,
  at timestamptz not null
);
