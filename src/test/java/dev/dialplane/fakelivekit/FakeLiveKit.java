package dev.dialplane.fakelivekit;

import com.google.protobuf.Empty;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import livekit.LivekitAgentDispatch.AgentDispatch;
import livekit.LivekitAgentDispatch.CreateAgentDispatchRequest;
import livekit.LivekitAgentDispatch.DeleteAgentDispatchRequest;
import livekit.LivekitAgentDispatch.ListAgentDispatchRequest;
import livekit.LivekitEgress.EgressInfo;
import livekit.LivekitEgress.ListEgressRequest;
import livekit.LivekitEgress.RoomCompositeEgressRequest;
import livekit.LivekitEgress.StopEgressRequest;
import livekit.LivekitModels.ParticipantInfo;
import livekit.LivekitModels.Room;
import livekit.LivekitRoom.CreateRoomRequest;
import livekit.LivekitRoom.DeleteRoomRequest;
import livekit.LivekitRoom.DeleteRoomResponse;
import livekit.LivekitRoom.ListParticipantsRequest;
import livekit.LivekitRoom.ListParticipantsResponse;
import livekit.LivekitRoom.ListRoomsRequest;
import livekit.LivekitRoom.RemoveParticipantResponse;
import livekit.LivekitRoom.RoomParticipantIdentity;
import livekit.LivekitSip.CreateSIPParticipantRequest;
import livekit.LivekitSip.TransferSIPParticipantRequest;
import livekit.LivekitWebhook.WebhookEvent;
import org.jspecify.annotations.Nullable;

/**
 * A LiveKit server on 127.0.0.1 that speaks LiveKit's wire contract (Twirp over HTTP, JWT auth, signed webhooks) for
 * the RPCs an outbound-calling service uses, with dial outcomes scripted per callee number. See
 * {@code /work/shared/reference/livekit-contract.md}; section numbers in comments refer to it.
 *
 * <pre>{@code
 * try (var fake = FakeLiveKit.start()) {
 *     fake.registerTrunk("ST_abc");
 *     fake.onDial("+12025550101", DialScript.sipFailure(486, "Busy Here"));
 *     // point the client at fake.url(), fake.apiKey(), fake.apiSecret()
 * }
 * }</pre>
 */
public final class FakeLiveKit implements AutoCloseable {

    public static final String DEFAULT_API_KEY = "devkey";

    private static final ThreadLocal<Instant> READABLE_AT = new ThreadLocal<>();

    static {
        // LiveKit's Go HTTP server keeps every keep-alive connection a client leaves idle; the JDK
        // server closes those beyond 200 the moment they go idle, which no real LiveKit does
        System.setProperty("sun.net.httpserver.maxIdleConnections", "100000");
    }

    /** Without X-Twirp-Timeout-Ms the server gives the SIP RPC 30 s, or 80 s with wait_until_answered (§2.6). */
    static final Duration SIP_RPC_TIMEOUT = Duration.ofSeconds(30);

    static final Duration SIP_RPC_TIMEOUT_WAITING = Duration.ofSeconds(80);

    private static final JsonFormat.Printer RESPONSE_PRINTER = JsonFormat.printer()
            .preservingProtoFieldNames()
            .alwaysPrintFieldsWithNoPresence()
            .omittingInsignificantWhitespace();
    private static final JsonFormat.Parser REQUEST_PARSER = JsonFormat.parser().ignoringUnknownFields();

    private final String apiKey;
    private final String apiSecret;
    private final HttpServer server;
    private final ExecutorService httpExecutor;
    private final ScheduledExecutorService timers;
    private final FakeWebhooks webhooks;
    private final LiveKitState state;
    private final RequestLog log = new RequestLog();
    private final Map<String, Route> routes = new LinkedHashMap<>();
    private final Map<String, Deque<TwirpException>> failures = new ConcurrentHashMap<>();
    private final Map<String, Deque<Duration>> delays = new ConcurrentHashMap<>();
    private final Map<String, Gate> gates = new ConcurrentHashMap<>();

    private FakeLiveKit(String apiKey, String apiSecret) throws IOException {
        this.apiKey = apiKey;
        this.apiSecret = apiSecret;
        this.timers = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("fake-livekit-timers").factory());
        this.webhooks = new FakeWebhooks(apiKey, apiSecret);
        this.state = new LiveKitState(webhooks, timers);
        registerRoutes();
        this.httpExecutor = Executors.newVirtualThreadPerTaskExecutor();
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        // A request's arrival is stamped on the server's dispatcher thread, the moment its connection
        // turns readable and is handed over, not later in the handler's virtual thread: on a busy
        // 2-CPU machine those handlers started up to hundreds of milliseconds late, and dials that
        // reached the socket 50 ms apart were stamped within a few milliseconds of each other (a
        // packet capture beside the campaign benchmark showed it). Any thread of this process can
        // still be scheduled late on a loaded machine (a platform thread relaying the socket was, by
        // up to 50 ms), so a count per second near a limit is checked against a capture (README).
        server.setExecutor(exchange -> {
            Instant readableAt = Instant.now();
            httpExecutor.execute(() -> {
                READABLE_AT.set(readableAt); // each exchange runs in a thread of its own
                exchange.run();
            });
        });
        server.createContext("/", this::handle);
        server.start();
    }

    /** Starts on a random port with API key {@value #DEFAULT_API_KEY} and a random 48-character secret. */
    public static FakeLiveKit start() {
        return start(DEFAULT_API_KEY, Ids.random(48));
    }

    public static FakeLiveKit start(String apiKey, String apiSecret) {
        try {
            return new FakeLiveKit(apiKey, apiSecret);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code http://127.0.0.1:<port>}, the value for the LiveKit URL setting. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public String apiKey() {
        return apiKey;
    }

    public String apiSecret() {
        return apiSecret;
    }

    /** Ends ringing dials, then stops the server and the webhook sender. */
    @Override
    public void close() {
        state.reset();
        server.stop(0);
        httpExecutor.shutdownNow();
        timers.shutdownNow();
        webhooks.close();
    }

    /**
     * Forgets rooms, trunks, dial scripts, pending failures, requests and webhook events, and ends any dial still
     * ringing (its blocked request gets canceled). Keeps the port, credentials and webhook target; webhook delivery
     * goes back to manual and signing back to the API secret.
     */
    public void reset() {
        state.reset();
        failures.clear();
        delays.clear();
        gates.values().forEach(Gate::open);
        gates.clear();
        log.clear();
        webhooks.reset();
    }

    // ---- scripting ---------------------------------------------------------------------------------------------

    /**
     * Decides what happens when CreateSIPParticipant dials {@code sipCallTo} (exact string match). Unscripted numbers
     * are answered. The returned handle follows the first dial of the number from now on; for
     * {@link DialScript#holdUntilReleased()} it is how the test ends that call.
     */
    public RingingCall onDial(String sipCallTo, DialScript script) {
        return state.script(sipCallTo, script);
    }

    /**
     * Makes the next call of {@code service}/{@code method} fail with this Twirp error, after its permission check
     * and before anything else (so a failed CreateSIPParticipant has no side effects). Calls queue up.
     *
     * @param service "SIP", "RoomService", "AgentDispatchService" or "Egress"
     */
    public void failNext(String service, String method, String code, int httpStatus, String msg) {
        failNext(service, method, code, httpStatus, msg, Map.of());
    }

    public void failNext(
            String service, String method, String code, int httpStatus, String msg, Map<String, String> meta) {
        String key = service + "/" + method;
        if (routes.values().stream().noneMatch(r -> r.key().equals(key))) {
            throw new IllegalArgumentException("the fake has no RPC " + key + "; known: "
                    + routes.values().stream().map(Route::key).toList());
        }
        failures.computeIfAbsent(key, k -> new ConcurrentLinkedDeque<>())
                .add(new TwirpException(code, httpStatus, msg, meta));
    }

    /** Makes the next call of {@code service}/{@code method} answer only after {@code delay}. Calls queue up. */
    public void delayNext(String service, String method, Duration delay) {
        String key = service + "/" + method;
        if (routes.values().stream().noneMatch(r -> r.key().equals(key))) {
            throw new IllegalArgumentException("the fake has no RPC " + key);
        }
        delays.computeIfAbsent(key, k -> new ConcurrentLinkedDeque<>()).add(delay);
    }

    /**
     * Holds every call of {@code service}/{@code method} whose request mentions {@code marker} (a
     * room name or part of one) from now on until the returned gate is opened (or the fake is
     * reset), after validation, as a LiveKit slow under load would; the gate also counts how many
     * of them the fake served at once.
     */
    public Gate hold(String service, String method, String marker) {
        String key = service + "/" + method;
        if (routes.values().stream().noneMatch(r -> r.key().equals(key))) {
            throw new IllegalArgumentException("the fake has no RPC " + key);
        }
        var gate = new Gate(key, marker);
        gates.put(key, gate);
        return gate;
    }

    /** An outbound trunk that {@code sip_trunk_id} may name, with a default address and one caller number. */
    public void registerTrunk(String trunkId) {
        registerTrunk(trunkId, LiveKitState.DEFAULT_TRUNK_ADDRESS, List.of(LiveKitState.DEFAULT_TRUNK_NUMBER));
    }

    /** An outbound trunk; with no numbers, dials through it need {@code sip_number}. */
    public void registerTrunk(String trunkId, String address, List<String> numbers) {
        state.registerTrunk(trunkId, address, numbers);
    }

    // ---- request log -------------------------------------------------------------------------------------------

    /** Every request received, in arrival order. */
    public List<RecordedRequest> requests() {
        return log.all();
    }

    /** Requests of one RPC, e.g. {@code requests("SIP", "CreateSIPParticipant")}. */
    public List<RecordedRequest> requests(String service, String method) {
        return log.matching(service, method);
    }

    /**
     * Waits for the first request of this RPC (already decoded, possibly still in progress) and returns it.
     *
     * @throws IllegalStateException if none arrives in time
     */
    public RecordedRequest awaitRequest(String service, String method, Duration timeout) {
        return log.await(service, method, 1, timeout).getFirst();
    }

    /** Waits until {@code count} requests of this RPC arrived and returns the first {@code count}. */
    public List<RecordedRequest> awaitRequests(String service, String method, int count, Duration timeout) {
        return log.await(service, method, count, timeout);
    }

    // ---- state -------------------------------------------------------------------------------------------------

    public List<Room> rooms() {
        return state.rooms();
    }

    public List<ParticipantInfo> participants(String roomName) {
        return state.participants(roomName);
    }

    public Optional<ParticipantInfo> participant(String roomName, String identity) {
        return state.findParticipant(roomName, identity);
    }

    public List<AgentDispatch> dispatches(String roomName) {
        return state.dispatches(roomName);
    }

    public List<EgressInfo> egresses() {
        return state.egresses();
    }

    // ---- webhooks ----------------------------------------------------------------------------------------------

    /** Where webhook POSTs go, e.g. {@code http://127.0.0.1:8080/livekit/webhook}. */
    public void webhookTarget(URI target) {
        webhooks.target(target);
    }

    public FakeWebhooks webhooks() {
        return webhooks;
    }

    /**
     * The callee hangs up every answered SIP call in the room: participant_left (CLIENT_INITIATED), then
     * room_finished when only agents remain.
     */
    public void hangUpByCallee(String roomName) {
        state.hangUpByCallee(roomName);
    }

    /** Queues an arbitrary event (id and createdAt are filled in when missing) and returns it as queued. */
    public WebhookEvent emit(WebhookEvent event) {
        return state.emitRaw(event);
    }

    // ---- Twirp -------------------------------------------------------------------------------------------------

    @FunctionalInterface
    private interface Permission<T extends Message> {
        void check(Grants grants, T request);
    }

    @FunctionalInterface
    private interface Logic<T extends Message> {
        Message handle(T request, Optional<Long> twirpTimeoutMs);
    }

    private record Route(
            String service, String method, Message prototype, Permission<Message> permission, Logic<Message> logic) {
        String key() {
            return service + "/" + method;
        }
    }

    @SuppressWarnings("unchecked")
    private <T extends Message> void route(
            String service, String method, T prototype, Permission<T> permission, Logic<T> logic) {
        routes.put(
                "/twirp/livekit." + service + "/" + method,
                new Route(service, method, prototype, (Permission<Message>) permission, (Logic<Message>) logic));
    }

    /** Grants per §2.4. */
    private void registerRoutes() {
        route(
                "SIP",
                "CreateSIPParticipant",
                CreateSIPParticipantRequest.getDefaultInstance(),
                (g, r) -> g.requireSipCall(),
                (r, timeout) -> state.createSipParticipant(
                        r,
                        timeout.orElse(
                                (r.getWaitUntilAnswered() ? SIP_RPC_TIMEOUT_WAITING : SIP_RPC_TIMEOUT).toMillis())));
        route(
                "SIP",
                "TransferSIPParticipant",
                TransferSIPParticipantRequest.getDefaultInstance(),
                (g, r) -> {
                    g.requireSipCall();
                    g.requireRoomAdmin(r.getRoomName());
                },
                (r, timeout) -> {
                    state.transfer(r);
                    return Empty.getDefaultInstance();
                });

        route(
                "RoomService",
                "CreateRoom",
                CreateRoomRequest.getDefaultInstance(),
                (g, r) -> g.requireRoomCreate(),
                (r, timeout) -> state.createRoom(r));
        route(
                "RoomService",
                "DeleteRoom",
                DeleteRoomRequest.getDefaultInstance(),
                (g, r) -> g.requireRoomCreate(),
                (r, timeout) -> {
                    state.deleteRoom(r.getRoom());
                    return DeleteRoomResponse.getDefaultInstance();
                });
        route(
                "RoomService",
                "ListRooms",
                ListRoomsRequest.getDefaultInstance(),
                (g, r) -> g.requireRoomList(),
                (r, timeout) -> state.listRooms(r));
        route(
                "RoomService",
                "ListParticipants",
                ListParticipantsRequest.getDefaultInstance(),
                (g, r) -> g.requireRoomAdmin(r.getRoom()),
                (r, timeout) -> ListParticipantsResponse.newBuilder()
                        .addAllParticipants(state.participants(r.getRoom()))
                        .build());
        route(
                "RoomService",
                "GetParticipant",
                RoomParticipantIdentity.getDefaultInstance(),
                (g, r) -> g.requireRoomAdmin(r.getRoom()),
                (r, timeout) -> state.participant(r.getRoom(), r.getIdentity()));
        route(
                "RoomService",
                "RemoveParticipant",
                RoomParticipantIdentity.getDefaultInstance(),
                (g, r) -> g.requireRoomAdmin(r.getRoom()),
                (r, timeout) -> {
                    state.removeParticipant(r.getRoom(), r.getIdentity());
                    return RemoveParticipantResponse.getDefaultInstance();
                });

        route(
                "AgentDispatchService",
                "CreateDispatch",
                CreateAgentDispatchRequest.getDefaultInstance(),
                (g, r) -> g.requireRoomAdmin(r.getRoom()),
                (r, timeout) -> state.createDispatch(r));
        route(
                "AgentDispatchService",
                "DeleteDispatch",
                DeleteAgentDispatchRequest.getDefaultInstance(),
                (g, r) -> g.requireRoomAdmin(r.getRoom()),
                (r, timeout) -> state.deleteDispatch(r));
        route(
                "AgentDispatchService",
                "ListDispatch",
                ListAgentDispatchRequest.getDefaultInstance(),
                (g, r) -> g.requireRoomAdmin(r.getRoom()),
                (r, timeout) -> state.listDispatch(r));

        route(
                "Egress",
                "StartRoomCompositeEgress",
                RoomCompositeEgressRequest.getDefaultInstance(),
                (g, r) -> g.requireRoomRecord(),
                (r, timeout) -> state.startRoomCompositeEgress(r));
        route(
                "Egress",
                "StopEgress",
                StopEgressRequest.getDefaultInstance(),
                (g, r) -> g.requireRoomRecord(),
                (r, timeout) -> state.stopEgress(r));
        route(
                "Egress",
                "ListEgress",
                ListEgressRequest.getDefaultInstance(),
                (g, r) -> g.requireRoomRecord(),
                (r, timeout) -> state.listEgress(r));
    }

    private record Reply(int status, String contentType, byte[] body) {
        static Reply error(TwirpException e) {
            // Error bodies are Twirp JSON even when the request was protobuf (§2.2).
            return new Reply(e.httpStatus(), "application/json", e.toJson().getBytes(StandardCharsets.UTF_8));
        }

        static Reply plainUnauthorized(String message) {
            // The auth middleware writes err.Error() itself: no Twirp JSON (§2.5).
            return new Reply(401, "text/plain; charset=utf-8", message.getBytes(StandardCharsets.UTF_8));
        }
    }

    private void handle(HttpExchange exchange) {
        try (exchange) {
            Instant receivedAt = Optional.ofNullable(READABLE_AT.get()).orElseGet(Instant::now);
            byte[] body = exchange.getRequestBody().readAllBytes();
            String path = exchange.getRequestURI().getPath();
            Map<String, List<String>> headers = copyHeaders(exchange);
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            String contentType = Optional.ofNullable(
                            exchange.getRequestHeaders().getFirst("Content-Type"))
                    .orElse("");

            String token = authorization != null && !authorization.isEmpty()
                    ? (authorization.startsWith("Bearer ") ? authorization.substring(7) : "")
                    : queryParameter(exchange.getRequestURI(), "access_token");
            String[] names = rpcNames(path);
            RequestLog.Entry entry = log.add(new RequestLog.Entry(
                    names[0],
                    names[1],
                    contentType,
                    headers,
                    token.isEmpty() ? Map.of() : Jwt.decodePayloadLeniently(token),
                    receivedAt));

            Reply reply = process(exchange, path, authorization, token, contentType, body, headers, entry);
            log.answered(entry, reply.status());
            exchange.getResponseHeaders().set("Content-Type", reply.contentType());
            exchange.sendResponseHeaders(reply.status(), reply.body().length == 0 ? -1 : reply.body().length);
            if (reply.body().length > 0) {
                exchange.getResponseBody().write(reply.body());
            }
        } catch (IOException e) {
            // The client went away (e.g. its own timeout while a dial was held); nothing left to answer.
        }
    }

    private Reply process(
            HttpExchange exchange,
            String path,
            @Nullable String authorization,
            String token,
            String contentType,
            byte[] body,
            Map<String, List<String>> headers,
            RequestLog.Entry entry) {
        // The auth middleware runs before Twirp routing and only when a token is present (§2.3).
        Grants grants = Grants.NONE;
        if (authorization != null && !authorization.isEmpty() && !authorization.startsWith("Bearer ")) {
            return Reply.plainUnauthorized("invalid authorization header. Must start with Bearer ");
        }
        if (!token.isEmpty()) {
            try {
                grants = Grants.fromClaims(
                        Jwt.verify(token, key -> key.equals(apiKey) ? apiSecret : null, Instant.now()));
            } catch (Jwt.AuthFailure e) {
                return Reply.plainUnauthorized(e.getMessage());
            }
        }
        try {
            String httpMethod = exchange.getRequestMethod();
            if (!httpMethod.equals("POST")) {
                throw TwirpException.badRoute(
                        "unsupported method \"" + httpMethod + "\" (only POST is allowed)", httpMethod, path);
            }
            Route route = routes.get(path);
            if (route == null) {
                throw TwirpException.badRoute("no handler for path \"" + path + "\"", httpMethod, path);
            }
            String mediaType = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
            boolean json = switch (mediaType) {
                case "application/json" -> true;
                case "application/protobuf" -> false;
                default ->
                    throw TwirpException.badRoute("unexpected Content-Type: \"" + contentType + "\"", httpMethod, path);
            };
            Message request = decode(route.prototype(), body, json);
            log.decoded(entry, request);

            route.permission().check(grants, request);
            Deque<TwirpException> queued = failures.get(route.key());
            TwirpException scripted = queued == null ? null : queued.poll();
            if (scripted != null) {
                throw scripted;
            }
            Deque<Duration> slow = delays.get(route.key());
            Duration delay = slow == null ? null : slow.poll();
            if (delay != null) {
                // a slow LiveKit answer, as under load: the caller simply waits longer for it
                Thread.sleep(delay);
            }
            Gate gate = gates.get(route.key());
            boolean held = gate != null && request.toString().contains(gate.marker());
            Message response;
            try {
                if (held) {
                    gate.enter();
                }
                response = route.logic().handle(request, twirpTimeoutMs(headers));
            } finally {
                if (held) {
                    gate.leave();
                }
            }
            return json
                    ? new Reply(
                            200,
                            "application/json",
                            RESPONSE_PRINTER.print(response).getBytes(StandardCharsets.UTF_8))
                    : new Reply(200, "application/protobuf", response.toByteArray());
        } catch (TwirpException e) {
            return Reply.error(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Reply.error(new TwirpException("internal", "the fake was stopped while delaying this answer"));
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            return Reply.error(new TwirpException("internal", "fake LiveKit failed: " + e));
        }
    }

    private static Message decode(Message prototype, byte[] body, boolean json) {
        try {
            if (json) {
                Message.Builder builder = prototype.newBuilderForType();
                REQUEST_PARSER.merge(new String(body, StandardCharsets.UTF_8), builder);
                return builder.build();
            }
            return prototype.getParserForType().parseFrom(body);
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            throw TwirpException.malformed(
                    json ? "the json request could not be decoded" : "the protobuf request could not be decoded");
        }
    }

    /** X-Twirp-Timeout-Ms becomes the server-side deadline of the call (§2.6). */
    private static Optional<Long> twirpTimeoutMs(Map<String, List<String>> headers) {
        List<String> values = headers.get("X-Twirp-Timeout-Ms");
        if (values == null || values.isEmpty()) {
            return Optional.empty();
        }
        try {
            long millis = Long.parseLong(values.getFirst().trim());
            return millis > 0 ? Optional.of(millis) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** {"SIP", "CreateSIPParticipant"} for /twirp/livekit.SIP/CreateSIPParticipant; the raw path otherwise. */
    private static String[] rpcNames(String path) {
        if (path.startsWith("/twirp/")) {
            String[] parts = path.substring("/twirp/".length()).split("/", 2);
            if (parts.length == 2) {
                String service = parts[0].startsWith("livekit.") ? parts[0].substring("livekit.".length()) : parts[0];
                return new String[] {service, parts[1]};
            }
        }
        return new String[] {path, ""};
    }

    private static Map<String, List<String>> copyHeaders(HttpExchange exchange) {
        var copy = new TreeMap<String, List<String>>(String.CASE_INSENSITIVE_ORDER);
        exchange.getRequestHeaders().forEach((name, values) -> copy.put(name, List.copyOf(values)));
        return Collections.unmodifiableMap(copy);
    }

    private static String queryParameter(URI uri, String name) {
        String query = uri.getRawQuery();
        if (query == null) {
            return "";
        }
        List<String> values = new ArrayList<>();
        for (String pair : query.split("&")) {
            String[] kv = pair.split("=", 2);
            if (URLDecoder.decode(kv[0], StandardCharsets.UTF_8).equals(name)) {
                values.add(kv.length == 2 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
            }
        }
        return values.isEmpty() ? "" : values.getFirst();
    }
}
