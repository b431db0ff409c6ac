-- Campaign drafts (stored, nothing dialed until started) and TalkifAI's batch jobs: a campaign
-- keeps the dialect it was created in, its description and the time zone its start was given in;
-- a contact keeps its name and custom fields (variables, JSON object text, passed to the agent in
-- the call's context) and what its batch job view shows of its last attempt.
alter table campaigns add column description varchar(1000);
alter table campaigns add column timezone varchar(64);
alter table campaigns add column dialect varchar(16) default 'mrassistant' not null;

alter table campaign_contacts add column name varchar(255);
alter table campaign_contacts add column variables text;
-- when its last attempt was placed, and when it reached its final status
alter table campaign_contacts add column last_attempt_at timestamp with time zone;
alter table campaign_contacts add column completed_at timestamp with time zone;
-- its last call's room (once dialed), SIP status code and answered seconds
alter table campaign_contacts add column last_room_name varchar(128);
alter table campaign_contacts add column last_sip_code integer;
alter table campaign_contacts add column last_call_seconds integer;
