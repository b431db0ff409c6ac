-- Studio's trunk page counts each trunk's dials of the last minute every few seconds: a range on
-- the trunk's send stamps, not a scan of every call the trunk ever carried.
create index calls_trunk_dial_sent_idx on calls (sip_trunk_id, dial_sent_at);
