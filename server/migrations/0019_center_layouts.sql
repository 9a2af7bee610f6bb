-- Wall layouts for the whole center, set by a supervisor and offered to every console beside
-- each user's own (wall_layouts).
create table center_layouts (
  name text primary key,
  layout jsonb not null,
  updated_at timestamptz not null,
  updated_by text not null references users(id)
);
