-- Saved wall layouts, per user.
create table wall_layouts (
  user_id text not null references users(id),
  name text not null,
  layout jsonb not null,
  updated_at timestamptz not null,
  primary key (user_id, name)
);
