-- Sign-in hardening: mandatory second factor, enrolment codes, throttled failures
-- (docs/decisions/0019-mandatory-second-factor-and-throttled-sign-in.md).

-- What a session may do. 'full' is a complete sign-in; 'enrolment' is what a correct password
-- alone gets an account with no authenticator yet: it reaches the enrolment step and nothing
-- else. Sessions that exist before this migration were complete sign-ins. No default after
-- that: a session created without saying which it is fails instead of getting full access.
alter table sessions add column scope text not null default 'full'
  check (scope in ('full', 'enrolment'));
alter table sessions alter column scope drop default;

-- The one-time code an administrator hands a user so that they can enrol an authenticator.
-- Only its SHA-256 is kept (the code has 100 random bits, nothing to guess); one per user,
-- replaced when a new one is issued, deleted when used.
create table enrolment_codes (
  user_id text primary key references users(id),
  code_hash text not null unique,
  created_at timestamptz not null,
  expires_at timestamptz not null
);

-- When an administrator last lifted a lockout. The sign-in throttle of every server process
-- reads it, so an unlock made from the command line takes effect at once there too.
alter table users add column unlocked_at timestamptz;
