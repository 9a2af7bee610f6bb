-- The agency's address points and named places (docs/address-points.md): what the console's
-- search finds when an analyst types a CAD address or a landmark, and drops a pin on.

create table address_points (
  id text primary key,
  -- The address as written, or a place's name when the place has no address.
  address text not null check (length(address) between 1 and 300),
  -- The address normalised (lower case, single spaces): one point per address, so that a file
  -- imported again updates what moved and repeats nothing.
  match_key text not null unique,
  -- Everything searchable, normalised: the place's name and the address.
  search_text text not null,
  place text check (place is null or length(place) between 1 and 200),
  kind text not null check (kind in ('address', 'place', 'intersection')),
  lat double precision not null check (lat between -90 and 90),
  lng double precision not null check (lng between -180 and 180),
  created_at timestamptz not null,
  updated_at timestamptz not null
);
-- Prefix matches come first, and are found in key order.
create index address_points_search on address_points (search_text text_pattern_ops);
