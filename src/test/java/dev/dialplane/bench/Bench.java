package dev.dialplane.bench;

import static java.util.Map.entry;

import dev.dialplane.fakelivekit.DialScript;
import dev.dialplane.fakelivekit.FakeLiveKit;
import dev.dialplane.fakelivekit.RecordedRequest;
import dev.dialplane.support.Api;
import dev.dialplane.support.StartWindows;
import io.livekit.server.AccessToken;
import io.livekit.server.AgentDispatchService;
import io.livekit.server.RoomAdmin;
import io.livekit.server.RoomCreate;
import io.livekit.server.RoomName;
import io.livekit.server.RoomService;
import io.livekit.server.SIPCall;
import io.livekit.server.SipService;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import livekit.LivekitAgentDispatch.CreateAgentDispatchRequest;
import livekit.LivekitRoom.CreateRoomRequest;
import livekit.LivekitSip.CreateSIPParticipantRequest;
import livekit.LivekitSip.SIPOutboundConfig;
import okhttp3.OkHttpClient;
import org.HdrHistogram.Histogram;
import retrofit2.Retrofit;
import retrofit2.converter.protobuf.ProtoConverterFactory;

/**
 * Dialplane's benchmarks: real Dialplane processes (the built jar) on PostgreSQL, the wire-level
 * fake LiveKit in this process, load over HTTP. Run through {@code bench/run <scenario>}.
 */
public final class Bench {

    private static final double MIB = 1024 * 1024;
    private static final int PLACING_CLIENTS = 64;
    /** Compiles the hot paths before measuring; a machine slower than this rate measures better with BENCH_WARM_UP_RATE lower. */
    private static final int WARM_UP_RATE = Integer.parseInt(System.getenv().getOrDefault("BENCH_WARM_UP_RATE", "150"));
    /** The held-calls node's heap: the goal is 512m; BENCH_HEAP measures what a variant needs beyond it. */
    private static final String NODE_HEAP = System.getenv().getOrDefault("BENCH_HEAP", "512m");

    static final String ADMIN = "bench-admin-" + UUID.randomUUID();
    private static final String MASTER_KEY =
            Base64.getEncoder().encodeToString("bench-master-key-0123456789abcde".getBytes());
    private static final String PG = System.getProperty("bench.postgres", "jdbc:postgresql://127.0.0.1:5432/");

    private Bench() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println(
                    "usage: bench/run create-throughput|held-calls|pacing|queue-scale|idle-queue|dnc|campaign|campaign-kill|studio");
            System.exit(2);
        }
        if (!Node.jarExists()) {
            throw new IllegalStateException("target/dialplane.jar is missing: bench/run builds it first");
        }
        System.out.println(machine());
        switch (args[0]) {
            case "create-throughput" ->
                createThroughput(
                        args.length > 1 ? Integer.parseInt(args[1]) : 60,
                        args.length > 2 ? Integer.parseInt(args[2]) : 300);
            case "held-calls" ->
                heldCalls(
                        args.length > 1 ? Integer.parseInt(args[1]) : 5_000,
                        args.length > 2 && args[2].equals("clients-wait"));
            case "pacing" -> pacing();
            case "queue-scale" -> queueScale(args.length > 1 ? Integer.parseInt(args[1]) : 100_000);
            case "idle-queue" -> idleQueue(args.length > 1 ? Integer.parseInt(args[1]) : 10_000);
            case "dnc" -> doNotCall(args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000);
            case "campaign" ->
                CampaignBench.campaign(
                        args.length > 1 ? Integer.parseInt(args[1]) : 100_000,
                        args.length > 2 ? Integer.parseInt(args[2]) : 120);
            case "campaign-kill" -> CampaignBench.kill(args.length > 1 ? Integer.parseInt(args[1]) : 3_000);
            case "studio" -> StudioBench.lists(args.length > 1 ? Integer.parseInt(args[1]) : 100_000);
            default -> {
                System.err.println("unknown scenario " + args[0]);
                System.exit(2);
            }
        }
        System.exit(0);
    }

    // ---- 1. create-call throughput and latency ----------------------------------------------------

    static void createThroughput(int seconds, int rate) throws Exception {
        try (var liveKit = FakeLiveKit.start();
                var db = Database.create();
                var node = Node.start("bench-1", 18081, "1g", env(db, liveKit))) {
            var setup = Setup.create(node.api(), null);
            System.out.printf("warm-up: %d s at %d calls/s%n", Math.min(20, seconds), WARM_UP_RATE);
            openLoop(setup.api(), setup, WARM_UP_RATE, Duration.ofSeconds(Math.min(20, seconds)), "warmup");

            awaitDrained(setup.api());
            liveKit.reset();
            System.out.printf("throughput: 64 concurrent clients for %d s%n", seconds);
            var cpu = CpuMeter.start(node);
            var window = Instant.now();
            var throughput = closedLoop(setup.api(), setup, 64, Duration.ofSeconds(seconds));
            var used = cpu.stop();
            System.out.printf(
                    "  sustained: %.0f calls/s, %d errors; latency p50 %.1f ms, p99 %.1f ms%n",
                    throughput.rate(), throughput.errors(), ms(throughput.latency(), 50), ms(throughput.latency(), 99));
            // accepted is not dialed: a node past its pace queues what it cannot prepare yet
            var dialed = liveKit.requests("SIP", "CreateSIPParticipant").stream()
                    .filter(r -> r.receivedAt().isBefore(window.plusSeconds(seconds)))
                    .count();
            System.out.printf(
                    "  dialed at LiveKit in the same %d s: %.0f calls/s%n", seconds, dialed / (double) seconds);
            System.out.println("  " + CpuMeter.perUnit(used, (long) (throughput.rate() * seconds), "call"));

            awaitDrained(setup.api());
            liveKit.reset();
            System.out.printf("fixed rate: %d calls/s for %d s%n", rate, seconds);
            var start = Instant.now();
            cpu = CpuMeter.start(node);
            var fixed = openLoop(setup.api(), setup, rate, Duration.ofSeconds(seconds), "fixed");
            used = cpu.stop();
            System.out.printf(
                    "  create-call latency (request to response): p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.1f ms; %d errors%n",
                    ms(fixed.latency(), 50),
                    ms(fixed.latency(), 99),
                    ms(fixed.latency(), 99.9),
                    fixed.latency().getMaxValue() / 1000.0,
                    fixed.errors());
            System.out.println("  " + CpuMeter.perUnit(used, (long) rate * seconds, "call"));
            var toDial = timeToDial(liveKit, fixed.sentAt(), start);
            System.out.printf(
                    "  request to CreateSIPParticipant at LiveKit: p50 %.2f ms, p99 %.2f ms%n",
                    ms(toDial, 50), ms(toDial, 99));

            awaitDrained(setup.api());
            liveKit.reset();
            System.out.printf(
                    "direct SDK baseline: CreateRoom + CreateDispatch + CreateSIPParticipant at %d/s for %d s%n",
                    rate, seconds);
            var direct = directSdk(liveKit, rate, Duration.ofSeconds(seconds));
            System.out.printf(
                    "  start to CreateSIPParticipant at LiveKit: p50 %.2f ms, p99 %.2f ms%n",
                    ms(direct, 50), ms(direct, 99));
            System.out.printf(
                    "  Dialplane adds %.2f ms at p50 (%.2fx) and %.2f ms at p99 before the dial reaches LiveKit%n",
                    ms(toDial, 50) - ms(direct, 50), ms(toDial, 50) / ms(direct, 50), ms(toDial, 99) - ms(direct, 99));
        }
    }

    // ---- 2. held calls ---------------------------------------------------------------------------

    /**
     * {@code calls} dials ringing at once (the fake LiveKit holds each CreateSIPParticipant until the
     * harness answers). With {@code clientsWait}, each call's client also keeps its request open
     * ({@code wait_until_answered: true}) until the answer.
     */
    static void heldCalls(int calls, boolean clientsWait) throws Exception {
        try (var liveKit = FakeLiveKit.start();
                var db = Database.create();
                var node = Node.start("bench-1", 18081, NODE_HEAP, env(db, liveKit))) {
            var setup = Setup.create(node.api(), null);
            var handles = new ArrayList<dev.dialplane.fakelivekit.RingingCall>();
            for (int i = 0; i < calls; i++) {
                handles.add(liveKit.onDial(number(i), DialScript.holdUntilReleased()));
            }
            var outcomes = new ConcurrentHashMap<Integer, String>();
            var firstError = new java.util.concurrent.atomic.AtomicReference<String>();
            var before = System.nanoTime();
            // calls are placed 64 at a time, as a dialer campaign would: each slot frees when LiveKit
            // receives that call's dial (not when the answer comes), so all of them end up ringing at once
            var placing = new java.util.concurrent.Semaphore(PLACING_CLIENTS);
            try (var clients = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < calls; i++) {
                    var n = i;
                    placing.acquire();
                    var slot = new java.util.concurrent.atomic.AtomicBoolean(true);
                    Runnable free = () -> {
                        if (slot.getAndSet(false)) {
                            placing.release();
                        }
                    };
                    clients.execute(() -> {
                        try {
                            handles.get(n).awaitDialed(Duration.ofMinutes(5));
                        } catch (IllegalStateException notDialed) {
                            // the request's own outcome is reported below
                        } finally {
                            free.run();
                        }
                    });
                    clients.execute(() -> {
                        try {
                            var response = setup.api()
                                    .post(
                                            "/calls/outbound",
                                            Map.of(
                                                    "agent_id",
                                                    setup.agentId(),
                                                    "to_number",
                                                    number(n),
                                                    "wait_until_answered",
                                                    clientsWait,
                                                    "ringing_timeout_seconds",
                                                    80,
                                                    "max_call_duration_seconds",
                                                    60));
                            outcomes.put(
                                    n,
                                    response.status() == 200
                                            ? response.json().get("status").asString()
                                            : "HTTP " + response.status());
                            if (response.status() != 200
                                    && firstError.compareAndSet(null, response.status() + " " + response.text())) {
                                System.out.println("  first error: " + firstError.get());
                            }
                        } catch (RuntimeException e) {
                            outcomes.put(n, e.getClass().getSimpleName());
                            if (firstError.compareAndSet(null, e.toString())) {
                                System.out.println("  first error: " + e);
                            }
                        } finally {
                            if (!outcomes.getOrDefault(n, "dialing").equals("dialing")) {
                                free.run(); // refused or ended without a dial: the slot is not held by a ringing call
                            }
                        }
                    });
                }
                var deadline = Instant.now().plus(Duration.ofMinutes(5));
                for (var handle : handles) {
                    try {
                        handle.awaitDialed(Duration.between(Instant.now(), deadline));
                    } catch (IllegalStateException e) {
                        throw new IllegalStateException(
                                "not every call was dialed within 5 minutes; requests answered so far: "
                                        + outcomes.size() + ", first error: " + firstError.get(),
                                e);
                    }
                }
                var allWaiting = Duration.ofNanos(System.nanoTime() - before);
                System.out.printf(
                        "%d calls ringing at once%s, after %.1f s%n",
                        calls,
                        clientsWait
                                ? ", each with its client's request open until the answer"
                                : " (clients not waiting)",
                        allWaiting.toMillis() / 1000.0);
                var heapBefore = node.metric("jvm.memory.used", "area:heap", "VALUE");
                node.collectGarbage();
                var heapLive = node.metric("jvm.memory.used", "area:heap", "VALUE");
                var heapMax = node.metric("jvm.memory.max", "area:heap", "VALUE");
                var threads = node.metric("jvm.threads.live", null, "VALUE");
                var peak = node.metric("jvm.threads.peak", null, "VALUE");
                System.out.printf(
                        "  Dialplane heap: %.0f MiB in use, %.0f MiB live after a full GC, of %.0f MiB max (-Xmx"
                                + NODE_HEAP + "); resident %.0f MiB%n",
                        heapBefore / MIB,
                        heapLive / MIB,
                        heapMax / MIB,
                        node.residentBytes() / MIB);
                System.out.printf(
                        "  platform threads %.0f (peak %.0f); each waiting request and each dial is a virtual thread%n",
                        threads, peak);
                node.heapHistogram(Path.of("target/bench-held-calls-histogram.txt"));
                System.out.println("  heap histogram while they ring: target/bench-held-calls-histogram.txt");
                for (var handle : handles) {
                    handle.answer();
                }
            }
            if (!clientsWait) {
                var answered = Instant.now().plus(Duration.ofMinutes(2));
                while (db.count("in_progress") < calls && Instant.now().isBefore(answered)) {
                    Thread.sleep(200); // polling another process's database for the answers to land
                }
            }
            var byOutcome = new java.util.TreeMap<String, Long>();
            outcomes.values().forEach(outcome -> byOutcome.merge(outcome, 1L, Long::sum));
            System.out.println("  responses: " + byOutcome
                    + (clientsWait ? "" : "; calls in_progress in the database: " + db.count("in_progress")));
            System.out.printf(
                    "  heap in use after the answers: %.0f MiB%n",
                    node.metric("jvm.memory.used", "area:heap", "VALUE") / MIB);
        }
    }

    // ---- 3. pacing accuracy across two nodes ------------------------------------------------------

    static void pacing() throws Exception {
        try (var liveKit = FakeLiveKit.start();
                var db = Database.create();
                var one = Node.start("pacing-1", 18081, "512m", env(db, liveKit));
                var two = Node.start("pacing-2", 18082, "512m", env(db, liveKit))) {
            var trunk = one.api()
                    .withKey(ADMIN)
                    .post(
                            "/admin/sip-trunks",
                            Map.of(
                                    "name",
                                    "carrier",
                                    "address",
                                    "sip.carrier.example",
                                    "cps_limit",
                                    10,
                                    "max_channels",
                                    0))
                    .json();
            var setup = Setup.create(one.api(), trunk.get("id").asString());
            // the fake LiveKit's own dial path is compiled before it times anything: a harness stalled in
            // cold code would stamp late arrivals together and report a burst no node sent
            directSdk(liveKit, 20, Duration.ofSeconds(3));
            liveKit.reset();
            var calls = 700;
            for (int i = 0; i < calls; i++) {
                setup.api()
                        .post(
                                "/calls/outbound",
                                Map.of(
                                        "agent_id",
                                        setup.agentId(),
                                        "to_number",
                                        number(i),
                                        "max_call_duration_seconds",
                                        60));
            }
            System.out.printf("%d calls queued on a trunk with cps_limit 10; opening it to both nodes%n", calls);
            var wire = WireCapture.startIfAsked(URI.create(liveKit.url()).getPort());
            var opened = Instant.now();
            two.api()
                    .withKey(ADMIN)
                    .patch("/admin/sip-trunks/" + trunk.get("id").asString(), mapOf("max_channels", null));
            Thread.sleep(Duration.ofSeconds(64)); // the measurement is the 60 s after the first dial
            var starts = liveKit.requests("SIP", "CreateSIPParticipant").stream()
                    .map(RecordedRequest::receivedAt)
                    .sorted()
                    .toList();
            var first = starts.getFirst();
            var window = starts.stream()
                    .filter(t -> t.isBefore(first.plusSeconds(60)))
                    .toList();
            System.out.printf(
                    "  first dial %.0f ms after the trunk opened%n",
                    Duration.between(opened, first).toNanos() / 1e6);
            System.out.printf(
                    "  dials in the 60 s from the first: %d (limit 600): utilization %.1f %%%n",
                    window.size(), window.size() / 6.0);
            var largest = StartWindows.fullest(window, Duration.ofSeconds(1)).count();
            System.out.printf(
                    "  largest count in any one-second window by the harness's arrival stamps: %d (limit 10)%n",
                    largest);
            if (largest > 10) {
                // a stall somewhere (a node's or the harness's GC, the scheduler) shows as a bunch of arrivals
                System.out.println("  arrivals (ms after the first dial) around the fullest window: "
                        + aroundFullest(window, Duration.ofSeconds(1), first));
                var sent = db.instants(
                        "select dial_sent_at from calls where dial_sent_at is not null order by dial_sent_at");
                System.out.println("  the same window as the nodes recorded it (dial_sent_at, 30 ms before each send): "
                        + aroundFullest(sent, Duration.ofSeconds(1), sent.getFirst()));
            }
            if (wire.isPresent()) {
                try (var capture = wire.get()) {
                    reportWire(capture.stop("/twirp/livekit.SIP/CreateSIPParticipant"), 60, 10);
                }
            }
            var byNode = db.countsBy("claimed_by");
            System.out.println("  calls claimed per node: " + byNode);
        }
    }

    // ---- 4. queue scale ---------------------------------------------------------------------------

    static void queueScale(int total) throws Exception {
        try (var liveKit = FakeLiveKit.start();
                var db = Database.create();
                var node = Node.start("bench-1", 18081, "1g", env(db, liveKit))) {
            var trunk = node.api()
                    .withKey(ADMIN)
                    .post(
                            "/admin/sip-trunks",
                            Map.of(
                                    "name",
                                    "carrier",
                                    "address",
                                    "sip.carrier.example",
                                    "cps_limit",
                                    20,
                                    "max_channels",
                                    0))
                    .json();
            var trunkId = trunk.get("id").asString();
            var setup = Setup.create(node.api(), trunkId);
            var enqueued = new AtomicLong();

            enqueue(setup, 1_000, enqueued);
            var small = measureClaims(node, trunkId);
            System.out.printf(
                    "  with %,d queued: claim transaction mean %.2f ms, max %.2f ms (%d claims)%n",
                    db.count("queued") + small.claimed(), small.meanMillis(), small.maxMillis(), small.claims());

            var rate = enqueue(setup, total - 1_000, enqueued);
            System.out.printf("  enqueue: %,d calls at %.0f calls/s (32 concurrent clients)%n", total - 1_000, rate);
            var large = measureClaims(node, trunkId);
            System.out.printf(
                    "  with %,d queued: claim transaction mean %.2f ms, max %.2f ms (%d claims)%n",
                    db.count("queued") + large.claimed(), large.meanMillis(), large.maxMillis(), large.claims());
            System.out.printf("  ratio 100k / 1k: %.2fx%n", large.meanMillis() / small.meanMillis());
            System.out.println("  queued by priority: " + db.countsBy("priority"));
        }
    }

    record ClaimStats(long claims, double meanMillis, double maxMillis, long claimed) {}

    // ---- 5. a node idling with calls it cannot dial yet ------------------------------------------

    /**
     * {@code total} calls queued on a paused trunk ({@code max_channels: 0}): nothing can be dialed,
     * so the node should sleep between poll intervals. Measures its CPU and PostgreSQL's over 30 s.
     */
    static void idleQueue(int total) throws Exception {
        try (var liveKit = FakeLiveKit.start();
                var db = Database.create();
                var node = Node.start("bench-1", 18081, "1g", env(db, liveKit))) {
            var trunk = node.api()
                    .withKey(ADMIN)
                    .post(
                            "/admin/sip-trunks",
                            Map.of("name", "carrier", "address", "sip.carrier.example", "max_channels", 0))
                    .json();
            var setup = Setup.create(node.api(), trunk.get("id").asString());
            var rate = enqueue(setup, total, new AtomicLong());
            System.out.printf(
                    "  %,d calls queued on a paused trunk (%.0f calls/s); letting the node settle for 10 s%n",
                    db.count("queued"), rate);
            Thread.sleep(Duration.ofSeconds(10)); // enqueueing's own after-work (JIT, autovacuum) is not measured
            var window = Duration.ofSeconds(30);
            var claimsBefore = orZero(node.metric("dialplane.dispatch.claim", null, "COUNT"));
            var cpu = CpuMeter.start(node);
            Thread.sleep(window); // a measurement window of fixed length
            var used = cpu.stop();
            var claims = node.metric("dialplane.dispatch.claim", null, "COUNT") - claimsBefore;
            System.out.printf(
                    "  over %d s: %.0f claim transactions (%.1f per second)%n",
                    window.toSeconds(), claims, claims / window.toSeconds());
            used.forEach((party, seconds) -> System.out.printf(
                    "  %s: %.2f s of CPU = %.2f %% of one core%n", party, seconds, seconds * 100 / window.toSeconds()));
            System.out.printf(
                    "  still queued: %,d; dialed: %d%n",
                    db.count("queued"),
                    liveKit.requests("SIP", "CreateSIPParticipant").size());
        }
    }

    // ---- 6. the do-not-call list: a million-number import, and the dial path's lookup with it ------

    /**
     * Imports {@code total} numbers through {@code POST /dnc/import} into a node with a 512 MiB heap
     * (time, rows per second, the node's heap sampled while it reads), then compares the dial path's
     * do-not-call lookup with the list empty and full: the probe itself (as the node runs it, timed
     * from here and by PostgreSQL's EXPLAIN ANALYZE) and whole call placements.
     */
    static void doNotCall(int total) throws Exception {
        try (var liveKit = FakeLiveKit.start();
                var db = Database.create();
                var node = Node.start("bench-1", 18081, "512m", env(db, liveKit))) {
            var setup = Setup.create(node.api(), null);
            var organization = db.organizationOf(setup.agentId());
            // the probes' numbers: half will be listed, half not
            var listed = new ArrayList<String>();
            var unlisted = new ArrayList<String>();
            for (int i = 0; i < 2_000; i++) {
                listed.add(dncNumber(i * (total / 2_000)));
                unlisted.add(number(i));
            }
            System.out.println("list empty:");
            var emptyProbe = db.probe(organization, unlisted, 20);
            System.out.printf(
                    "  isListed probe (the dial path's query, timed from the harness over JDBC): mean %.1f µs, p99 %.1f µs%n",
                    emptyProbe.getMean(), (double) emptyProbe.getValueAtPercentile(99));
            var emptyPlace = place(setup, 1_000, 0);
            System.out.printf(
                    "  POST /calls/outbound to unlisted numbers (one client, 1,000 calls): p50 %.2f ms, p99 %.2f ms%n",
                    ms(emptyPlace, 50), ms(emptyPlace, 99));

            var csv = new java.io.ByteArrayOutputStream(total * 14);
            csv.writeBytes("phone,name\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            for (int i = 0; i < total; i++) {
                csv.writeBytes(
                        (dncNumber(i) + ",customer " + i + "\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            }
            var body = csv.toByteArray();
            System.out.printf(
                    "import: %,d rows, %.1f MiB of CSV (a phone and a name column)%n", total, body.length / MIB);
            var heapPeak = new java.util.concurrent.atomic.AtomicLong();
            var sampling = new java.util.concurrent.atomic.AtomicBoolean(true);
            var sampler = Thread.ofPlatform().start(() -> {
                while (sampling.get()) {
                    heapPeak.accumulateAndGet(
                            (long) orZero(node.metric("jvm.memory.used", "area:heap", "VALUE")), Math::max);
                    try {
                        Thread.sleep(200); // sampling another process's heap
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            var started = System.nanoTime();
            var response = java.net.http.HttpClient.newHttpClient()
                    .send(
                            java.net.http.HttpRequest.newBuilder(
                                            java.net.URI.create("http://127.0.0.1:" + node.port + "/dnc/import"))
                                    .header("Authorization", "Bearer " + setup.apiKey())
                                    .header("Content-Type", "text/csv")
                                    .timeout(Duration.ofMinutes(30))
                                    .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body))
                                    .build(),
                            java.net.http.HttpResponse.BodyHandlers.ofString());
            var seconds = (System.nanoTime() - started) / 1e9;
            sampling.set(false);
            sampler.join();
            var text = response.body();
            System.out.printf(
                    "  HTTP %d in %.1f s: %,.0f rows/s; %s%n",
                    response.statusCode(),
                    seconds,
                    total / seconds,
                    text.length() > 300 ? text.substring(0, 300) + "…" : text);
            System.out.printf(
                    "  node heap (-Xmx512m) sampled every 200 ms while importing: peak %.0f MiB in use; resident %.0f MiB after%n",
                    heapPeak.get() / MIB, node.residentBytes() / MIB);
            System.out.printf("  dnc_entries: %,d rows, %s on disk with its indexes%n", db.dncRows(), db.dncSize());

            System.out.printf("list full (%,d numbers):%n", db.dncRows());
            var fullUnlisted = db.probe(organization, unlisted, 20);
            var fullListed = db.probe(organization, listed, 20);
            System.out.printf(
                    "  isListed probe, unlisted number: mean %.1f µs, p99 %.1f µs; listed number: mean %.1f µs, p99 %.1f µs%n",
                    fullUnlisted.getMean(),
                    (double) fullUnlisted.getValueAtPercentile(99),
                    fullListed.getMean(),
                    (double) fullListed.getValueAtPercentile(99));
            System.out.println("  EXPLAIN ANALYZE of the probe:");
            db.explain(organization, listed.get(7)).forEach(line -> System.out.println("    " + line));
            var fullPlace = place(setup, 1_000, 1_000);
            System.out.printf(
                    "  POST /calls/outbound to unlisted numbers (one client, 1,000 calls): p50 %.2f ms, p99 %.2f ms%n",
                    ms(fullPlace, 50), ms(fullPlace, 99));
            var refusals = new Histogram(60_000_000L, 3);
            var refused = 0;
            for (int i = 0; i < 500; i++) {
                var begin = System.nanoTime();
                var refusal = setup.api().post("/calls/outbound", body(setup, listed.get(i)));
                refusals.recordValue((System.nanoTime() - begin) / 1000);
                refused += refusal.status() == 422 ? 1 : 0;
            }
            System.out.printf(
                    "  POST /calls/outbound to listed numbers: %d of 500 refused (422 NUMBER_ON_DNC), p50 %.2f ms, p99 %.2f ms%n",
                    refused, ms(refusals, 50), ms(refusals, 99));
        }
    }

    /** The import's numbers: New York, +1 212 200-0000 onwards, distinct for up to 8,000,000. */
    static String dncNumber(int i) {
        return "+1212" + (200 + i / 10_000) + String.format("%04d", i % 10_000);
    }

    /** {@code calls} placements from one client, each timed; numbers from {@code first} of {@link #number}. */
    private static Histogram place(Setup setup, int calls, int first) {
        var histogram = new Histogram(60_000_000L, 3);
        for (int i = 0; i < 200; i++) {
            setup.api().post("/calls/outbound", body(setup, number(50_000 + first + i))); // warm-up
        }
        for (int i = 0; i < calls; i++) {
            var begin = System.nanoTime();
            var response = setup.api().post("/calls/outbound", body(setup, number(first + i)));
            histogram.recordValue((System.nanoTime() - begin) / 1000);
            if (response.status() != 200) {
                throw new IllegalStateException("placing a call failed: " + response);
            }
        }
        return histogram;
    }

    /** Opens the trunk (20 calls/s) for 10 s and reads the claim timer's growth over that time. */
    private static ClaimStats measureClaims(Node node, String trunkId) throws Exception {
        var admin = node.api().withKey(ADMIN);
        var countBefore = orZero(node.metric("dialplane.dispatch.claim", null, "COUNT"));
        var totalBefore = orZero(node.metric("dialplane.dispatch.claim", null, "TOTAL_TIME"));
        var dialsBefore = orZero(node.metric("dialplane.dials.started", null, "COUNT"));
        admin.patch("/admin/sip-trunks/" + trunkId, mapOf("max_channels", null));
        Thread.sleep(Duration.ofSeconds(10)); // a measurement window of fixed length
        admin.patch("/admin/sip-trunks/" + trunkId, Map.of("max_channels", 0));
        var count = node.metric("dialplane.dispatch.claim", null, "COUNT") - countBefore;
        var total = node.metric("dialplane.dispatch.claim", null, "TOTAL_TIME") - totalBefore;
        var dials = node.metric("dialplane.dials.started", null, "COUNT") - dialsBefore;
        return new ClaimStats(
                (long) count, total / count * 1000, node.metric("dialplane.dispatch.claim", null, "MAX") * 1000, (long)
                        dials);
    }

    private static double orZero(double value) {
        return Double.isNaN(value) ? 0 : value;
    }

    private static double enqueue(Setup setup, int calls, AtomicLong sequence) throws InterruptedException {
        var priorities = List.of("low", "normal", "high", "urgent");
        var next = new AtomicLong();
        var failures = new AtomicLong();
        var before = System.nanoTime();
        try (var clients = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < 32; c++) {
                clients.execute(() -> {
                    long i;
                    while ((i = next.getAndIncrement()) < calls) {
                        var n = sequence.getAndIncrement();
                        var response = setup.api()
                                .post(
                                        "/calls/outbound",
                                        Map.of(
                                                "agent_id",
                                                setup.agentId(),
                                                "to_number",
                                                number((int) (n % 1_000_000)),
                                                "priority",
                                                priorities.get((int) (n % 4)),
                                                "max_call_duration_seconds",
                                                60));
                        if (response.status() != 200 && failures.getAndIncrement() == 0) {
                            System.out.println("  first enqueue error: " + response.status() + " " + response.text());
                        }
                    }
                });
            }
        }
        if (failures.get() > 0) {
            System.out.println("  enqueue errors: " + failures.get());
        }
        return calls / ((System.nanoTime() - before) / 1e9);
    }

    // ---- load generation -------------------------------------------------------------------------

    /** Waits until the node has dialed every call it accepted, so one phase's backlog does not weigh on the next. */
    private static void awaitDrained(Api api) throws InterruptedException {
        var deadline = Instant.now().plus(Duration.ofMinutes(10));
        while (Instant.now().isBefore(deadline)) {
            var queued = api.get("/calls?status=queued&limit=1").json().get("data");
            var dialing = api.get("/calls?status=dialing&limit=1").json().get("data");
            if (queued != null && queued.isEmpty() && dialing != null && dialing.isEmpty()) {
                return;
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("the node still had calls to dial 10 minutes after the phase ended");
    }

    record LoadResult(double rate, long errors, Histogram latency, Map<String, Long> sentAt) {}

    /** {@code clients} send back to back for {@code duration}. */
    private static LoadResult closedLoop(Api api, Setup setup, int clients, Duration duration)
            throws InterruptedException {
        var histogram = new Histogram(60_000_000L, 3);
        var done = new AtomicLong();
        var errors = new AtomicLong();
        var counter = new AtomicLong();
        var end = System.nanoTime() + duration.toNanos();
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < clients; c++) {
                executor.execute(() -> {
                    while (System.nanoTime() < end) {
                        var t = System.nanoTime();
                        var response = api.post(
                                "/calls/outbound", body(setup, number((int) (counter.getAndIncrement() % 1_000_000))));
                        synchronized (histogram) {
                            histogram.recordValue((System.nanoTime() - t) / 1000);
                        }
                        if (response.status() == 200) {
                            done.incrementAndGet();
                        } else if (errors.getAndIncrement() == 0) {
                            System.out.println("  first error: " + response.status() + " " + response.text());
                        }
                    }
                });
            }
        }
        return new LoadResult(done.get() / (duration.toNanos() / 1e9), errors.get(), histogram, Map.of());
    }

    /** Requests scheduled at a fixed rate; latency counts from the scheduled send time (no coordinated omission). */
    private static LoadResult openLoop(Api api, Setup setup, int perSecond, Duration duration, String label)
            throws InterruptedException {
        var histogram = new Histogram(60_000_000L, 3);
        var errors = new AtomicLong();
        var sentAt = new ConcurrentHashMap<String, Long>();
        var total = (int) (perSecond * duration.toSeconds());
        var start = System.nanoTime() + 100_000_000L;
        var wallStart = System.currentTimeMillis() * 1_000_000L + 100_000_000L;
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < total; i++) {
                var scheduled = start + i * 1_000_000_000L / perSecond;
                var wait = scheduled - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait); // pacing the load generator itself
                }
                var n = (int) ((label.hashCode() & 0xffff) * 100 + i) % 1_000_000;
                var wallScheduled = wallStart + (scheduled - start);
                executor.execute(() -> {
                    var response = api.post("/calls/outbound", body(setup, number(n)));
                    var latency = (System.nanoTime() - scheduled) / 1000;
                    synchronized (histogram) {
                        histogram.recordValue(Math.max(0, latency));
                    }
                    if (response.status() != 200) {
                        if (errors.getAndIncrement() == 0) {
                            System.out.println("  first error: " + response.status() + " " + response.text());
                        }
                    } else {
                        sentAt.put(response.json().get("room_name").asString(), wallScheduled);
                    }
                });
            }
        }
        return new LoadResult(perSecond, errors.get(), histogram, sentAt);
    }

    /** From each request's scheduled send to LiveKit receiving that call's CreateSIPParticipant. */
    private static Histogram timeToDial(FakeLiveKit liveKit, Map<String, Long> sentAt, Instant since) {
        var histogram = new Histogram(60_000_000L, 3);
        for (var request : liveKit.requests("SIP", "CreateSIPParticipant")) {
            var room = request.bodyAs(CreateSIPParticipantRequest.class).getRoomName();
            var sent = sentAt.get(room);
            if (sent != null) {
                var received = request.receivedAt().getEpochSecond() * 1_000_000_000L
                        + request.receivedAt().getNano();
                histogram.recordValue(Math.max(0, (received - sent) / 1000));
            }
        }
        return histogram;
    }

    /** The same three LiveKit requests a call makes, straight through the SDK, at a fixed rate. */
    static Histogram directSdk(FakeLiveKit liveKit, int perSecond, Duration duration) throws InterruptedException {
        var retrofit = new Retrofit.Builder()
                .baseUrl(liveKit.url() + "/")
                .addConverterFactory(ProtoConverterFactory.create())
                .client(new OkHttpClient.Builder() // as Dialplane configures its client
                        .retryOnConnectionFailure(false)
                        .connectionPool(new okhttp3.ConnectionPool(64, 30, TimeUnit.SECONDS))
                        .readTimeout(Duration.ofSeconds(30))
                        .build())
                .build();
        var rooms = retrofit.create(RoomService.class);
        var dispatch = retrofit.create(AgentDispatchService.class);
        var sip = retrofit.create(SipService.class);
        var histogram = new Histogram(60_000_000L, 3);
        var total = (int) (perSecond * duration.toSeconds());
        var start = System.nanoTime() + 100_000_000L;
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < total; i++) {
                var scheduled = start + i * 1_000_000_000L / perSecond;
                var wait = scheduled - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                var room = "direct_" + i;
                executor.execute(() -> {
                    try {
                        rooms.createRoom(
                                        CreateRoomRequest.newBuilder()
                                                .setName(room)
                                                .build(),
                                        bearer(liveKit, room, List.of(new RoomCreate(true)), false))
                                .execute();
                        dispatch.createDispatch(
                                        CreateAgentDispatchRequest.newBuilder()
                                                .setRoom(room)
                                                .setAgentName("agent")
                                                .build(),
                                        bearer(liveKit, room, List.of(new RoomAdmin(true), new RoomName(room)), false))
                                .execute();
                        sip.createSipParticipant(
                                        CreateSIPParticipantRequest.newBuilder()
                                                .setRoomName(room)
                                                .setSipCallTo("+14155550000")
                                                .setSipNumber("+12025550100")
                                                .setTrunk(SIPOutboundConfig.newBuilder()
                                                        .setHostname("sip.carrier.example"))
                                                .setWaitUntilAnswered(true)
                                                .build(),
                                        bearer(liveKit, room, List.of(), true))
                                .execute();
                        synchronized (histogram) {
                            histogram.recordValue(Math.max(0, (System.nanoTime() - scheduled) / 1000));
                        }
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                });
            }
        }
        return histogram;
    }

    private static String bearer(
            FakeLiveKit liveKit, String room, List<io.livekit.server.VideoGrant> grants, boolean sipCall) {
        var token = new AccessToken(liveKit.apiKey(), liveKit.apiSecret());
        token.setTtl(600_000);
        token.addGrants(grants);
        if (sipCall) {
            token.addSIPGrants(new SIPCall(true));
        }
        return "Bearer " + token.toJwt();
    }

    // ---- set-up --------------------------------------------------------------------------------

    record Setup(Api api, String agentId, String apiKey) {

        private static final java.util.concurrent.atomic.AtomicInteger NUMBERS =
                new java.util.concurrent.atomic.AtomicInteger();

        /** An organization with credits to spare, a voice agent, and a caller number on the given (or its own) trunk. */
        static Setup create(Api node, String trunkId) {
            var admin = node.withKey(ADMIN);
            var org = admin.post(
                            "/admin/organizations",
                            Map.of("name", "bench", "credits", 1_000_000_000, "rate_per_minute", 0))
                    .json();
            var api = node.withKey(org.get("api_key").asString());
            // the benchmark runs at any hour: no calling window
            api.send("PUT", "/compliance-policy", "application/json", "{\"calling_window\": null}");
            var agent = api.post(
                            "/agents",
                            Map.of("name", "bench", "architecture", "pipeline", "livekit_agent_name", "bench-agent"))
                    .json();
            var trunk = trunkId != null
                    ? trunkId
                    : api.post(
                                    "/sip-trunks",
                                    Map.of(
                                            "name",
                                            "carrier",
                                            "address",
                                            "sip.carrier.example",
                                            "username",
                                            "u",
                                            "password",
                                            "p"))
                            .json()
                            .get("id")
                            .asString();
            // a number belongs to one organization: each bench organization gets its own
            var number = "+1202555" + (3000 + NUMBERS.getAndIncrement() % 7000);
            api.post(
                    "/phone-numbers",
                    Map.of(
                            "number",
                            number,
                            "sip_trunk_id",
                            trunk,
                            "outbound_agent_id",
                            agent.get("id").asString()));
            return new Setup(api, agent.get("id").asString(), org.get("api_key").asString());
        }
    }

    private static Map<String, Object> body(Setup setup, String to) {
        return Map.of("agent_id", setup.agentId(), "to_number", to, "max_call_duration_seconds", 60);
    }

    private static Map<String, Object> mapOf(String key, Object value) {
        var map = new HashMap<String, Object>();
        map.put(key, value);
        return map;
    }

    /** Distinct valid US numbers: area codes 415 and 650, exchange 555. */
    static String number(int i) {
        return (i < 10_000 ? "+1415555" : "+1650" + (200 + i / 10_000 % 800)) + String.format("%04d", i % 10_000);
    }

    static Map<String, String> env(Database db, FakeLiveKit liveKit) {
        return Map.ofEntries(
                entry("SPRING_DATASOURCE_URL", db.url()),
                entry("SPRING_DATASOURCE_USERNAME", "postgres"),
                entry("SPRING_DATASOURCE_PASSWORD", ""),
                entry("LIVEKIT_URL", liveKit.url()),
                entry("LIVEKIT_API_KEY", liveKit.apiKey()),
                entry("LIVEKIT_API_SECRET", liveKit.apiSecret()),
                entry("DIALPLANE_MASTER_KEY", MASTER_KEY),
                entry("DIALPLANE_ADMIN_TOKEN", ADMIN),
                entry("SPRING_DATASOURCE_HIKARI_MAXIMUM_POOL_SIZE", "40"),
                // the harness reads heap, threads and timers from /actuator/metrics
                entry("MANAGEMENT_ENDPOINTS_WEB_EXPOSURE_INCLUDE", "health,prometheus,metrics"));
    }

    private static double ms(Histogram histogram, double percentile) {
        return histogram.getValueAtPercentile(percentile) / 1000.0;
    }

    /** Offsets in ms from {@code origin} of the fullest window's starts, with the two on either side of it. */
    /** The dial count of a {@link WireCapture}: the same figures as the harness's, by the kernel's clock. */
    static void reportWire(List<Instant> sent, int seconds, int cps) {
        if (sent.isEmpty()) {
            System.out.println("  on the wire (tcpdump): no dial captured");
            return;
        }
        var first = sent.getFirst();
        var window = sent.stream()
                .filter(t -> t.isBefore(first.plusSeconds(seconds)))
                .toList();
        var largest = StartWindows.fullest(window, Duration.ofSeconds(1)).count();
        System.out.printf(
                "  on the wire (tcpdump on loopback): %,d dials in the %d s from the first, largest count in any"
                        + " one-second window %d (limit %d)%n",
                window.size(), seconds, largest, cps);
        if (largest > cps) {
            System.out.println("  on the wire, around the fullest window (ms after the first dial): "
                    + aroundFullest(window, Duration.ofSeconds(1), first));
        }
    }

    static List<Long> aroundFullest(List<Instant> sorted, Duration window, Instant origin) {
        var fullest = StartWindows.fullest(sorted, window);
        return sorted
                .subList(Math.max(0, fullest.from() - 2), Math.min(sorted.size(), fullest.from() + fullest.count() + 2))
                .stream()
                .map(t -> Duration.between(origin, t).toMillis())
                .toList();
    }

    private static String machine() throws IOException {
        var cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                .filter(l -> l.startsWith("model name"))
                .findFirst()
                .orElse("?");
        var memory = Files.readAllLines(Path.of("/proc/meminfo")).getFirst();
        return "machine: " + Runtime.getRuntime().availableProcessors() + " CPUs (" + cpu.replaceAll(".*: ", "") + "), "
                + memory.replaceAll("\\s+", " ") + ", Java " + System.getProperty("java.version") + ", PostgreSQL at "
                + PG
                + ", " + ManagementFactory.getOperatingSystemMXBean().getName();
    }

    /** A fresh PostgreSQL database for one run, dropped afterwards. */
    record Database(String name) implements AutoCloseable {

        static Database create() throws Exception {
            var name = "dialplane_bench_"
                    + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
            try (var c = DriverManager.getConnection(PG + "postgres", "postgres", "");
                    var s = c.createStatement()) {
                s.execute("create database " + name);
            }
            return new Database(name);
        }

        String url() {
            return PG + name;
        }

        long count(String status) throws Exception {
            try (var c = DriverManager.getConnection(url(), "postgres", "");
                    var s = c.prepareStatement("select count(*) from calls where status = ?")) {
                s.setString(1, status);
                try (var rs = s.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        }

        List<Instant> instants(String sql) throws Exception {
            var instants = new ArrayList<Instant>();
            try (var c = DriverManager.getConnection(url(), "postgres", "");
                    var rs = c.createStatement().executeQuery(sql)) {
                while (rs.next()) {
                    instants.add(rs.getTimestamp(1).toInstant());
                }
            }
            return instants;
        }

        /** A campaign's contacts calling, and the calls queued, dialing and ringing now. */
        long[] pipeline(String campaignId) throws Exception {
            try (var c = DriverManager.getConnection(url(), "postgres", "");
                    var rs = c.createStatement()
                            .executeQuery("select (select count(*) from campaign_contacts where campaign_id = '"
                                    + UUID.fromString(campaignId)
                                    + "' and status = 'calling'), count(*) filter (where status = 'queued'),"
                                    + " count(*) filter (where status = 'dialing'), count(*) filter (where status ="
                                    + " 'ringing') from calls where status in ('queued', 'dialing', 'ringing')")) {
                rs.next();
                return new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)};
            }
        }

        /** Mean milliseconds of each stage of the dialed calls: stored → claimed → sent → ended. */
        String stages() throws Exception {
            try (var c = DriverManager.getConnection(url(), "postgres", "");
                    var rs = c.createStatement()
                            .executeQuery("select avg(extract(epoch from dialing_at - created_at)) * 1000,"
                                    + " avg(extract(epoch from dial_sent_at - dialing_at)) * 1000,"
                                    + " avg(extract(epoch from ended_at - dial_sent_at)) * 1000, count(*)"
                                    + " from calls where dial_sent_at is not null and ended_at is not null")) {
                rs.next();
                return String.format(
                        "queued %.0f, claimed to sent %.0f, sent to ended %.0f (%,d calls)",
                        rs.getDouble(1), rs.getDouble(2), rs.getDouble(3), rs.getLong(4));
            }
        }

        Map<String, Long> countsBy(String column) throws Exception {
            var counts = new LinkedHashMap<String, Long>();
            try (var c = DriverManager.getConnection(url(), "postgres", "");
                    var rs = c.createStatement()
                            .executeQuery(
                                    "select " + column + ", count(*) from calls group by " + column + " order by 1")) {
                while (rs.next()) {
                    counts.put(rs.getString(1), rs.getLong(2));
                }
            }
            return counts;
        }

        UUID organizationOf(String agentId) throws Exception {
            try (var c = DriverManager.getConnection(url(), "postgres", "");
                    var s = c.prepareStatement("select organization_id from agents where id = ?")) {
                s.setObject(1, UUID.fromString(agentId));
                try (var rs = s.executeQuery()) {
                    rs.next();
                    return rs.getObject(1, UUID.class);
                }
            }
        }

        /** {@code rounds} × the numbers, each probed with the node's own query; latency in µs. */
        Histogram probe(UUID organization, List<String> numbers, int rounds) throws Exception {
            var histogram = new Histogram(60_000_000L, 3);
            try (var c = DriverManager.getConnection(url(), "postgres", "");
                    var s = c.prepareStatement("select 1 from dnc_entries where organization_id = ? and number = ?")) {
                for (int round = 0; round < rounds; round++) {
                    for (var number : numbers) {
                        var begin = System.nanoTime();
                        s.setObject(1, organization);
                        s.setString(2, number);
                        try (var rs = s.executeQuery()) {
                            rs.next();
                        }
                        if (round > 0) { // the first round warms the plan cache and the JIT
                            histogram.recordValue((System.nanoTime() - begin) / 1000);
                        }
                    }
                }
            }
            return histogram;
        }

        List<String> explain(UUID organization, String number) throws Exception {
            var lines = new ArrayList<String>();
            try (var c = DriverManager.getConnection(url(), "postgres", "");
                    var s = c.prepareStatement("explain (analyze, buffers) select 1 from dnc_entries"
                            + " where organization_id = ? and number = ?")) {
                s.setObject(1, organization);
                s.setString(2, number);
                try (var rs = s.executeQuery()) {
                    while (rs.next()) {
                        lines.add(rs.getString(1));
                    }
                }
            }
            return lines;
        }

        long dncRows() throws Exception {
            try (var c = DriverManager.getConnection(url(), "postgres", "");
                    var rs = c.createStatement().executeQuery("select count(*) from dnc_entries")) {
                rs.next();
                return rs.getLong(1);
            }
        }

        String dncSize() throws Exception {
            try (var c = DriverManager.getConnection(url(), "postgres", "");
                    var rs = c.createStatement()
                            .executeQuery("select pg_size_pretty(pg_total_relation_size('dnc_entries'))")) {
                rs.next();
                return rs.getString(1);
            }
        }

        @Override
        public void close() throws Exception {
            try (var c = DriverManager.getConnection(PG + "postgres", "postgres", "");
                    var s = c.createStatement()) {
                s.execute("drop database if exists " + name + " with (force)");
            }
        }
    }
}
