-- An organization's do-not-call list: one row per number (E.164). "Is this number listed" is one
-- probe of the primary key, however long the list. id only orders the list's pages (keyset paging
-- by created_at, id, like every other list).
create table dnc_entries (
    organization_id  uuid         not null references organizations (id),
    number           varchar(16)  not null,
    id               uuid         not null,
    reason           varchar(255),
    source           varchar(16)  not null,
    created_at       timestamp with time zone not null,
    primary key (organization_id, number)
);
create index dnc_entries_org_created on dnc_entries (organization_id, created_at, id);

-- Listing a number cancels its organization's calls to it that have not started: found with one
-- probe per number of calls_org_to_number_idx (organization_id, to_number, created_at), created by
-- V11 for the attempt caps.
