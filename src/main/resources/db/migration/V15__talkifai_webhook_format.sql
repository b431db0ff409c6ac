-- A webhook endpoint's message format: 'standard' (Standard Webhooks, as before) or 'talkifai'
-- (TalkifAI's envelope and X-TalkifAI-Signature). Each delivery keeps the format its body was
-- written in, so changing an endpoint's format never signs a queued body the wrong way.
alter table webhook_endpoints add column format varchar(16) default 'standard' not null;
alter table webhook_deliveries add column format varchar(16) default 'standard' not null;
