-- The public portal (docs/portal.md): the mail outbox, camera registrations with their emailed
-- links, and the key that signs the portal's forms.

-- Every email the server sends is written here in the same transaction as the change it reports,
-- then sent by a worker that retries with backoff: an acknowledged submission's email survives
-- an SMTP outage and a restart.
create table mail_outbox (
  id text primary key,
  -- What the message is for (registration.confirm, registration.manage, ...): never its text.
  kind text not null check (length(kind) between 1 and 64),
  to_address text not null,
  subject text not null,
  body text not null,
  state text not null default 'pending' check (state in ('pending', 'sent', 'failed')),
  attempts integer not null default 0,
  next_attempt_at timestamptz not null,
  last_error text,
  created_at timestamptz not null,
  sent_at timestamptz
);
create index mail_outbox_due on mail_outbox (next_attempt_at) where state = 'pending';

-- A resident's or business's registration of camera locations. Pending until the owner follows
-- the emailed link; nothing enters the registry before. The owner's details are cleared when the
-- registration is withdrawn or its confirmation expires; the audit trail keeps that it happened.
create table camera_registrations (
  id text primary key,
  state text not null check (state in ('pending', 'confirmed', 'withdrawn')),
  owner_kind text not null check (owner_kind in ('person', 'business')),
  owner_name text,
  email text,
  phone text,
  -- The cameras as submitted (pending); once confirmed they are rows of `cameras`.
  submitted jsonb,
  created_at timestamptz not null,
  confirmed_at timestamptz,
  withdrawn_at timestamptz,
  updated_at timestamptz not null
);
create index camera_registrations_email on camera_registrations (lower(email)) where email is not null;
create index camera_registrations_pending on camera_registrations (created_at) where state = 'pending';

-- The emailed links: only a hash of each token is kept, so a copy of the database opens nothing.
create table registration_links (
  token_hash text primary key,
  registration_id text not null references camera_registrations(id) on delete cascade,
  purpose text not null check (purpose in ('confirm', 'manage')),
  created_at timestamptz not null,
  expires_at timestamptz not null
);
create index registration_links_registration on registration_links (registration_id);

-- The registry cameras a confirmed registration made, and whether one looked like an entry
-- already in the registry (a near location, the same owner) for an administrator to settle.
create table registration_cameras (
  registration_id text not null references camera_registrations(id),
  camera_id text not null references cameras(id),
  n integer not null,
  duplicate_of text references cameras(id),
  duplicate_resolution text check (duplicate_resolution in ('merged', 'distinct')),
  resolved_by text,
  resolved_at timestamptz,
  primary key (registration_id, camera_id)
);
create index registration_cameras_camera on registration_cameras (camera_id);
create index registration_cameras_open_duplicates on registration_cameras (registration_id)
  where duplicate_of is not null and duplicate_resolution is null;

-- The key the portal signs its forms with (CSRF and fill time): one row, made on first use, shared
-- by every server instance.
create table portal_keys (
  name text primary key,
  key text not null,
  created_at timestamptz not null
);
