-- An organization's compliance policy. No row means the default: calling window 08:00-21:00 every
-- day in the callee's local time, no attempt cap, do-not-call list enforced. A row with a null
-- window_start is a window the operator turned off (recorded in compliance_policy_changes).
create table compliance_policies (
    organization_id  uuid primary key references organizations (id),
    window_start     varchar(5),
    window_end       varchar(5),
    window_days      varchar(64),
    max_per_24h      integer,
    max_per_7d       integer,
    dnc_enforced     boolean not null,
    updated_at       timestamp with time zone not null
);

-- Every change of a policy: when, by which API key (its shown prefix), the policy before and after
-- (as the API shows it, JSON text).
create table compliance_policy_changes (
    id               uuid primary key,
    organization_id  uuid          not null references organizations (id),
    created_at       timestamp with time zone not null,
    api_key_prefix   varchar(32),
    before_policy    varchar(1000) not null,
    after_policy     varchar(1000) not null
);
create index compliance_policy_changes_org on compliance_policy_changes (organization_id, created_at, id);

-- The callee's time zones (comma-separated IANA ids) and local time when the call was placed or
-- dialed; window_deferred_until: when the dispatcher last held the call for the callee's calling
-- window (the queue time limit counts from then, not from creation).
alter table calls add column callee_timezones varchar(2000);
alter table calls add column callee_local_time varchar(64);
alter table calls add column window_deferred_until timestamp with time zone;
