-- A temporary password is changed at the first sign-in (docs/users.md). The flag is set when the
-- server makes the password and cleared when the person chooses their own. Accounts that exist
-- before this migration keep the passwords they have.
alter table users add column password_must_change boolean not null default false;

-- A third kind of session: a correct password (and code) for an account whose password is
-- temporary reaches only the password change and sign-out until a new password is chosen.
alter table sessions drop constraint sessions_scope_check;
alter table sessions add constraint sessions_scope_check
  check (scope in ('full', 'enrolment', 'password_change'));
