-- How many calls were placed for a contact, canceled ones included: each placement has an
-- idempotency key of its own (campaign:<contact>:<placement>), so a call canceled by a pause is
-- replaced by a new one on resume, while attempts counts only calls that could reach the callee.
alter table campaign_contacts add column placements integer not null default 0;
update campaign_contacts set placements = attempts;
