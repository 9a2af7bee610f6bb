-- Where a camera looks: bearing (degrees clockwise from true north), horizontal field of view and
-- useful range. Optional: most registry cameras do not have them (docs/docking.md).
alter table cameras add column bearing_deg double precision
  check (bearing_deg >= 0 and bearing_deg < 360);
alter table cameras add column fov_deg double precision check (fov_deg > 0 and fov_deg <= 360);
alter table cameras add column range_m double precision check (range_m > 0 and range_m <= 2000);
