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
