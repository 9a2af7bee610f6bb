-- Owners of integrated cameras on the public portal (docs/owners.md): their sign-in by emailed
-- link with an optional authenticator code, their sessions, and the alarms they raise.

-- One row per owner who ever signed in, by the email the agency has on their cameras' owner
-- contact (kept in lower case). The authenticator's secret is set once the owner confirms a code.
create table owner_accounts (
  id text primary key,
  email text not null unique check (email = lower(email)),
  totp_secret text,
  totp_pending_secret text,
  -- The last accepted code's time step: the same code is never accepted twice.
  totp_last_step bigint,
  created_at timestamptz not null,
  updated_at timestamptz not null
);

-- Emailed sign-in links: only the token's SHA-256 is kept; a link works once, for minutes.
create table owner_links (
  token_hash text primary key,
  email text not null,
  created_at timestamptz not null,
  expires_at timestamptz not null,
  used_at timestamptz
);
create index owner_links_expires on owner_links (expires_at);

-- Signed-in owners: the cookie holds a random token, the row its SHA-256. `stage` is 'code'
-- while the session waits for the authenticator code, 'full' once it may act.
create table owner_sessions (
  token_hash text primary key,
  account_id text not null references owner_accounts(id),
  stage text not null check (stage in ('code', 'full')),
  failed_codes integer not null default 0,
  created_at timestamptz not null,
  last_seen_at timestamptz not null,
  expires_at timestamptz not null,
  ended_at timestamptz
);
create index owner_sessions_account on owner_sessions (account_id);

-- An owner's alarm: every one of their cameras shared in full until it ends. The policy each
-- camera had before is kept here and put back when the alarm ends (or the owner's edits made
-- during the alarm, which change the kept policy).
create table owner_alarms (
  id text primary key,
  account_id text not null references owner_accounts(id),
  raised_at timestamptz not null,
  ends_at timestamptz not null,
  ended_at timestamptz,
  end_reason text check (end_reason in ('owner', 'expired')),
  alert_id text
);
create index owner_alarms_open on owner_alarms (ends_at) where ended_at is null;

create table owner_alarm_cameras (
  alarm_id text not null references owner_alarms(id),
  camera_id text not null references cameras(id),
  normal_policy jsonb not null,
  primary key (alarm_id, camera_id)
);
create index owner_alarm_cameras_camera on owner_alarm_cameras (camera_id);
