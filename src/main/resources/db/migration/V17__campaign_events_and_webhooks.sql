-- Campaign events (issue 11): every change of a campaign's status, numbered per campaign, written
-- in the transaction that changed it. type: created | scheduled | started | paused | resumed |
-- completed | canceled; actor: api (a client's request) | dialplane (the driver, billing).
create table campaign_events (
    id               uuid         not null primary key,
    campaign_id      uuid         not null references campaigns (id),
    organization_id  uuid         not null references organizations (id),
    sequence         integer      not null,
    type             varchar(16)  not null,
    from_status      varchar(16),
    to_status        varchar(16)  not null,
    reason           varchar(1000) not null,
    actor            varchar(16)  not null,
    occurred_at      timestamp with time zone not null,
    -- the next number is max + 1 under the campaign's row lock; this makes a second one impossible
    constraint campaign_events_sequence_unique unique (campaign_id, sequence)
);

-- MrAssistant's per-campaign webhook: the campaign keeps its URL and whether each call's terminal
-- event is sent; the delivery side is an ordinary webhook endpoint owned by the campaign (its
-- secret encrypted like every endpoint's, its deliveries in the same outbox and log), hidden from
-- /webhook-endpoints.
alter table campaigns add column webhook_url varchar(2048);
alter table campaigns add column notify_on_call_complete boolean default false not null;
alter table webhook_endpoints add column campaign_id uuid references campaigns (id);
create index webhook_endpoints_campaign on webhook_endpoints (campaign_id);
