-- Cases, their assignment, notes and links (docs/cases.md), and the counter their numbers come from.

-- One row per year (in the agency's time zone): the last sequence number issued that year. The
-- row is updated in the transaction that uses the number, so two creates never get the same one
-- and a rolled-back create leaves no gap.
create table case_number_counters (
  year integer primary key,
  last_seq integer not null check (last_seq > 0)
);

create table cases (
  id text primary key,
  number text not null,
  title text not null,
  type text not null check (type in ('homicide', 'shooting', 'robbery', 'burglary', 'assault',
    'sexual_offense', 'auto_theft', 'theft', 'fraud', 'narcotics', 'missing_person', 'vandalism',
    'traffic', 'other')),
  status text not null check (status in ('open', 'active', 'suspended', 'closed')),
  priority text not null check (priority in ('high', 'normal', 'low')),
  lead_investigator text,
  -- A calendar date in the agency's time zone.
  due_date date,
  opened_at timestamptz not null,
  opened_by text not null,
  updated_at timestamptz not null,
  closed_at timestamptz
);
-- Numbers are typed by people (a view reason, a link): found, and unique, without regard to case.
create unique index cases_number on cases (upper(number));

create table case_analysts (
  case_id text not null references cases(id),
  user_id text not null references users(id),
  assigned_at timestamptz not null,
  assigned_by text not null,
  primary key (case_id, user_id)
);
create index case_analysts_user on case_analysts (user_id);

-- The notes timeline: appended only, in the order written (two notes may share a time).
create table case_notes (
  id text primary key,
  seq bigserial not null,
  case_id text not null references cases(id),
  at timestamptz not null,
  author_id text,
  author_name text not null,
  text text not null
);
create index case_notes_case on case_notes (case_id, seq);

-- Incidents, tips and alerts linked to a case, by their ids (checked to exist when linked).
create table case_links (
  case_id text not null references cases(id),
  kind text not null check (kind in ('incident', 'tip', 'alert')),
  ref text not null,
  linked_at timestamptz not null,
  linked_by text not null,
  primary key (case_id, kind, ref)
);

-- Camera views by the case or incident number their reason names (a case page, an incident's
-- views): typed by people, so compared without case.
create index audit_log_grant_reference on audit_log
  (upper(details->'reason'->>'reference'), id) where action = 'stream.grant';
