-- Camera pulls (docs/pulls.md): an officer's radio request for footage, the cameras around it
-- as they were when selected, and every outcome each candidate had.

create sequence pull_numbers;

create table pulls (
  id text primary key,
  -- The center's number for the pull: the reference an owner-contact reveal names.
  number text not null unique default ('PULL-' || lpad(nextval('pull_numbers')::text, 6, '0')),
  requester_name text,
  requester_badge text,
  requester_unit text,
  -- The officer's console account (role officer), who then reads the pull in the console.
  requester_user_id text references users(id),
  -- Cases are keyed by their number (the cases module may not hold it yet).
  case_number text,
  incident_id text references incidents(id),
  lat double precision not null,
  lng double precision not null,
  address text,
  radius_m integer not null check (radius_m between 25 and 2000),
  window_start timestamptz not null,
  window_end timestamptz not null,
  look_for text not null,
  urgency text not null check (urgency in ('routine', 'priority', 'urgent')),
  status text not null check (status in ('open', 'in_progress', 'fulfilled', 'closed_unfulfilled')),
  assigned_to text not null references users(id),
  logged_by text references users(id),
  logged_by_name text not null,
  requested_at timestamptz not null,
  logged_at timestamptz not null,
  updated_at timestamptz not null,
  closed_at timestamptz,
  closing_note text,
  check (window_end > window_start),
  check (case_number is not null or incident_id is not null)
);
create index pulls_open on pulls (assigned_to, urgency) where status in ('open', 'in_progress');
create index pulls_requested on pulls (requested_at desc);
create index pulls_requester on pulls (requester_user_id, requested_at desc)
  where requester_user_id is not null;
create index pulls_case on pulls (upper(case_number)) where case_number is not null;

-- The cameras within the pull's radius, as they were when selected.
create table pull_candidates (
  pull_id text not null references pulls(id),
  camera_id text not null references cameras(id),
  kind text not null check (kind in ('registered', 'integrated', 'agency')),
  name text not null,
  lat double precision not null,
  lng double precision not null,
  address text,
  distance_m double precision not null,
  action text not null check (action in ('fetch_now', 'agency', 'contact_owner')),
  action_note text,
  has_owner_contact boolean not null,
  rank integer not null,
  in_radius boolean not null default true,
  outcome text not null default 'not_contacted'
    check (outcome in ('not_contacted', 'contacted', 'footage_obtained', 'no_footage', 'declined',
      'not_relevant')),
  outcome_at timestamptz,
  outcome_by text,
  primary key (pull_id, camera_id)
);

-- Every outcome a candidate had, appended only.
create table pull_candidate_outcomes (
  id bigserial primary key,
  pull_id text not null,
  camera_id text not null,
  outcome text not null,
  note text,
  at timestamptz not null,
  by_id text references users(id),
  by_name text not null,
  foreign key (pull_id, camera_id) references pull_candidates(pull_id, camera_id)
);
create index pull_candidate_outcomes_candidate on pull_candidate_outcomes (pull_id, camera_id, id);
