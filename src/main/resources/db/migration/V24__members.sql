-- Studio's people: who signs in to an organization's web console, and with which role. Sign-in
-- finds a member by email alone, so an address is one member across all organizations.
create table members (
    id               uuid primary key,
    organization_id  uuid          not null references organizations (id),
    email            varchar(254)  not null,
    -- the address lower-cased (portable: H2 has no index on an expression): unique case-insensitively
    email_key        varchar(254)  not null,
    -- Spring Security's encoded form ({bcrypt}$2a$10$...)
    password_hash    varchar(100)  not null,
    role             varchar(16)   not null,
    created_at       timestamp with time zone not null,
    last_sign_in_at  timestamp with time zone,
    constraint members_email_unique unique (email_key),
    constraint members_role_check check (role in ('owner', 'admin', 'viewer'))
);
create index members_org_idx on members (organization_id, created_at, id);
