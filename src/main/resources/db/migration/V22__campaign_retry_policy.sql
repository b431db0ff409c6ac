-- A campaign's retry policy: the outcomes it calls again (busy, no_answer, carrier_capacity,
-- machine_voicemail, comma-separated) and the waits after each attempt in seconds (the last
-- repeating). Null: the default (busy, no_answer, carrier_capacity; 5 then 30 minutes).
alter table campaigns add column retry_on varchar(100);
alter table campaigns add column retry_delays varchar(200);
