package dev.dialplane.livekit;

import com.google.protobuf.Duration;
import io.livekit.server.AccessToken;
import io.livekit.server.AgentDispatchService;
import io.livekit.server.EgressService;
import io.livekit.server.RoomAdmin;
import io.livekit.server.RoomCreate;
import io.livekit.server.RoomName;
import io.livekit.server.RoomRecord;
import io.livekit.server.RoomService;
import io.livekit.server.SIPCall;
import io.livekit.server.SipService;
import io.livekit.server.VideoGrant;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import livekit.LivekitAgentDispatch.CreateAgentDispatchRequest;
import livekit.LivekitEgress.AudioMixing;
import livekit.LivekitEgress.EncodedFileOutput;
import livekit.LivekitEgress.EncodedFileType;
import livekit.LivekitEgress.RoomCompositeEgressRequest;
import livekit.LivekitEgress.S3Upload;
import livekit.LivekitRoom.CreateRoomRequest;
import livekit.LivekitRoom.DeleteRoomRequest;
import livekit.LivekitRoom.RoomParticipantIdentity;
import livekit.LivekitSip.CreateSIPParticipantRequest;
import livekit.LivekitSip.SIPMediaEncryption;
import livekit.LivekitSip.SIPOutboundConfig;
import livekit.LivekitSip.SIPTransport;
import livekit.LivekitSip.TransferSIPParticipantRequest;
import okhttp3.ConnectionPool;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Response;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import retrofit2.Call;
import retrofit2.Retrofit;
import retrofit2.converter.protobuf.ProtoConverterFactory;

/**
 * LiveKit through the official server SDK's Retrofit services. The SDK's convenience clients lack
 * most CreateSIPParticipant fields (inline trunk, sip_number, attributes, timeouts, headers …), so
 * this builds the protobuf requests itself and signs each with only the grant that RPC needs.
 *
 * <p>Dials always wait for the answer. The OkHttp call timeout is set per request, longer than the
 * ringing timeout; an interceptor passes it on as {@code X-Twirp-Timeout-Ms} (a little shorter) so
 * LiveKit's server-side deadline, not its 80 s default, governs the dial (contract §2.6).
 */
class SdkLiveKitClient implements LiveKitClient {

    private static final Logger log = LoggerFactory.getLogger(SdkLiveKitClient.class);
    static final String TWIRP_TIMEOUT_HEADER = "X-Twirp-Timeout-Ms";
    private static final long TOKEN_TTL_MILLIS = TimeUnit.MINUTES.toMillis(10);
    private static final long CLIENT_SLACK_MILLIS = 3_000;
    static final int IDLE_CONNECTIONS = 64;
    private static final long DTMF_MILLIS_PER_SYMBOL = 500;

    private final LiveKitProperties properties;
    private final SipService sip;
    private final RoomService rooms;
    private final AgentDispatchService dispatch;
    private final EgressService egress;
    private final ConnectionPool pool;
    private final Clock clock;
    private final Map<String, Reusable> reusable = new ConcurrentHashMap<>();
    /** The dial being written on this thread, if paced: when it may be written at the latest. */
    private static final ThreadLocal<@Nullable Instant> SEND_BY = new ThreadLocal<>();

    SdkLiveKitClient(LiveKitProperties properties, Clock clock) {
        this.properties = properties;
        this.clock = clock;
        var unsent = new UnsentRequests();
        this.pool = new ConnectionPool(
                IDLE_CONNECTIONS, properties.idleConnectionTimeout().toMillis(), TimeUnit.MILLISECONDS);
        var http = new OkHttpClient.Builder()
                // OkHttp retries a request that got HTTP 408, and LiveKit answers a ringing timeout with
                // 408 (Twirp "canceled"): a retried CreateSIPParticipant rings the callee a second time.
                // Nothing sent to LiveKit is retried behind Dialplane's back.
                .retryOnConnectionFailure(false)
                // OkHttp keeps 5 idle connections by default; at dozens of dials a second every other
                // request would open a new one. Idle ones go before a server or proxy drops them.
                .connectionPool(pool)
                // what provably never reached LiveKit is sent again on another connection; nothing else is
                .eventListenerFactory(unsent.listeners())
                .addInterceptor(unsent::sendUntilReceived)
                .addNetworkInterceptor(unsent::refuseClosedConnection)
                // the last of the network interceptors: nothing stands between it and the write
                .addNetworkInterceptor(this::refuseLateSend)
                .connectTimeout(properties.connectTimeout())
                .readTimeout(java.time.Duration.ZERO)
                .writeTimeout(properties.requestTimeout())
                .callTimeout(properties.requestTimeout())
                .addInterceptor(SdkLiveKitClient::passDeadline)
                .build();
        var retrofit = new Retrofit.Builder()
                .baseUrl(httpUrl(properties.url()))
                .addConverterFactory(ProtoConverterFactory.create())
                .client(http)
                .build();
        this.sip = retrofit.create(SipService.class);
        this.dispatch = retrofit.create(AgentDispatchService.class);
        this.egress = retrofit.create(EgressService.class);
        // RoomService's calls here are idempotent (CreateRoom returns the existing room, DeleteRoom
        // and GetParticipant change nothing twice), so they may be resent when a pooled connection
        // turns out to have been closed by the server; a dial or a dispatch never is
        this.rooms = retrofit.newBuilder()
                .client(http.newBuilder().retryOnConnectionFailure(true).build())
                .build()
                .create(RoomService.class);
        warmUpDialPath();
    }

    /** Keep-alive connections to LiveKit now unused, kept for the next requests. */
    int idleConnections() {
        return pool.idleConnectionCount();
    }

    /**
     * Loads and links what a dial runs through (the SIP protobuf classes, Retrofit's parsing of the
     * method, token signing) without sending anything: done on the first real dial, it made that
     * dial reach LiveKit tens of milliseconds after its paced send slot.
     */
    private void warmUpDialPath() {
        var request = new SipDialRequest(
                "warm-up",
                "warm-up",
                "warm-up",
                Map.of("warm", "up"),
                "+12025550123",
                "+12025550100",
                new SipDialRequest.InlineTrunk("sip.invalid", "auto", "user", "password", "US"),
                false,
                "1",
                false,
                SipDialRequest.MediaEncryption.ALLOW,
                java.time.Duration.ofSeconds(1),
                java.time.Duration.ofSeconds(60),
                false,
                "warm-up",
                Map.of("X-Warm", "up"),
                null);
        sip.createSipParticipant(toProto(request), sipCallBearer()).request();
    }

    @Override
    public void createRoom(String roomName, String metadata) {
        var request = CreateRoomRequest.newBuilder()
                .setName(roomName)
                .setMetadata(metadata)
                // a room whose callee never joins should not linger for LiveKit's 5 minute default
                .setEmptyTimeout(60)
                .build();
        execute("CreateRoom", rooms.createRoom(request, roomCreateBearer()), properties.requestTimeout());
    }

    @Override
    public String dispatchAgent(String roomName, String agentName, String metadata) {
        var request = CreateAgentDispatchRequest.newBuilder()
                .setRoom(roomName)
                .setAgentName(agentName)
                .setMetadata(metadata)
                .build();
        var grants = List.<VideoGrant>of(new RoomAdmin(true), new RoomName(roomName));
        var dispatched = execute(
                "CreateDispatch", dispatch.createDispatch(request, bearer(grants, false)), properties.requestTimeout());
        return dispatched == null ? "" : dispatched.getId();
    }

    @Override
    public DialResult dial(SipDialRequest request, Runnable onRinging) {
        var watching = new AtomicBoolean(true);
        if (!properties.ringingPollInterval().isZero()) {
            Thread.ofVirtual()
                    .name("ringing-watch-" + request.roomName())
                    .start(() -> watchForRinging(request, watching, onRinging));
        }
        try {
            return dialAndWait(request);
        } finally {
            watching.set(false);
        }
    }

    private DialResult dialAndWait(SipDialRequest request) {
        var twirpDeadline =
                request.ringingTimeout().plusMillis(dtmfMillis(request.dtmf())).plus(properties.dialMargin());
        var call = sip.createSipParticipant(toProto(request), sipCallBearer());
        call.timeout().timeout(twirpDeadline.toMillis() + CLIENT_SLACK_MILLIS, TimeUnit.MILLISECONDS);
        SEND_BY.set(request.sendBy());
        try {
            var response = call.execute();
            if (response.isSuccessful() && response.body() != null) {
                var info = response.body();
                return new DialResult.Answered(
                        info.getParticipantId(), info.getParticipantIdentity(), info.getSipCallId());
            }
            return TwirpErrors.classify(response.code(), errorBody(response));
        } catch (UnsentRequests.NotReceived e) {
            // nothing reached LiveKit, so nobody was called: the dispatcher may try again later
            throw LiveKitException.nothingSent(TwirpErrors.trim("LiveKit is unreachable: " + e.getMessage()));
        } catch (InterruptedIOException e) {
            return new DialResult.Failed(
                    DialFailure.LIVEKIT_UNAVAILABLE,
                    null,
                    null,
                    "LiveKit did not answer the dial within "
                            + twirpDeadline.plusMillis(CLIENT_SLACK_MILLIS).toSeconds() + " s");
        } catch (IOException e) {
            return new DialResult.Failed(
                    DialFailure.LIVEKIT_UNAVAILABLE,
                    null,
                    null,
                    TwirpErrors.trim("LiveKit is unreachable: " + e.getMessage()));
        } finally {
            SEND_BY.remove();
        }
    }

    /**
     * A paced dial's last check, on the connection it is about to be written to: one held back past
     * its latest send time (a new connection, classes loaded cold, a pause) would reach the carrier
     * beside the next slot's dial, so it is refused unsent ({@link SendSlotMissed}).
     */
    private Response refuseLateSend(Interceptor.Chain chain) throws IOException {
        var sendBy = SEND_BY.get();
        if (sendBy != null) {
            var now = clock.instant();
            if (now.isAfter(sendBy)) {
                throw new SendSlotMissed(sendBy, now);
            }
        }
        return chain.proceed(chain.request());
    }

    /**
     * LiveKit emits no event when the callee's phone starts ringing; the SIP participant's
     * {@code sip.callStatus} attribute is the only signal (contract §3.2). It is read until it says
     * "ringing", the call is past ringing, or the dial has ended.
     */
    private void watchForRinging(SipDialRequest request, AtomicBoolean watching, Runnable onRinging) {
        try {
            while (watching.get()) {
                Thread.sleep(properties.ringingPollInterval());
                if (!watching.get()) {
                    return;
                }
                var state = sipParticipant(request.roomName(), request.participantIdentity());
                if (state.isEmpty()) {
                    continue; // not joined yet, or already gone: the dial's own result decides
                }
                if (state.get().callStatus().equals("ringing")) {
                    if (watching.get()) {
                        onRinging.run();
                    }
                    return;
                }
                if (!state.get().stillRinging()) {
                    return;
                }
            }
        } catch (LiveKitException e) {
            log.debug("Stopped watching {} for ringing: {}", request.roomName(), e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public Optional<SipParticipantState> sipParticipant(String roomName, String participantIdentity) {
        var request = RoomParticipantIdentity.newBuilder()
                .setRoom(roomName)
                .setIdentity(participantIdentity)
                .build();
        var call = rooms.getParticipant(request, bearer(List.of(new RoomAdmin(true), new RoomName(roomName)), false));
        call.timeout().timeout(properties.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
        try {
            var response = call.execute();
            if (response.isSuccessful() && response.body() != null) {
                return Optional.of(new SipParticipantState(
                        response.body().getAttributesMap().getOrDefault("sip.callStatus", "")));
            }
            var body = errorBody(response);
            if (TwirpErrors.isNotFound(response.code(), body)) {
                return Optional.empty();
            }
            var failure = TwirpErrors.classify(response.code(), body);
            throw new LiveKitException(failure.failure(), "GetParticipant failed: " + failure.message());
        } catch (IOException e) {
            throw unreachable("GetParticipant", e);
        }
    }

    @Override
    public String startRecording(String roomName, RecordingOutput output) {
        var file = EncodedFileOutput.newBuilder()
                .setFileType(EncodedFileType.OGG)
                .setFilepath(output.filepath())
                .setDisableManifest(true);
        if (output.s3() != null) {
            var s3 = output.s3();
            var upload = S3Upload.newBuilder()
                    .setBucket(s3.bucket())
                    .setRegion(s3.region())
                    .setAccessKey(s3.accessKey())
                    .setSecret(s3.secret())
                    .setForcePathStyle(s3.forcePathStyle());
            if (s3.endpoint() != null) {
                upload.setEndpoint(s3.endpoint());
            }
            file.setS3(upload);
        }
        var request = RoomCompositeEgressRequest.newBuilder()
                .setRoomName(roomName)
                .setAudioOnly(true)
                // agent on the left channel, the callee on the right
                .setAudioMixing(AudioMixing.DUAL_CHANNEL_AGENT)
                .addFileOutputs(file)
                .build();
        var info = execute(
                "StartRoomCompositeEgress",
                egress.startRoomCompositeEgress(request, bearer(List.of(new RoomRecord(true)), false)),
                properties.requestTimeout());
        return info == null ? "" : info.getEgressId();
    }

    @Override
    public void transfer(String roomName, String participantIdentity, String transferTo, boolean playDialtone) {
        var request = TransferSIPParticipantRequest.newBuilder()
                .setRoomName(roomName)
                .setParticipantIdentity(participantIdentity)
                .setTransferTo(transferTo)
                .setPlayDialtone(playDialtone)
                .build();
        var grants = List.<VideoGrant>of(new RoomAdmin(true), new RoomName(roomName));
        var call = sip.transferSipParticipant(request, bearer(grants, true));
        call.timeout().timeout(properties.transferTimeout().toMillis(), TimeUnit.MILLISECONDS);
        try {
            var response = call.execute();
            if (!response.isSuccessful()) {
                var failure = TwirpErrors.classify(response.code(), errorBody(response));
                throw new LiveKitException(failure.failure(), failure.sipStatusCode(), failure.message());
            }
        } catch (IOException e) {
            throw unreachable("TransferSIPParticipant", e);
        }
    }

    @Override
    public void deleteRoom(String roomName) {
        var request = DeleteRoomRequest.newBuilder().setRoom(roomName).build();
        var call = rooms.deleteRoom(request, roomCreateBearer());
        call.timeout().timeout(properties.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
        try {
            var response = call.execute();
            if (!response.isSuccessful()) {
                var body = errorBody(response);
                if (!TwirpErrors.isNotFound(response.code(), body)) {
                    var failure = TwirpErrors.classify(response.code(), body);
                    throw new LiveKitException(failure.failure(), "DeleteRoom failed: " + failure.message());
                }
            }
        } catch (IOException e) {
            throw unreachable("DeleteRoom", e);
        }
    }

    static CreateSIPParticipantRequest toProto(SipDialRequest request) {
        var builder = CreateSIPParticipantRequest.newBuilder()
                .setSipCallTo(request.toNumber())
                .setSipNumber(request.fromNumber())
                .setRoomName(request.roomName())
                .setParticipantIdentity(request.participantIdentity())
                .setParticipantName(request.participantName())
                .putAllParticipantAttributes(request.participantAttributes())
                .setKrispEnabled(request.krispEnabled())
                .setPlayDialtone(request.playDialtone())
                .setHidePhoneNumber(request.hidePhoneNumber())
                .setMediaEncryption(
                        switch (request.mediaEncryption()) {
                            case DISABLE -> SIPMediaEncryption.SIP_MEDIA_ENCRYPT_DISABLE;
                            case ALLOW -> SIPMediaEncryption.SIP_MEDIA_ENCRYPT_ALLOW;
                            case REQUIRE -> SIPMediaEncryption.SIP_MEDIA_ENCRYPT_REQUIRE;
                        })
                .setRingingTimeout(duration(request.ringingTimeout()))
                .setMaxCallDuration(duration(request.maxCallDuration()))
                .putAllHeaders(request.headers())
                .setWaitUntilAnswered(true);
        if (request.dtmf() != null) {
            // LiveKit takes the tone letters in lower case (contract §1, dtmf)
            builder.setDtmf(request.dtmf().toLowerCase(Locale.ROOT));
        }
        if (request.displayName() != null) {
            builder.setDisplayName(request.displayName());
        }
        switch (request.trunk()) {
            case SipDialRequest.StoredTrunk stored -> builder.setSipTrunkId(stored.livekitTrunkId());
            case SipDialRequest.InlineTrunk inline -> {
                var trunk = SIPOutboundConfig.newBuilder()
                        .setHostname(inline.hostname())
                        .setTransport(
                                switch (inline.transport()) {
                                    case "udp" -> SIPTransport.SIP_TRANSPORT_UDP;
                                    case "tcp" -> SIPTransport.SIP_TRANSPORT_TCP;
                                    case "tls" -> SIPTransport.SIP_TRANSPORT_TLS;
                                    default -> SIPTransport.SIP_TRANSPORT_AUTO;
                                });
                if (inline.username() != null) {
                    trunk.setAuthUsername(inline.username());
                }
                if (inline.password() != null) {
                    trunk.setAuthPassword(inline.password());
                }
                if (inline.destinationCountry() != null) {
                    trunk.setDestinationCountry(inline.destinationCountry());
                }
                builder.setTrunk(trunk);
            }
        }
        return builder.build();
    }

    private <T> @Nullable T execute(String operation, Call<T> call, java.time.Duration timeout) {
        call.timeout().timeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
        try {
            var response = call.execute();
            if (response.isSuccessful()) {
                return response.body();
            }
            var failure = TwirpErrors.classify(response.code(), errorBody(response));
            var kind = failure.failure() == DialFailure.LIVEKIT_UNAVAILABLE
                    ? DialFailure.LIVEKIT_UNAVAILABLE
                    : DialFailure.LIVEKIT_REJECTED;
            throw new LiveKitException(kind, operation + " failed: " + failure.message());
        } catch (IOException e) {
            throw unreachable(operation, e);
        }
    }

    private static LiveKitException unreachable(String operation, IOException e) {
        log.warn("LiveKit {} failed: {}", operation, e.toString());
        return new LiveKitException(
                DialFailure.LIVEKIT_UNAVAILABLE,
                TwirpErrors.trim(operation + " failed: LiveKit is unreachable: " + e.getMessage()));
    }

    /** For CreateRoom and DeleteRoom: {@code roomCreate}, for any room. */
    private String roomCreateBearer() {
        return reusableBearer("roomCreate", List.of(new RoomCreate(true)), false);
    }

    /** For CreateSIPParticipant: the SIP {@code call} grant, for any room. */
    private String sipCallBearer() {
        return reusableBearer("sipCall", List.of(), true);
    }

    /**
     * A bearer whose grants name no room, signed once and used until half its lifetime has passed:
     * each dial makes three such requests (CreateRoom, CreateSIPParticipant, DeleteRoom when the
     * call goes no further), and signing a token for every one of them was a tenth of a node's CPU
     * in the campaign benchmark. Tokens naming a room are still signed per request.
     */
    private String reusableBearer(String grants, List<VideoGrant> videoGrants, boolean sipCall) {
        var now = System.nanoTime();
        var cached = reusable.get(grants);
        if (cached != null && now - cached.renewAt() < 0) {
            return cached.header();
        }
        var fresh =
                new Reusable(bearer(videoGrants, sipCall), now + TimeUnit.MILLISECONDS.toNanos(TOKEN_TTL_MILLIS / 2));
        reusable.put(grants, fresh);
        return fresh.header();
    }

    /** A signed bearer header, and when (System.nanoTime) to sign a new one. */
    private record Reusable(String header, long renewAt) {}

    private String bearer(List<VideoGrant> videoGrants, boolean sipCall) {
        var token = new AccessToken(properties.apiKey(), properties.apiSecret());
        token.setTtl(TOKEN_TTL_MILLIS);
        token.addGrants(videoGrants);
        if (sipCall) {
            token.addSIPGrants(new SIPCall(true));
        }
        return "Bearer " + token.toJwt();
    }

    private static String errorBody(retrofit2.Response<?> response) throws IOException {
        try (var body = response.errorBody()) {
            return body == null ? "" : body.string();
        }
    }

    /** Hands the client's own deadline to LiveKit, a little shorter so LiveKit's answer still arrives. */
    private static Response passDeadline(Interceptor.Chain chain) throws IOException {
        var timeoutNanos = chain.call().timeout().timeoutNanos();
        var request = chain.request();
        if (timeoutNanos > 0) {
            var serverMillis = Math.max(1_000, TimeUnit.NANOSECONDS.toMillis(timeoutNanos) - CLIENT_SLACK_MILLIS);
            request = request.newBuilder()
                    .header(TWIRP_TIMEOUT_HEADER, Long.toString(serverMillis))
                    .build();
        }
        return chain.proceed(request);
    }

    private static long dtmfMillis(@Nullable String dtmf) {
        return dtmf == null ? 0 : dtmf.length() * DTMF_MILLIS_PER_SYMBOL;
    }

    private static Duration duration(java.time.Duration value) {
        return Duration.newBuilder()
                .setSeconds(value.getSeconds())
                .setNanos(value.getNano())
                .build();
    }

    static String httpUrl(@Nullable String url) {
        var value = url == null ? "" : url.strip();
        if (value.startsWith("wss://")) {
            value = "https://" + value.substring(6);
        } else if (value.startsWith("ws://")) {
            value = "http://" + value.substring(5);
        }
        return value.endsWith("/") ? value : value + "/";
    }
}
