-- Dispatch at carrier scale (issue 4): limits, the queue, pacing shared by every node, idempotency.

-- Carrier limits: calls started per second and simultaneous calls on a trunk (null: unlimited;
-- max_channels 0 pauses the trunk). An organization may be capped in live calls too.
alter table sip_trunks add column cps_limit integer;
-- A trunk with no organization is shared: the operator's carrier account, used by the phone numbers
-- of any organization, which then take turns on its limits.
alter table sip_trunks alter column organization_id drop not null;
alter table sip_trunks add column max_channels integer;
alter table organizations add column max_concurrent_calls integer;

-- The queue lives in the calls table. not_before: a retried call waits until then.
-- wait_deadline: a caller is waiting for this call; not dialed by then, it is canceled.
-- claimed_by / lease_until: the node that moved the call to dialing; dial_sent_at: when that node
-- sent the dial to LiveKit. A claim whose lease ran out with no dial sent goes back to the queue.
alter table calls add column not_before timestamp with time zone;
alter table calls add column wait_deadline timestamp with time zone;
alter table calls add column claimed_by varchar(80);
alter table calls add column lease_until timestamp with time zone;
alter table calls add column dial_sent_at timestamp with time zone;
alter table calls add column dial_attempts integer default 0 not null;
alter table calls add column priority_rank integer default 1 not null;
-- priority_rank: low 0, normal 1, high 2, urgent 3. The claim seeks trunk → organization →
-- highest priority → oldest, so every step is an index seek however long the queue is.
create index calls_queue_idx on calls (sip_trunk_id, status, organization_id, priority_rank desc, created_at, id);
create index calls_status_trunk_idx on calls (status, sip_trunk_id);
create index calls_lease_idx on calls (status, lease_until);

-- Pacing state of each trunk, shared by every node: claims on a trunk lock its row, so the limits
-- hold for the cluster. next_slot_at: the earliest moment the next dial may start (cps_limit).
-- rate_factor: the adaptive share of cps_limit in use after carrier capacity rejections.
-- paused_until: a trunk without cps_limit is paused this long after a capacity rejection.
create table trunk_pacing (
    trunk_id            uuid primary key references sip_trunks (id) on delete cascade,
    next_slot_at        timestamp with time zone,
    rate_factor         numeric(6, 4) default 1 not null,
    paused_until        timestamp with time zone,
    capacity_rejections integer default 0 not null,
    updated_at          timestamp with time zone not null
);

-- Which organization a trunk served last, so organizations sharing it take turns.
create table trunk_turns (
    trunk_id         uuid not null references sip_trunks (id) on delete cascade,
    organization_id  uuid not null references organizations (id),
    last_served_at   timestamp with time zone not null,
    primary key (trunk_id, organization_id)
);

-- Idempotency-Key: the first response to a key is kept 24 h and replayed for the same request.
create table idempotency_keys (
    organization_id  uuid          not null references organizations (id),
    idempotency_key  varchar(255)  not null,
    fingerprint      varchar(64)   not null,
    state            varchar(16)   not null,
    response_status  integer,
    response_type    varchar(120),
    response_body    varchar(65536),
    call_id          uuid,
    created_at       timestamp with time zone not null,
    expires_at       timestamp with time zone not null,
    primary key (organization_id, idempotency_key)
);
create index idempotency_keys_expiry_idx on idempotency_keys (expires_at);
