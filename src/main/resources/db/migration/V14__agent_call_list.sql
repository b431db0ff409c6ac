-- GET /calls/agent/{agent_id}/calls pages by offset, newest first, within one agent of one
-- organization: this index serves that order (and its count), so skipping rows walks the index
-- instead of sorting the organization's calls.
create index calls_org_agent_created_idx on calls (organization_id, agent_id, created_at, id);
