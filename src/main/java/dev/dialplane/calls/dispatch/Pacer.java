package dev.dialplane.calls.dispatch;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The arithmetic of a trunk's calls-per-second limit: which claims are allowed now, when a claimed
 * dial may be sent, and when the next may start. Pure and clock-free, so it is tested with any
 * sequence of instants.
 *
 * <p>Starts are spaced, not bucketed: a token bucket of size {@code cps} lets {@code 2 × cps}
 * starts into one second (a full bucket spent at its end, refilled and spent again). Here each
 * start books a slot and the next slot is one spacing later; old slots are given up, never caught
 * up in a burst. A dial reaches the carrier a little after its send slot (the claim check and the
 * request itself); as long as that lag varies by less than {@code tolerance} (a dial woken later
 * than that, {@link #onTime}, or held back that long before its request is written, which the
 * LiveKit client checks on the connection, is not sent but booked again), any {@code cps + 1}
 * consecutive starts span at least {@code cps × spacing − tolerance}, which with
 * {@code spacing = (1 s + tolerance) / cps} is one full second. No one-second window then holds
 * more than {@code cps} starts, at the price of the tolerance of throughput (about 4 % at the
 * default 40 ms, which absorbs a slow request, a pause of the JVM or LiveKit's own processing).
 */
final class Pacer {

    private Pacer() {}

    /**
     * @param slots the nominal start times granted, oldest first (all at or before {@code now} plus
     *     the grant's {@code ahead})
     * @param nextSlotAt when the following start may happen
     */
    record Grant(List<Instant> slots, @Nullable Instant nextSlotAt) {}

    /**
     * Grants up to {@code wanted} claims at {@code now}, at the pace their dials may be sent: the
     * slots up to {@code ahead} from now, so each claimed call is prepared by its slot. Granting
     * ahead moves claims earlier, never closer together: the claims keep the spacing, and the
     * sends, booked separately ({@link #sendSlot}), keep the limit.
     *
     * @param cpsLimit the carrier's limit; null means unlimited
     * @param rateFactor the adaptive share of the limit in use (1 normally, less after rejections)
     * @param nextSlotAt the booked next slot, or null when the trunk was idle
     */
    static Grant grant(
            @Nullable Integer cpsLimit,
            BigDecimal rateFactor,
            @Nullable Instant nextSlotAt,
            Instant now,
            int wanted,
            Duration tolerance,
            Duration ahead) {
        if (cpsLimit == null) {
            var slots = new ArrayList<Instant>(wanted);
            for (int i = 0; i < wanted; i++) {
                slots.add(now);
            }
            return new Grant(slots, null);
        }
        var spacing = spacing(cpsLimit, rateFactor, tolerance);
        var oldestAllowed = now.minus(tolerance);
        var cursor = nextSlotAt == null ? now : nextSlotAt.isBefore(oldestAllowed) ? oldestAllowed : nextSlotAt;
        var horizon = now.plus(ahead);
        var slots = new ArrayList<Instant>();
        while (slots.size() < wanted && !cursor.isAfter(horizon)) {
            slots.add(cursor);
            cursor = cursor.plus(spacing);
        }
        return new Grant(slots, slots.isEmpty() ? nextSlotAt : cursor);
    }

    /**
     * Where a trunk's claims go on from: its next claim slot, or its next free send slot when that
     * is later. Claims granted ahead keep a few prepared dials waiting for their send slots; a send
     * slot lost meanwhile (a dial woken late books the next free one) is never made up, so without
     * this the claims would run further ahead of the sends with every one, and the dials waiting
     * (each with its agent in the room) would pile up for as long as the campaign runs.
     */
    static @Nullable Instant claimCursor(@Nullable Instant nextSlotAt, @Nullable Instant nextSendAt) {
        if (nextSendAt == null || (nextSlotAt != null && !nextSendAt.isAfter(nextSlotAt))) {
            return nextSlotAt;
        }
        return nextSendAt;
    }

    /**
     * When a prepared dial may be sent: its trunk's next send slot, never in the past and never
     * during a pause. Sends on a trunk are booked one after another, each at least one spacing
     * after the previous, so the send times themselves keep the limit; a trunk idle for a while
     * starts at once and does not catch up.
     *
     * @param nextSendAt the trunk's booked next send slot, or null when it never sent
     * @param pausedUntil the end of a pause after a capacity rejection, or null
     */
    static Instant sendSlot(@Nullable Instant nextSendAt, @Nullable Instant pausedUntil, Instant now) {
        var slot = now;
        if (nextSendAt != null && nextSendAt.isAfter(slot)) {
            slot = nextSendAt;
        }
        if (pausedUntil != null && pausedUntil.isAfter(slot)) {
            slot = pausedUntil;
        }
        return slot;
    }

    /**
     * Whether a dial woken at {@code now} for its {@code slot} may still be sent: the spacing only
     * keeps any second within the limit while every send leaves within {@code tolerance} of its slot.
     */
    static boolean onTime(Instant slot, Instant now, Duration tolerance) {
        return !now.isAfter(slot.plus(tolerance));
    }

    static Duration spacing(int cpsLimit, BigDecimal rateFactor, Duration tolerance) {
        var perSecond = cpsLimit * rateFactor.doubleValue();
        var nanos = (1_000_000_000L + tolerance.toNanos()) / perSecond;
        return Duration.ofNanos((long) Math.ceil(nanos));
    }
}
