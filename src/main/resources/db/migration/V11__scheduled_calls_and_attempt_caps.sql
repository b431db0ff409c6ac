-- Scheduled calls (issue 10): schedule_at is when the client asked the call to start, latest_at when
-- it is canceled (end reason schedule_expired) if it has not started. A scheduled call waits in
-- status 'scheduled' with not_before set to when it is due; the dispatcher then queues it.
alter table calls add column schedule_at timestamp with time zone;
alter table calls add column latest_at timestamp with time zone;
create index calls_due_idx on calls (status, not_before);
create index calls_latest_idx on calls (status, latest_at);

-- Attempt caps count an organization's calls to one number: one index range per number.
create index calls_org_to_number_idx on calls (organization_id, to_number, created_at);
