-- A carrier counts calls per second by the INVITEs it receives, so dial starts are paced where the
-- dial is sent: after the room and agent are ready, which takes a different time for every call.
-- next_send_at: the earliest moment the next dial on the trunk may be sent (next_slot_at now only
-- paces claims, so calls are not claimed faster than they can be sent).
alter table trunk_pacing add column next_send_at timestamp with time zone;
