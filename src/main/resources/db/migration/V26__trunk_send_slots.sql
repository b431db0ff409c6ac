-- A trunk's send booking gets a row of its own. Booking a send (every paced dial, just before it
-- is sent) locked the trunk's pacing row, which each claim also holds while it picks and moves its
-- calls: on a busy trunk the bookings waited behind the claims, and a booking that waited long
-- enough made its dial late for its slot. next_send_at: the earliest moment the next dial on the
-- trunk may be sent (it moved here from trunk_pacing).
create table trunk_send_slots (
    trunk_id     uuid primary key references sip_trunks (id) on delete cascade,
    next_send_at timestamp with time zone
);

insert into trunk_send_slots (trunk_id, next_send_at)
select trunk_id, next_send_at from trunk_pacing;

alter table trunk_pacing drop column next_send_at;
