-- Core: users and sessions, the audit trail, the event log, agency configuration.

create table users (
  id text primary key,
  username text not null unique,
  display_name text not null,
  role text not null check (role in ('analyst', 'lieutenant', 'officer', 'supervisor', 'admin')),
  password_hash text not null,
  totp_secret text,
  totp_pending_secret text,
  failed_attempts integer not null default 0,
  locked_until timestamptz,
  disabled boolean not null default false,
  created_at timestamptz not null default now()
);

-- A session is one sign-in; all refresh tokens rotated from it form its family.
create table sessions (
  id text primary key,
  user_id text not null references users(id),
  created_at timestamptz not null,
  last_seen_at timestamptz not null,
  revoked_at timestamptz,
  revoke_reason text
);
create index sessions_user on sessions (user_id);

create table refresh_tokens (
  token_hash text primary key,
  session_id text not null references sessions(id),
  created_at timestamptz not null,
  rotated_at timestamptz
);
create index refresh_tokens_session on refresh_tokens (session_id);

-- Append-only and hash-chained: each row carries the SHA-256 of its predecessor's encoding.
create table audit_log (
  id bigserial primary key,
  at timestamptz not null,
  actor_id text,
  actor_name text,
  action text not null,
  target_type text,
  target_id text,
  outcome text not null check (outcome in ('success', 'denied', 'failure')),
  details jsonb not null default '{}'::jsonb,
  prev_hash text not null,
  hash text not null
);
create index audit_log_at on audit_log (at);
create index audit_log_actor on audit_log (actor_id, id);
create index audit_log_action on audit_log (action, id);
create index audit_log_target on audit_log (target_type, target_id, id);

create function audit_log_is_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'audit_log is append-only: % is not allowed', tg_op;
end;
$$;
create trigger audit_log_no_update before update or delete on audit_log
  for each row execute function audit_log_is_append_only();
create trigger audit_log_no_truncate before truncate on audit_log
  for each statement execute function audit_log_is_append_only();

-- Every committed change has one event; ids increase in commit order (see server/events).
create table events (
  id bigserial primary key,
  at timestamptz not null,
  type text not null,
  payload jsonb not null,
  audit_id bigint references audit_log(id)
);

create table server_secrets (
  name text primary key,
  value text not null
);

create table agency_config (
  id integer primary key check (id = 1),
  config jsonb not null,
  updated_at timestamptz not null default now()
);
