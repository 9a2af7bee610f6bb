-- The center's standard products (docs/products.md), kept with their case by number, and their
-- stills (the image bytes, as uploaded).

create table products (
  id text primary key,
  number text not null unique,
  kind text not null check (kind in ('assist_report', 'bulletin')),
  title text not null,
  case_number text,
  incident_id text references incidents(id),
  incident_number text,
  text text not null,
  author_id text,
  author_name text not null,
  created_at timestamptz not null,
  approved_at timestamptz,
  approved_by text,
  approved_by_name text,
  check (case_number is not null or incident_id is not null)
);
create index products_case on products (upper(case_number), created_at);
create index products_number_year on products (kind, number);

create table product_stills (
  id text primary key,
  product_id text not null references products(id),
  position integer not null,
  caption text not null,
  content_type text not null check (content_type in ('image/png', 'image/jpeg')),
  data bytea not null,
  unique (product_id, position)
);
