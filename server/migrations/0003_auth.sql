-- Sign-in: replay protection for one-time codes.

-- The time step (Unix seconds / 30) of the last accepted TOTP code. A code of that step or an
-- earlier one is refused, so a code read over someone's shoulder cannot be used a second time.
alter table users add column totp_last_step integer;
