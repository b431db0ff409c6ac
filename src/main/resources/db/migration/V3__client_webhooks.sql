-- Client webhooks: the endpoints organizations register, the outbox of deliveries (one row per
-- endpoint per event, written in the transaction that produced the event) and every attempt.

-- Signing secrets are Tink AES-256-GCM ciphertexts (base64), bound to the endpoint id and column.
-- The previous secret is kept after a rotation so messages carry both signatures until it expires.
-- event_types: comma-separated event type names; null means every event type.
create table webhook_endpoints (
    id                          uuid primary key,
    organization_id             uuid          not null references organizations (id),
    url                         varchar(2048) not null,
    event_types                 varchar(400),
    enabled                     boolean       not null,
    description                 varchar(500),
    secret_ciphertext           varchar(512)  not null,
    previous_secret_ciphertext  varchar(512),
    previous_secret_expires_at  timestamp with time zone,
    created_at                  timestamp with time zone not null,
    updated_at                  timestamp with time zone not null
);
create index webhook_endpoints_org_idx on webhook_endpoints (organization_id, created_at, id);

-- status: pending | delivered | failed. A pending row is due when next_attempt_at has passed and no
-- worker holds its lease (locked_until in the future); a lease that ran out (the worker died while
-- sending) makes it due again. attempts counts every recorded attempt; retry_step is the position
-- in the retry schedule, reset by a redelivery. event_key ("call/<id>/<sequence>", ...) makes a
-- second delivery of one event to one endpoint impossible.
create table webhook_deliveries (
    id                uuid primary key,
    endpoint_id       uuid          not null references webhook_endpoints (id) on delete cascade,
    webhook_id        varchar(40)   not null,
    event_type        varchar(32)   not null,
    event_key         varchar(120)  not null,
    call_id           uuid,
    sequence          integer,
    payload           varchar(65536) not null,
    status            varchar(16)   not null,
    attempts          integer       not null,
    retry_step        integer       not null,
    next_attempt_at   timestamp with time zone,
    locked_until      timestamp with time zone,
    lease_token       uuid,
    last_status_code  integer,
    last_error        varchar(500),
    created_at        timestamp with time zone not null,
    delivered_at      timestamp with time zone,
    constraint webhook_deliveries_webhook_id_unique unique (webhook_id),
    constraint webhook_deliveries_event_unique unique (endpoint_id, event_key)
);
-- the worker's claim: pending rows by due time
create index webhook_deliveries_due_idx on webhook_deliveries (status, next_attempt_at);
-- the claim's per-call ordering check: an earlier event of the same call still pending
create index webhook_deliveries_call_idx on webhook_deliveries (call_id, endpoint_id, sequence);
-- the delivery log of one endpoint, newest first
create index webhook_deliveries_endpoint_idx on webhook_deliveries (endpoint_id, created_at, id);

create table webhook_attempts (
    delivery_id   uuid    not null references webhook_deliveries (id) on delete cascade,
    number        integer not null,
    attempted_at  timestamp with time zone not null,
    status_code   integer,
    error         varchar(500),
    duration_ms   integer not null,
    primary key (delivery_id, number)
);
