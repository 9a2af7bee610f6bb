-- How an online report's place was checked against the city limits (docs/online-reports.md,
-- "Where"): the reporter's latitude and longitude, the position of the address point its address
-- named, or not at all. A report kept before this was checked only when it had a latitude and a
-- longitude; one with an address alone is unverified, as is any row written without saying.
alter table online_reports add column location_check text not null default 'unverified';
update online_reports set location_check = 'coordinates' where lat is not null;
-- A checked place has a position; an unverified one has none.
alter table online_reports add constraint online_reports_location_check
  check (location_check in ('coordinates', 'address_point', 'unverified')
         and (location_check = 'unverified') = (lat is null));
