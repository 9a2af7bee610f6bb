-- Camera administration (docs/cameras-admin.md): credentials sealed at rest, who keeps an
-- integrated camera's sharing policy, and the survivor a merged duplicate was retired into.

-- A source's secret parts (username, password, user:password@ in a URL, a token in its query)
-- sealed with AES-256-GCM under the camera key, which lives outside the database
-- (server/cameras/cameraSecrets.ts). `descriptor` keeps the source with those parts taken out.
-- Null: the source has no secret part. Rows written before this migration still hold their
-- credentials in `descriptor`; the server seals them when it opens the database
-- (server/cameras/sealCredentials.ts), since SQL alone cannot reach the key.
alter table camera_sources add column sealed text;
alter table camera_recording_sources add column sealed text;

-- 'agency': the center enters the policy the owner agreed to, and edits it. 'owner': the owner
-- keeps it themselves and the console shows it read-only. Every policy so far was entered by the
-- center, so existing cameras are the agency's to keep.
alter table cameras add column policy_keeper text not null default 'agency'
  check (policy_keeper in ('agency', 'owner'));

-- A duplicate merged into another entry is retired and points at the survivor.
alter table cameras add column merged_into text references cameras(id);
