-- Call lifecycle: billing, recording, hang-up/transfer, LiveKit webhooks (issue 3).

-- Billing: each organization pays rate_per_minute per answered minute, billed per second.
-- credit.low fires once when the balance falls below low_credit_threshold; the flag re-arms on top-up.
alter table organizations add column rate_per_minute numeric(19, 4) default 0.1 not null;
alter table organizations add column low_credit_threshold numeric(19, 4) default 10 not null;
alter table organizations add column low_credit_notified boolean default false not null;
-- Credits held by live calls (the sum of their reserved_credits): available = credits - reserved.
alter table organizations add column reserved_credits numeric(19, 4) default 0 not null;

-- Recording can be switched on per agent, per caller number, or per call.
alter table agents add column record boolean default false not null;
alter table phone_numbers add column record boolean default false not null;

-- reserved_credits: the worst-case cost held while the call is live (rate × max duration);
-- cost: what the call was charged when it ended. max_end_at: when Dialplane ends the call itself.
alter table calls add column record boolean default false not null;
alter table calls add column reserved_credits numeric(19, 4) default 0 not null;
alter table calls add column cost numeric(19, 4);
alter table calls add column max_end_at timestamp with time zone;
alter table calls add column transfer_to varchar(300);
alter table calls add column recording_status varchar(16);
alter table calls add column egress_id varchar(64);
alter table calls add column recording_location varchar(1024);
alter table calls add column recording_error varchar(500);
alter table calls add column reconciled_at timestamp with time zone;
-- rate_per_minute: the organization's rate when the call was placed, so a rate change mid-call
-- does not reprice it. dial_deadline_at: by when the dialing node must have recorded the outcome;
-- a call still dialing after it lost its node and is settled by asking LiveKit.
alter table calls add column rate_per_minute numeric(19, 4) default 0 not null;
alter table calls add column dial_deadline_at timestamp with time zone;
-- Why Dialplane itself is ending the call (hang-up API, max duration), set before it deletes the
-- room, so the ROOM_DELETED webhook that follows is attributed to the right cause.
alter table calls add column end_requested varchar(40);
-- The SIP participant left before the dial's own answer was processed (a very short call).
alter table calls add column participant_left_at timestamp with time zone;
alter table calls add column disconnect_reason varchar(40);
create index calls_live_idx on calls (status, max_end_at);
create index calls_egress_idx on calls (egress_id);
create index calls_org_status_idx on calls (organization_id, status);

-- LiveKit webhook event ids already handled: LiveKit delivers at least once, sometimes twice.
create table livekit_webhook_events (
    id           varchar(100) primary key,
    event        varchar(40)  not null,
    room_name    varchar(128),
    received_at  timestamp with time zone not null
);
create index livekit_webhook_events_received_idx on livekit_webhook_events (received_at);
