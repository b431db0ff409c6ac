-- An in-flight Idempotency-Key belongs to a live request: its node renews owner_until while the
-- request runs, so a key whose node died is taken over by a retry instead of blocking it for 24 h.
alter table idempotency_keys add column owner_until timestamp with time zone;

-- The call a key's request stored, found again by a retry that takes the key over: one call per
-- key and organization, whichever node runs the request.
alter table calls add column idempotency_key varchar(255);
create unique index calls_idempotency_unique on calls (organization_id, idempotency_key);

-- Why a call was put back in the queue for a later attempt (carrier_capacity, livekit_unavailable):
-- a call whose time runs out before that attempt ends saying so, not as if someone canceled it.
alter table calls add column retry_reason varchar(32);
