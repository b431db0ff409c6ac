-- Campaigns: a list of people to call with one agent, paced by the campaign's own concurrency cap.
-- Every call a campaign places is an ordinary call (calls table); a contact points at its latest.
create table campaigns (
    id                uuid         not null primary key,
    organization_id   uuid         not null references organizations (id),
    agent_id          uuid         not null,
    name              varchar(255) not null,
    status            varchar(16)  not null,
    schedule_at       timestamp with time zone,
    started_at        timestamp with time zone,
    completed_at      timestamp with time zone,
    concurrent_calls  integer      not null,
    retry_failed      boolean      not null,
    retry_attempts    integer      not null,
    context           text,
    status_reason     varchar(1000),
    created_at        timestamp with time zone not null,
    updated_at        timestamp with time zone not null
);
create index campaigns_org_created on campaigns (organization_id, created_at, id);
-- the driver's scan: running campaigns (few rows among many finished ones)
create index campaigns_status on campaigns (status, schedule_at);

create table campaign_contacts (
    id               uuid         not null primary key,
    campaign_id      uuid         not null references campaigns (id),
    organization_id  uuid         not null references organizations (id),
    row_number       integer      not null,
    to_number        varchar(16)  not null,
    from_number      varchar(16),
    context          text,
    status           varchar(16)  not null,
    attempts         integer      not null,
    last_call_id     uuid,
    next_attempt_at  timestamp with time zone,
    last_end_reason  varchar(64),
    last_error       varchar(1000),
    updated_at       timestamp with time zone not null,
    -- one number once per campaign
    constraint campaign_contacts_number_unique unique (campaign_id, to_number)
);
-- picking a campaign's due pending contacts in row order, and counting its contacts by status
create index campaign_contacts_pick on campaign_contacts (campaign_id, status, row_number);
-- housekeeping: contacts calling for long (an outcome not recorded)
create index campaign_contacts_status_updated on campaign_contacts (status, updated_at);
-- a call's outcome finds its contact
create index campaign_contacts_call on campaign_contacts (last_call_id);
