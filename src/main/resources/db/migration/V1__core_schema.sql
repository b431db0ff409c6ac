-- Dialplane core schema. Portable SQL: runs on PostgreSQL and on H2 in MODE=PostgreSQL.
-- Timestamps are "timestamp with time zone" and always written in UTC.

create table organizations (
    id          uuid primary key,
    name        varchar(200)   not null,
    credits     numeric(19, 4) not null,
    created_at  timestamp with time zone not null,
    updated_at  timestamp with time zone not null
);

-- Only a SHA-256 of each key is stored; the key itself is shown once, at creation.
create table api_keys (
    id               uuid primary key,
    organization_id  uuid          not null references organizations (id),
    name             varchar(200)  not null,
    prefix           varchar(16)   not null,
    key_hash         varchar(64)   not null,
    created_at       timestamp with time zone not null,
    last_used_at     timestamp with time zone,
    revoked_at       timestamp with time zone,
    constraint api_keys_hash_unique unique (key_hash)
);
create index api_keys_org_idx on api_keys (organization_id, created_at, id);

-- Every change of an organization's credits, so the balance can always be explained.
create table credit_ledger (
    id               uuid primary key,
    organization_id  uuid           not null references organizations (id),
    amount           numeric(19, 4) not null,
    balance_after    numeric(19, 4) not null,
    reason           varchar(40)    not null,
    call_id          uuid,
    created_at       timestamp with time zone not null
);
create index credit_ledger_org_idx on credit_ledger (organization_id, created_at, id);

create table agents (
    id                  uuid primary key,
    organization_id     uuid         not null references organizations (id),
    name                varchar(200) not null,
    architecture        varchar(16)  not null,
    livekit_agent_name  varchar(128),
    created_at          timestamp with time zone not null,
    updated_at          timestamp with time zone not null
);
create index agents_org_idx on agents (organization_id, created_at, id);

-- password_ciphertext: Tink AES-256-GCM, base64, bound to the trunk id as associated data.
create table sip_trunks (
    id                   uuid primary key,
    organization_id      uuid         not null references organizations (id),
    name                 varchar(200) not null,
    address              varchar(255),
    transport            varchar(8)   not null,
    username             varchar(128),
    password_ciphertext  varchar(1024),
    destination_country  varchar(2),
    livekit_trunk_id     varchar(64),
    created_at           timestamp with time zone not null,
    updated_at           timestamp with time zone not null
);
create index sip_trunks_org_idx on sip_trunks (organization_id, created_at, id);

-- The foreign keys make "delete a trunk or agent a number still uses" fail even under a race.
create table phone_numbers (
    id                 uuid primary key,
    organization_id    uuid        not null references organizations (id),
    number             varchar(16) not null,
    sip_trunk_id       uuid        not null references sip_trunks (id),
    outbound_agent_id  uuid references agents (id),
    inbound_agent_id   uuid references agents (id),
    created_at         timestamp with time zone not null,
    updated_at         timestamp with time zone not null,
    constraint phone_numbers_org_number_unique unique (organization_id, number)
);
create index phone_numbers_org_idx on phone_numbers (organization_id, created_at, id);
create index phone_numbers_trunk_idx on phone_numbers (sip_trunk_id);
create index phone_numbers_outbound_agent_idx on phone_numbers (outbound_agent_id);
create index phone_numbers_inbound_agent_idx on phone_numbers (inbound_agent_id);

-- A call keeps its own copy of what it was placed with (agent name, numbers, options), so history
-- stays true after the agent, number or trunk is changed or deleted.
create table calls (
    id                         uuid primary key,
    organization_id            uuid         not null references organizations (id),
    direction                  varchar(16)  not null,
    dialect                    varchar(16)  not null,
    agent_id                   uuid         not null,
    agent_name                 varchar(200) not null,
    livekit_agent_name         varchar(128),
    phone_number_id            uuid,
    sip_trunk_id               uuid,
    from_number                varchar(16)  not null,
    to_number                  varchar(16)  not null,
    room_name                  varchar(128) not null,
    status                     varchar(16)  not null,
    end_reason                 varchar(40),
    sip_status_code            integer,
    sip_status                 varchar(200),
    error_message              varchar(500),
    priority                   varchar(8)   not null,
    krisp_enabled              boolean      not null,
    wait_until_answered        boolean      not null,
    display_name               varchar(128),
    dtmf                       varchar(256),
    play_dialtone              boolean      not null,
    media_encryption           varchar(8)   not null,
    ringing_timeout_seconds    integer      not null,
    max_call_duration_seconds  integer      not null,
    hide_phone_number          boolean      not null,
    custom_headers             varchar(16384),
    context                    varchar(16384),
    participant_identity       varchar(128) not null,
    livekit_participant_id     varchar(64),
    livekit_sip_call_id        varchar(64),
    created_at                 timestamp with time zone not null,
    dialing_at                 timestamp with time zone,
    answered_at                timestamp with time zone,
    ended_at                   timestamp with time zone,
    updated_at                 timestamp with time zone not null,
    version                    integer      not null,
    constraint calls_room_name_unique unique (room_name)
);
create index calls_org_created_idx on calls (organization_id, created_at, id);
create index calls_status_idx on calls (status);

-- Every state change of a call, numbered per call: the call's replayable history.
create table call_events (
    call_id          uuid        not null references calls (id),
    sequence         integer     not null,
    status           varchar(16) not null,
    cause            varchar(500),
    sip_status_code  integer,
    occurred_at      timestamp with time zone not null,
    primary key (call_id, sequence)
);
