-- A grant's holder pulls the camera through the server's relay with a token bound to that grant
-- (docs/decisions/0016-camera-credentials-stay-in-the-server.md). Only the token's SHA-256 is kept:
-- a copy of the database does not let anyone pull a feed.
alter table camera_grants add column relay_token_sha256 text;
create unique index camera_grants_relay_token on camera_grants (relay_token_sha256)
  where relay_token_sha256 is not null;
