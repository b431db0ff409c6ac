package dev.dialplane.fakelivekit;

import com.google.protobuf.util.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import livekit.LivekitAgentDispatch.AgentDispatch;
import livekit.LivekitAgentDispatch.AgentDispatchState;
import livekit.LivekitAgentDispatch.CreateAgentDispatchRequest;
import livekit.LivekitAgentDispatch.DeleteAgentDispatchRequest;
import livekit.LivekitAgentDispatch.ListAgentDispatchRequest;
import livekit.LivekitAgentDispatch.ListAgentDispatchResponse;
import livekit.LivekitAgentDispatch.RoomAgentDispatch;
import livekit.LivekitEgress.EgressInfo;
import livekit.LivekitEgress.EgressStatus;
import livekit.LivekitEgress.FileInfo;
import livekit.LivekitEgress.ListEgressRequest;
import livekit.LivekitEgress.ListEgressResponse;
import livekit.LivekitEgress.RoomCompositeEgressRequest;
import livekit.LivekitEgress.StopEgressRequest;
import livekit.LivekitModels.DisconnectReason;
import livekit.LivekitModels.ParticipantInfo;
import livekit.LivekitModels.Room;
import livekit.LivekitRoom.CreateRoomRequest;
import livekit.LivekitRoom.ListRoomsRequest;
import livekit.LivekitRoom.ListRoomsResponse;
import livekit.LivekitSip.CreateSIPParticipantRequest;
import livekit.LivekitSip.SIPParticipantInfo;
import livekit.LivekitSip.TransferSIPParticipantRequest;
import livekit.LivekitWebhook.WebhookEvent;
import org.jspecify.annotations.Nullable;

/**
 * Rooms, participants, dials, dispatches and egresses, and the webhook events their changes cause. One lock guards it
 * all; nothing blocks or does I/O while holding it (webhook POSTs happen elsewhere).
 */
final class LiveKitState {

    /** The OSS bridge's default when ringing_timeout is unset (§1 field 11). */
    static final Duration DEFAULT_RINGING_TIMEOUT = Duration.ofMinutes(3);

    static final String DEFAULT_TRUNK_ADDRESS = "sip.carrier.example";
    static final String DEFAULT_TRUNK_NUMBER = "+15550100000";

    private record Trunk(String id, String address, List<String> numbers) {}

    private record ScriptEntry(DialScript script, RingingCall handle) {}

    private static final class RoomState {
        final String sid = Ids.next("RM_");
        final String name;
        final long createdMs = System.currentTimeMillis();
        int emptyTimeout = 300;
        int departureTimeout = 20;
        int maxParticipants;
        String metadata = "";
        final Map<String, ParticipantInfo> participants = new LinkedHashMap<>();
        final List<AgentDispatch> dispatches = new ArrayList<>();

        RoomState(String name) {
            this.name = name;
        }

        Room toProto() {
            return Room.newBuilder()
                    .setSid(sid)
                    .setName(name)
                    .setEmptyTimeout(emptyTimeout)
                    .setDepartureTimeout(departureTimeout)
                    .setMaxParticipants(maxParticipants)
                    .setCreationTime(createdMs / 1000)
                    .setCreationTimeMs(createdMs)
                    .setMetadata(metadata)
                    .setNumParticipants(participants.size())
                    .build();
        }
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final FakeWebhooks webhooks;
    private final ScheduledExecutorService timers;
    private final Map<String, RoomState> rooms = new LinkedHashMap<>();
    private final Map<String, Trunk> trunks = new LinkedHashMap<>();
    private final Map<String, ScriptEntry> scripts = new HashMap<>();
    /** Dials still ringing, by participant sid. */
    private final Map<String, DialCall> ringing = new HashMap<>();

    private final Map<String, EgressInfo> egresses = new LinkedHashMap<>();

    LiveKitState(FakeWebhooks webhooks, ScheduledExecutorService timers) {
        this.webhooks = webhooks;
        this.timers = timers;
    }

    // ---- test set-up -------------------------------------------------------------------------------------------

    RingingCall script(String number, DialScript script) {
        var handle = new RingingCall(this, number, script);
        lock.lock();
        try {
            scripts.put(number, new ScriptEntry(script, handle));
        } finally {
            lock.unlock();
        }
        return handle;
    }

    void registerTrunk(String id, String address, List<String> numbers) {
        lock.lock();
        try {
            trunks.put(id, new Trunk(id, address, List.copyOf(numbers)));
        } finally {
            lock.unlock();
        }
    }

    /** Ends ringing dials without touching anything else, then forgets everything. */
    void reset() {
        lock.lock();
        try {
            List.copyOf(ringing.values()).forEach(call -> finish(call, Outcome.cancelledByRoom("fake reset")));
            ringing.clear();
            rooms.clear();
            trunks.clear();
            scripts.clear();
            egresses.clear();
        } finally {
            lock.unlock();
        }
    }

    // ---- SIP ---------------------------------------------------------------------------------------------------

    /**
     * §1 and §3: validate, resolve the trunk, join the SIP participant to the room (creating it), ring, then either
     * settle at once (scripted outcome) or leave the call ringing for the test. With wait_until_answered the caller
     * blocks here until the outcome, the ringing timeout or {@code deadlineMs}, whichever comes first.
     */
    SIPParticipantInfo createSipParticipant(CreateSIPParticipantRequest req, long deadlineMs) {
        SipValidation.validateCreate(req);
        DialCall call;
        lock.lock();
        try {
            String trunkId = req.getSipTrunkId();
            String hostname;
            String fromNumber = req.getSipNumber();
            if (!trunkId.isEmpty()) {
                // A stored trunk takes precedence over an inline one (§1 field 1).
                Trunk trunk = trunks.get(trunkId);
                if (trunk == null) {
                    throw TwirpException.notFound("requested sip trunk does not exist");
                }
                hostname = trunk.address();
                if (fromNumber.isEmpty() && !trunk.numbers().isEmpty()) {
                    fromNumber = trunk.numbers()
                            .get(ThreadLocalRandom.current()
                                    .nextInt(trunk.numbers().size()));
                }
            } else if (req.hasTrunk()) {
                hostname = req.getTrunk().getHostname();
            } else {
                hostname = "";
            }
            if (fromNumber.isEmpty()) {
                throw TwirpException.failedPrecondition("no numbers on outbound trunk");
            }
            if (hostname.endsWith("twilio.com") && !fromNumber.startsWith("+")) {
                fromNumber = "+" + fromNumber;
            }

            ScriptEntry entry = scripts.get(req.getSipCallTo());
            DialScript script = entry == null ? DialScript.answer() : entry.script();
            RingingCall handle = entry == null ? null : entry.handle();
            if (handle != null && handle.isBound()) {
                handle = null;
                if (script.kind() == DialScript.Kind.HOLD) {
                    // A held script captures one dial; later dials of the number are simply answered.
                    script = DialScript.answer();
                }
            }
            if (script.kind() == DialScript.Kind.SYNC_ERROR) {
                if (handle != null) {
                    handle.bind(req, null);
                }
                throw script.syncError();
            }

            RoomState room = ensureRoom(req.getRoomName());
            String identity =
                    req.getParticipantIdentity().isEmpty() ? "sip_" + req.getSipCallTo() : req.getParticipantIdentity();
            ParticipantInfo previous = room.participants.get(identity);
            if (previous != null) {
                leave(room, previous, DisconnectReason.DUPLICATE_IDENTITY);
            }
            String callId = Ids.next("SCL_");
            var attributes = new LinkedHashMap<>(req.getParticipantAttributesMap());
            attributes.put("sip.callID", callId);
            if (!trunkId.isEmpty()) {
                attributes.put("sip.trunkID", trunkId);
            }
            if (!req.getHidePhoneNumber()) {
                attributes.put("sip.phoneNumber", req.getSipCallTo());
                if (!hostname.isEmpty()) {
                    attributes.put("sip.hostname", hostname);
                }
                attributes.put("sip.trunkPhoneNumber", fromNumber);
            }
            attributes.put("sip.callStatus", "dialing");
            long nowMs = System.currentTimeMillis();
            ParticipantInfo participant = ParticipantInfo.newBuilder()
                    .setSid(Ids.next("PA_"))
                    .setIdentity(identity)
                    // The bridge's WebRTC connection is up before the INVITE, so the participant is ACTIVE and
                    // participant_joined fires at dialing (§3.1 step 2, §4).
                    .setState(ParticipantInfo.State.ACTIVE)
                    .setJoinedAt(nowMs / 1000)
                    .setJoinedAtMs(nowMs)
                    .setName(req.getParticipantName())
                    .setMetadata(req.getParticipantMetadata())
                    .setVersion(1)
                    .setKind(ParticipantInfo.Kind.SIP)
                    .putAllAttributes(attributes)
                    .build();
            room.participants.put(identity, participant);
            emit("participant_joined", room, participant, null);
            setCallStatus(room, identity, "ringing");

            call = new DialCall(req, room.name, identity, participant.getSid(), callId);
            if (handle != null) {
                handle.bind(req, call);
            }
            if (script.kind() == DialScript.Kind.HOLD) {
                ringing.put(call.participantSid, call);
                long ringMs = req.hasRingingTimeout() && Durations.toMillis(req.getRingingTimeout()) > 0
                        ? Durations.toMillis(req.getRingingTimeout())
                        : DEFAULT_RINGING_TIMEOUT.toMillis();
                DialCall held = call;
                call.ringingTimer =
                        timers.schedule(() -> settle(held, Outcome.ringingTimeout()), ringMs, TimeUnit.MILLISECONDS);
            } else {
                // Settled before the response is written, so tests observe the outcome without waiting for it.
                settle(call, Outcome.of(script));
            }
        } finally {
            lock.unlock();
        }

        var info = SIPParticipantInfo.newBuilder()
                .setParticipantId(call.participantSid)
                .setParticipantIdentity(call.identity)
                .setRoomName(call.roomName)
                .setSipCallId(call.sipCallId)
                .build();
        if (!req.getWaitUntilAnswered()) {
            return info;
        }
        Outcome outcome = awaitOutcome(call, deadlineMs);
        if (outcome.error() != null) {
            throw outcome.error();
        }
        return info;
    }

    private Outcome awaitOutcome(DialCall call, long deadlineMs) {
        try {
            return call.outcome.get(deadlineMs, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            settle(call, Outcome.deadlineExceeded());
            return call.outcome.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            settle(call, Outcome.cancelledByRoom("server stopped"));
            return call.outcome.join();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Decides a dial once; later attempts (a timer racing the test, say) return false and change nothing. */
    boolean settle(DialCall call, Outcome outcome) {
        lock.lock();
        try {
            if (call.outcome.isDone()) {
                return false;
            }
            ringing.remove(call.participantSid);
            RoomState room = rooms.get(call.roomName);
            ParticipantInfo participant = room == null ? null : room.participants.get(call.identity);
            if (room != null && participant != null && participant.getSid().equals(call.participantSid)) {
                if (outcome.isAnswered()) {
                    setCallStatus(room, call.identity, "active");
                } else if (outcome.leaveReason() != null) {
                    // Failed calls never get a final sip.callStatus; the participant just leaves (§3.2).
                    leave(room, participant, outcome.leaveReason());
                    closeIfOnlyDependentsLeft(room);
                }
            }
            finish(call, outcome);
            return true;
        } finally {
            lock.unlock();
        }
    }

    void transfer(TransferSIPParticipantRequest req) {
        SipValidation.validateTransfer(req);
        lock.lock();
        try {
            RoomState room = rooms.get(req.getRoomName());
            ParticipantInfo participant = room == null ? null : room.participants.get(req.getParticipantIdentity());
            if (room == null || participant == null) {
                throw TwirpException.notFound("participant not found");
            }
            if (participant.getKind() != ParticipantInfo.Kind.SIP) {
                throw TwirpException.failedPrecondition("participant is not a SIP participant");
            }
            if (!"active".equals(participant.getAttributesMap().get("sip.callStatus"))) {
                throw TwirpException.failedPrecondition("can't transfer a call that is not active");
            }
            // After an accepted REFER the bridge hangs up its leg, so the participant leaves the room.
            setCallStatus(room, participant.getIdentity(), "hangup");
            leave(room, room.participants.get(participant.getIdentity()), DisconnectReason.CLIENT_INITIATED);
            closeIfOnlyDependentsLeft(room);
        } finally {
            lock.unlock();
        }
    }

    /** The callee hangs up answered calls: sip.callStatus hangup, participant_left CLIENT_INITIATED (§3.4). */
    void hangUpByCallee(String roomName) {
        lock.lock();
        try {
            RoomState room = rooms.get(roomName);
            if (room == null) {
                throw new IllegalStateException("no room " + roomName);
            }
            List<ParticipantInfo> answered = room.participants.values().stream()
                    .filter(p -> p.getKind() == ParticipantInfo.Kind.SIP)
                    .filter(p -> "active".equals(p.getAttributesMap().get("sip.callStatus")))
                    .toList();
            if (answered.isEmpty()) {
                throw new IllegalStateException("no answered SIP participant in room " + roomName
                        + "; a ringing call is ended with RingingCall.fail or ringingTimeout");
            }
            for (ParticipantInfo participant : answered) {
                setCallStatus(room, participant.getIdentity(), "hangup");
                leave(room, room.participants.get(participant.getIdentity()), DisconnectReason.CLIENT_INITIATED);
            }
            closeIfOnlyDependentsLeft(room);
        } finally {
            lock.unlock();
        }
    }

    // ---- RoomService -------------------------------------------------------------------------------------------

    Room createRoom(CreateRoomRequest req) {
        if (req.getName().isEmpty()) {
            throw TwirpException.invalidArgument("missing room name");
        }
        lock.lock();
        try {
            RoomState existing = rooms.get(req.getName());
            if (existing != null) {
                return existing.toProto();
            }
            RoomState room = new RoomState(req.getName());
            if (req.getEmptyTimeout() > 0) {
                room.emptyTimeout = req.getEmptyTimeout();
            }
            if (req.getDepartureTimeout() > 0) {
                room.departureTimeout = req.getDepartureTimeout();
            }
            room.maxParticipants = req.getMaxParticipants();
            room.metadata = req.getMetadata();
            rooms.put(room.name, room);
            emit("room_started", room, null, null);
            for (RoomAgentDispatch agent : req.getAgentsList()) {
                room.dispatches.add(newDispatch(
                        room.name, agent.getAgentName(), agent.getMetadata(), agent.getRestartPolicyValue()));
            }
            return room.toProto();
        } finally {
            lock.unlock();
        }
    }

    void deleteRoom(String roomName) {
        lock.lock();
        try {
            RoomState room = rooms.get(roomName);
            if (room == null) {
                throw TwirpException.notFound("room not found");
            }
            for (ParticipantInfo participant : List.copyOf(room.participants.values())) {
                leave(room, participant, DisconnectReason.ROOM_DELETED);
            }
            closeRoom(room);
        } finally {
            lock.unlock();
        }
    }

    ListRoomsResponse listRooms(ListRoomsRequest req) {
        lock.lock();
        try {
            var response = ListRoomsResponse.newBuilder();
            rooms.values().stream()
                    .filter(r -> req.getNamesCount() == 0 || req.getNamesList().contains(r.name))
                    .forEach(r -> response.addRooms(r.toProto()));
            return response.build();
        } finally {
            lock.unlock();
        }
    }

    List<ParticipantInfo> participants(String roomName) {
        lock.lock();
        try {
            RoomState room = rooms.get(roomName);
            return room == null ? List.of() : List.copyOf(room.participants.values());
        } finally {
            lock.unlock();
        }
    }

    ParticipantInfo participant(String roomName, String identity) {
        return findParticipant(roomName, identity).orElseThrow(() -> TwirpException.notFound("participant not found"));
    }

    Optional<ParticipantInfo> findParticipant(String roomName, String identity) {
        lock.lock();
        try {
            RoomState room = rooms.get(roomName);
            return Optional.ofNullable(room == null ? null : room.participants.get(identity));
        } finally {
            lock.unlock();
        }
    }

    void removeParticipant(String roomName, String identity) {
        lock.lock();
        try {
            RoomState room = rooms.get(roomName);
            ParticipantInfo participant = room == null ? null : room.participants.get(identity);
            if (room == null || participant == null) {
                throw TwirpException.notFound("participant not found");
            }
            leave(room, participant, DisconnectReason.PARTICIPANT_REMOVED);
            closeIfOnlyDependentsLeft(room);
        } finally {
            lock.unlock();
        }
    }

    List<Room> rooms() {
        lock.lock();
        try {
            return rooms.values().stream().map(RoomState::toProto).toList();
        } finally {
            lock.unlock();
        }
    }

    // ---- AgentDispatchService ----------------------------------------------------------------------------------

    /** Creates the room when it does not exist (§5), then records the dispatch. */
    AgentDispatch createDispatch(CreateAgentDispatchRequest req) {
        if (req.getRoom().isEmpty()) {
            throw TwirpException.invalidArgument("missing room name");
        }
        lock.lock();
        try {
            RoomState room = ensureRoom(req.getRoom());
            AgentDispatch dispatch =
                    newDispatch(room.name, req.getAgentName(), req.getMetadata(), req.getRestartPolicyValue());
            room.dispatches.add(dispatch);
            return dispatch;
        } finally {
            lock.unlock();
        }
    }

    AgentDispatch deleteDispatch(DeleteAgentDispatchRequest req) {
        lock.lock();
        try {
            RoomState room = rooms.get(req.getRoom());
            AgentDispatch found = room == null
                    ? null
                    : room.dispatches.stream()
                            .filter(d -> d.getId().equals(req.getDispatchId()))
                            .findFirst()
                            .orElse(null);
            if (room == null || found == null) {
                throw TwirpException.notFound("dispatch not found");
            }
            room.dispatches.remove(found);
            return found.toBuilder()
                    .setState(found.getState().toBuilder().setDeletedAt(System.currentTimeMillis() * 1_000_000))
                    .build();
        } finally {
            lock.unlock();
        }
    }

    ListAgentDispatchResponse listDispatch(ListAgentDispatchRequest req) {
        if (req.getRoom().isEmpty()) {
            throw TwirpException.invalidArgument("missing room name");
        }
        var response = ListAgentDispatchResponse.newBuilder();
        dispatches(req.getRoom()).stream()
                .filter(d -> req.getDispatchId().isEmpty() || d.getId().equals(req.getDispatchId()))
                .forEach(response::addAgentDispatches);
        return response.build();
    }

    List<AgentDispatch> dispatches(String roomName) {
        lock.lock();
        try {
            RoomState room = rooms.get(roomName);
            return room == null ? List.of() : List.copyOf(room.dispatches);
        } finally {
            lock.unlock();
        }
    }

    private static AgentDispatch newDispatch(String room, String agentName, String metadata, int restartPolicy) {
        return AgentDispatch.newBuilder()
                .setId(Ids.next("AD_"))
                .setAgentName(agentName)
                .setRoom(room)
                .setMetadata(metadata)
                .setRestartPolicyValue(restartPolicy)
                .setState(AgentDispatchState.newBuilder().setCreatedAt(System.currentTimeMillis() * 1_000_000))
                .build();
    }

    // ---- Egress ------------------------------------------------------------------------------------------------

    /** The room must already exist (§6), unlike for dials and dispatches. */
    EgressInfo startRoomCompositeEgress(RoomCompositeEgressRequest req) {
        lock.lock();
        try {
            RoomState room = rooms.get(req.getRoomName());
            if (room == null) {
                throw TwirpException.notFound("requested room does not exist");
            }
            EgressInfo info = EgressInfo.newBuilder()
                    .setEgressId(Ids.next("EG_"))
                    .setRoomId(room.sid)
                    .setRoomName(room.name)
                    .setStatus(EgressStatus.EGRESS_STARTING)
                    .setUpdatedAt(nowNanos())
                    .setRoomComposite(req)
                    .build();
            egresses.put(info.getEgressId(), info);
            emit("egress_started", null, null, info);
            return info;
        } finally {
            lock.unlock();
        }
    }

    EgressInfo stopEgress(StopEgressRequest req) {
        lock.lock();
        try {
            EgressInfo info = egresses.get(req.getEgressId());
            if (info == null) {
                throw TwirpException.notFound("egress not found");
            }
            if (isEnded(info)) {
                throw TwirpException.failedPrecondition("egress already ended");
            }
            EgressInfo ending = info.toBuilder()
                    .setStatus(EgressStatus.EGRESS_ENDING)
                    .setUpdatedAt(nowNanos())
                    .build();
            endEgress(ending);
            return ending;
        } finally {
            lock.unlock();
        }
    }

    ListEgressResponse listEgress(ListEgressRequest req) {
        var response = ListEgressResponse.newBuilder();
        egresses().stream()
                .filter(e -> req.getRoomName().isEmpty() || e.getRoomName().equals(req.getRoomName()))
                .filter(e -> req.getEgressId().isEmpty() || e.getEgressId().equals(req.getEgressId()))
                .filter(e -> !req.getActive() || !isEnded(e))
                .forEach(response::addItems);
        return response.build();
    }

    List<EgressInfo> egresses() {
        lock.lock();
        try {
            return List.copyOf(egresses.values());
        } finally {
            lock.unlock();
        }
    }

    private static boolean isEnded(EgressInfo info) {
        return switch (info.getStatus()) {
            case EGRESS_COMPLETE, EGRESS_FAILED, EGRESS_ABORTED, EGRESS_LIMIT_REACHED -> true;
            default -> false;
        };
    }

    private void endEgress(EgressInfo info) {
        long now = nowNanos();
        long started = info.getStartedAt() == 0 ? info.getUpdatedAt() : info.getStartedAt();
        EgressInfo.Builder ended = info.toBuilder()
                .setStatus(EgressStatus.EGRESS_COMPLETE)
                .setStartedAt(started)
                .setEndedAt(now)
                .setUpdatedAt(now);
        if (info.hasRoomComposite()) {
            info.getRoomComposite()
                    .getFileOutputsList()
                    .forEach(output -> ended.addFileResults(FileInfo.newBuilder()
                            .setFilename(output.getFilepath())
                            .setLocation(output.getFilepath())
                            .setStartedAt(started)
                            .setEndedAt(now)
                            .setDuration(now - started)));
        }
        EgressInfo result = ended.build();
        egresses.put(result.getEgressId(), result);
        emit("egress_ended", null, null, result);
    }

    // ---- webhooks ----------------------------------------------------------------------------------------------

    WebhookEvent emitRaw(WebhookEvent event) {
        return webhooks.enqueue(event);
    }

    private void emit(
            String event,
            @Nullable RoomState room,
            @Nullable ParticipantInfo participant,
            @Nullable EgressInfo egress) {
        WebhookEvent.Builder builder = WebhookEvent.newBuilder().setEvent(event);
        if (room != null) {
            builder.setRoom(room.toProto());
        }
        if (participant != null) {
            builder.setParticipant(participant);
        }
        if (egress != null) {
            builder.setEgressInfo(egress);
        }
        webhooks.enqueue(builder.build());
    }

    // ---- shared transitions ------------------------------------------------------------------------------------

    private RoomState ensureRoom(String name) {
        RoomState room = rooms.get(name);
        if (room == null) {
            room = new RoomState(name);
            rooms.put(name, room);
            emit("room_started", room, null, null);
        }
        return room;
    }

    private void setCallStatus(RoomState room, String identity, String status) {
        ParticipantInfo participant = room.participants.get(identity);
        if (participant != null) {
            room.participants.put(
                    identity,
                    participant.toBuilder()
                            .putAttributes("sip.callStatus", status)
                            .setVersion(participant.getVersion() + 1)
                            .build());
        }
    }

    /** Removes the participant, ends its dial if it was still ringing, and reports the departure. */
    private void leave(RoomState room, ParticipantInfo participant, DisconnectReason reason) {
        room.participants.remove(participant.getIdentity());
        DialCall call = ringing.remove(participant.getSid());
        if (call != null) {
            finish(call, Outcome.cancelledByRoom(reason.name()));
        }
        ParticipantInfo left = participant.toBuilder()
                .setState(ParticipantInfo.State.DISCONNECTED)
                .setDisconnectReason(reason)
                .build();
        // A participant that never became ACTIVE is reported as an aborted connection instead (§4).
        boolean wasActive = participant.getState() == ParticipantInfo.State.ACTIVE;
        emit(wasActive ? "participant_left" : "participant_connection_aborted", room, left, null);
    }

    /**
     * LiveKit closes a room once only dependent participants (agents, egress) remain, after departure_timeout
     * (§4); the fake does not wait out that timeout.
     */
    private void closeIfOnlyDependentsLeft(RoomState room) {
        if (rooms.get(room.name) != room) {
            return;
        }
        boolean onlyDependents = room.participants.values().stream()
                .allMatch(p -> p.getKind() == ParticipantInfo.Kind.AGENT || p.getKind() == ParticipantInfo.Kind.EGRESS);
        if (onlyDependents) {
            closeRoom(room);
        }
    }

    /** room_finished, then the room's composite egresses stop with it (§6). */
    private void closeRoom(RoomState room) {
        rooms.remove(room.name);
        emit("room_finished", room, null, null);
        for (EgressInfo egress : List.copyOf(egresses.values())) {
            if (egress.getRoomName().equals(room.name) && !isEnded(egress)) {
                endEgress(egress);
            }
        }
    }

    private static void finish(DialCall call, Outcome outcome) {
        if (call.ringingTimer != null) {
            call.ringingTimer.cancel(false);
        }
        call.outcome.complete(outcome);
    }

    private static long nowNanos() {
        return System.currentTimeMillis() * 1_000_000;
    }
}
