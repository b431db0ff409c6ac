-- What the agent learned (POST /calls/{id}/outcome): the latest value of each reported field, one
-- row per call, kept apart from the calls row so a report never rewrites the call itself.
create table call_outcomes (
    call_id            uuid primary key references calls (id),
    answered_by        varchar(32),
    disposition        varchar(64),
    summary            varchar(4096),
    sentiment_score    double precision,
    language_detected  varchar(64),
    reported_at        timestamp with time zone not null
);

-- The call-scoped token the agent reports with, as the SHA-256 (hex) of the token sent in the
-- agent's dispatch metadata; the token itself is never stored. Replaced when the call is dialed
-- again (a capacity retry dispatches the agent anew). Valid until 24 h after the call ended.
create table call_report_tokens (
    call_id     uuid primary key references calls (id),
    token_hash  varchar(64) not null,
    issued_at   timestamp with time zone not null,
    constraint call_report_tokens_hash_unique unique (token_hash)
);

-- A call's history also keeps each outcome report, numbered with its state changes: event_type
-- says which kind an event is; outcome is the report's given fields as JSON.
alter table call_events add column event_type varchar(32) default 'status_changed' not null;
alter table call_events add column outcome varchar(16384);
