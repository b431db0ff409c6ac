package dev.dialplane.livekit;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A simulated LiveKit and carrier for sandbox mode. Magic destination numbers produce each outcome
 * with the SIP status LiveKit would report; every other valid number answers after
 * {@link SandboxProperties#ringTime()} and hangs up after {@link SandboxProperties#talkTime()}.
 * What LiveKit would send as webhooks (participant left, room finished, recording ended) goes
 * through the same {@link LiveKitEventIntake}. The list is in the README ("Sandbox magic numbers").
 */
class SandboxCarrier implements LiveKitClient {

    private static final Logger log = LoggerFactory.getLogger(SandboxCarrier.class);

    /** Destination → outcome. Kept in the 555-01xx range, reserved for fiction. */
    static final Map<String, DialResult.Failed> MAGIC_NUMBERS = Map.of(
            "+12025550101", failed(DialFailure.BUSY, 486, "Busy Here"),
            "+12025550102", failed(DialFailure.NO_ANSWER, null, null),
            "+12025550103", failed(DialFailure.DECLINED, 603, "Decline"),
            "+12025550104", failed(DialFailure.INVALID_NUMBER, 404, "Not Found"),
            "+12025550105", failed(DialFailure.CARRIER_ERROR, 500, "Server Internal Error"),
            "+12025550106", failed(DialFailure.TRUNK_AUTH_FAILED, 403, "Forbidden"),
            "+12025550107", failed(DialFailure.LIVEKIT_UNAVAILABLE, null, null),
            "+12025550108", failed(DialFailure.CARRIER_CAPACITY, 503, "CPS limit exceeded"));

    private final SandboxProperties properties;
    private final LiveKitEventIntake intake;
    private final Clock clock;
    private final Map<String, Room> rooms = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(
            Thread.ofVirtual().name("sandbox-carrier").factory());

    SandboxCarrier(SandboxProperties properties, LiveKitEventIntake intake, Clock clock) {
        this.properties = properties;
        this.intake = intake;
        this.clock = clock;
    }

    /** One simulated room: its ringing phone, its answered callee, its recording. */
    private static final class Room {
        final CountDownLatch deleted = new CountDownLatch(1);
        volatile @Nullable String identity;
        volatile boolean ringing;
        volatile boolean answered;
        volatile boolean ended;
        volatile @Nullable String egressId;
        volatile @Nullable String recordingPath;
        volatile @Nullable ScheduledFuture<?> hangUp;
    }

    @Override
    public void createRoom(String roomName, String metadata) {
        rooms.putIfAbsent(roomName, new Room());
    }

    @Override
    public String dispatchAgent(String roomName, String agentName, String metadata) {
        rooms.putIfAbsent(roomName, new Room());
        return "AD_sandbox_" + shortId();
    }

    @Override
    public String startRecording(String roomName, RecordingOutput output) {
        var room = rooms.computeIfAbsent(roomName, name -> new Room());
        room.egressId = "EG_sandbox_" + shortId();
        room.recordingPath = output.filepath();
        return room.egressId;
    }

    @Override
    public DialResult dial(SipDialRequest request, Runnable onRinging) {
        var scripted = MAGIC_NUMBERS.get(request.toNumber());
        var room = rooms.computeIfAbsent(request.roomName(), name -> new Room());
        room.identity = request.participantIdentity();
        if (scripted != null && scripted.failure() == DialFailure.LIVEKIT_UNAVAILABLE) {
            return new DialResult.Failed(
                    DialFailure.LIVEKIT_UNAVAILABLE,
                    null,
                    null,
                    "sandbox: simulated LiveKit outage (no response from servers)");
        }
        if (scripted != null && scripted.failure() == DialFailure.CARRIER_CAPACITY) {
            // a carrier over its CPS refuses the INVITE itself: no phone rings
            return new DialResult.Failed(
                    scripted.failure(),
                    scripted.sipStatusCode(),
                    scripted.sipStatus(),
                    "sandbox: " + scripted.message());
        }
        var noAnswer = scripted != null && scripted.failure() == DialFailure.NO_ANSWER;
        var ringing = noAnswer || properties.ringTime().compareTo(request.ringingTimeout()) > 0
                ? request.ringingTimeout()
                : properties.ringTime();
        room.ringing = true;
        onRinging.run();
        try {
            if (room.deleted.await(ringing.toMillis(), TimeUnit.MILLISECONDS)) {
                return new DialResult.Failed(
                        DialFailure.NO_ANSWER, 487, "Request Terminated", "sandbox: room deleted while ringing");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new DialResult.Failed(DialFailure.LIVEKIT_UNAVAILABLE, null, null, "sandbox: dial interrupted");
        } finally {
            room.ringing = false;
        }
        if (noAnswer || (scripted == null && properties.ringTime().compareTo(request.ringingTimeout()) > 0)) {
            endRecording(request.roomName(), room);
            return new DialResult.Failed(
                    DialFailure.NO_ANSWER, null, null, "sandbox: sip request timed out (ringing timeout)");
        }
        if (scripted != null) {
            endRecording(request.roomName(), room);
            return new DialResult.Failed(
                    scripted.failure(),
                    scripted.sipStatusCode(),
                    scripted.sipStatus(),
                    "sandbox: " + scripted.message());
        }
        room.answered = true;
        room.hangUp = timers.schedule(
                () -> end(request.roomName(), room, "CLIENT_INITIATED"),
                properties.talkTime().toMillis(),
                TimeUnit.MILLISECONDS);
        log.info("Sandbox call answered in room {}", request.roomName());
        var suffix = shortId();
        return new DialResult.Answered("PA_" + suffix, request.participantIdentity(), "SCL_" + suffix);
    }

    @Override
    public Optional<SipParticipantState> sipParticipant(String roomName, String participantIdentity) {
        var room = rooms.get(roomName);
        if (room == null || room.ended || !participantIdentity.equals(room.identity)) {
            return Optional.empty();
        }
        if (room.answered) {
            return Optional.of(new SipParticipantState("active"));
        }
        return room.ringing ? Optional.of(new SipParticipantState("ringing")) : Optional.empty();
    }

    @Override
    public void transfer(String roomName, String participantIdentity, String transferTo, boolean playDialtone) {
        var room = rooms.get(roomName);
        if (room == null || !room.answered || room.ended || !participantIdentity.equals(room.identity)) {
            throw new LiveKitException(DialFailure.LIVEKIT_REJECTED, "sandbox: participant not found");
        }
        var target = transferTo.startsWith("tel:") ? transferTo.substring(4) : transferTo;
        var scripted = MAGIC_NUMBERS.get(target);
        if (scripted != null && scripted.sipStatusCode() != null) {
            throw new LiveKitException(
                    scripted.failure(),
                    scripted.sipStatusCode(),
                    "sandbox: transfer target answered " + scripted.sipStatusCode());
        }
        // after an accepted REFER the bridge hangs up the callee's leg, as LiveKit does
        timers.execute(() -> end(roomName, room, "CLIENT_INITIATED"));
    }

    @Override
    public void deleteRoom(String roomName) {
        var room = rooms.get(roomName);
        if (room == null) {
            return;
        }
        room.deleted.countDown();
        if (room.answered) {
            end(roomName, room, "ROOM_DELETED");
        } else {
            rooms.remove(roomName);
        }
    }

    /** The callee's leg ends: what LiveKit would report by webhook, in LiveKit's order. */
    private void end(String roomName, Room room, String reason) {
        synchronized (room) {
            if (room.ended) {
                return;
            }
            room.ended = true;
        }
        var hangUp = room.hangUp;
        if (hangUp != null) {
            hangUp.cancel(false);
        }
        var now = clock.instant();
        intake.accept(new LiveKitEvent.ParticipantLeft(
                eventId(), now, roomName, room.identity == null ? "" : room.identity, true, Map.of(), reason, false));
        endRecording(roomName, room);
        intake.accept(new LiveKitEvent.RoomFinished(eventId(), now, roomName));
        rooms.remove(roomName);
    }

    private void endRecording(String roomName, Room room) {
        var egressId = room.egressId;
        if (egressId != null) {
            room.egressId = null;
            intake.accept(new LiveKitEvent.EgressChanged(
                    eventId(),
                    clock.instant(),
                    roomName,
                    egressId,
                    LiveKitEvent.EgressState.COMPLETE,
                    "sandbox://" + room.recordingPath,
                    null));
        }
    }

    private static String eventId() {
        return "EV_sandbox_" + UUID.randomUUID();
    }

    private static String shortId() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    private static DialResult.Failed failed(DialFailure failure, @Nullable Integer sipCode, @Nullable String phrase) {
        var message = sipCode == null
                ? failure.name().toLowerCase(java.util.Locale.ROOT)
                : "INVITE failed: sip status: " + sipCode + " (" + phrase + ")";
        return new DialResult.Failed(failure, sipCode, phrase, message);
    }
}
