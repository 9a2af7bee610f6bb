-- The anonymous text tip line (docs/tip-line.md). The sender's number is kept only encrypted
-- (number_sealed, AES-256-GCM with a key outside the database) so that replies can be sent;
-- threads are found by a keyed hash of the number (number_key, HMAC-SHA256), never by the number.
create table tip_threads (
  id text primary key,
  alias text not null unique,
  number_key text not null unique,
  number_sealed text not null,
  opted_out boolean not null default false,
  first_at timestamptz not null,
  last_at timestamptz not null
);

create table tips (
  id text primary key,
  -- The provider's id for the message: a retried webhook finds its tip by it.
  message_sid text not null unique,
  thread_id text not null references tip_threads(id),
  received_at timestamptz not null,
  body text not null,
  -- A carrier keyword (STOP, START, HELP) rather than a tip.
  keyword text check (keyword in ('stop', 'start', 'help')),
  state text not null default 'new'
    check (state in ('new', 'reviewing', 'actionable', 'no_action', 'duplicate')),
  state_changed_by text references users(id),
  state_changed_at timestamptz,
  duplicate_of text references tips(id),
  assigned_to text references users(id),
  incident_number text,
  case_number text,
  shared_location jsonb,
  outside_hours boolean not null default false,
  -- What the line answered in TwiML, so that a retried webhook gets the same answer.
  answer text not null
);
create index tips_received on tips (received_at desc, id desc);
create index tips_thread on tips (thread_id, received_at);
create index tips_open on tips (state, received_at desc) where state in ('new', 'reviewing');
create index tips_assigned on tips (assigned_to, received_at desc) where assigned_to is not null;

create table tip_attachments (
  tip_id text not null references tips(id),
  n integer not null,
  source_url text not null,
  content_type text not null,
  state text not null default 'pending' check (state in ('pending', 'stored', 'failed')),
  failure text,
  attempts integer not null default 0,
  next_attempt_at timestamptz not null,
  size bigint,
  sha256 text,
  -- A rendition a browser shows (a JPEG of a HEIC photo, a video's poster frame).
  preview_sha256 text,
  -- A browser-playable MP4 of a video the phone sent in another form.
  playable_sha256 text,
  primary key (tip_id, n)
);
create index tip_attachments_due on tip_attachments (next_attempt_at) where state = 'pending';

create table tip_replies (
  id text primary key,
  thread_id text not null references tip_threads(id),
  tip_id text references tips(id),
  at timestamptz not null,
  body text not null,
  -- A carrier keyword (STOP, START, HELP) rather than a tip.
  keyword text check (keyword in ('stop', 'start', 'help')),
  state text not null check (state in ('queued', 'sent', 'failed')),
  failure text,
  provider_sid text,
  -- null for the line's automatic answers.
  sent_by text references users(id)
);
create index tip_replies_thread on tip_replies (thread_id, at);

-- Grants to look at one tip's media, opened for a reason (audited) by one user.
create table tip_media_grants (
  token_hash text primary key,
  tip_id text not null references tips(id),
  user_id text not null references users(id),
  expires_at timestamptz not null
);
