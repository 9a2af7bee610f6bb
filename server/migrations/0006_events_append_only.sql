-- The event log is part of the record: like audit_log, rows are only ever added. A console
-- resumes by event id, so an event edited or removed after delivery would tell two consoles two
-- different stories. Refused for every role, the owner included (docs/decisions/0004).
create function refuse_change_to_append_only() returns trigger language plpgsql as $$
begin
  raise exception '% is append-only: % is not allowed', tg_table_name, tg_op;
end;
$$;
create trigger events_no_update before update or delete on events
  for each row execute function refuse_change_to_append_only();
create trigger events_no_truncate before truncate on events
  for each statement execute function refuse_change_to_append_only();
