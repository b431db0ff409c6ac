-- A phone number belongs to one organization in a deployment: a carrier routes it to one place,
-- and two organizations dialing from it would each present the other's caller id.
--
-- Existing duplicates (possible before this migration) are resolved in favour of the organization
-- that registered the number first (earliest created_at, then lowest id): the later registrations
-- are deleted. Nothing references phone_numbers by key (calls keep their own copy of the number),
-- so no call history is lost; the organizations that lose a number must register another.
delete from phone_numbers p
where exists (
    select 1 from phone_numbers earlier
    where earlier.number = p.number
      and (earlier.created_at < p.created_at
           or (earlier.created_at = p.created_at and earlier.id < p.id)));

-- The per-organization constraint stays: it tells a repeat registration in the same organization
-- (PHONE_NUMBER_EXISTS) from one held elsewhere (NUMBER_ALREADY_REGISTERED).
create unique index phone_numbers_number_unique on phone_numbers (number);
