package dev.dialplane.bench;

import dev.dialplane.fakelivekit.DialScript;
import dev.dialplane.fakelivekit.FakeLiveKit;
import dev.dialplane.fakelivekit.RecordedRequest;
import dev.dialplane.support.StartWindows;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import livekit.LivekitSip.CreateSIPParticipantRequest;

/**
 * Campaign benchmarks: real Dialplane processes on PostgreSQL, the fake LiveKit in this process.
 * Every contact's number is scripted busy, so each call ends at its dial and the campaign's pace is
 * set by the trunk's {@code cps_limit}, not by call lengths.
 */
final class CampaignBench {

    /** The trunk's calls per second. */
    private static final int CPS = Integer.parseInt(System.getenv().getOrDefault("BENCH_CPS", "20"));
    /** The batch job's concurrentCallLimit (TalkifAI's maximum): well above what the trunk's rate keeps busy. */
    private static final int CONCURRENCY = 50;

    private CampaignBench() {}

    // ---- a 100,000-contact campaign ------------------------------------------------------------

    static void campaign(int contacts, int seconds) throws Exception {
        try (var liveKit = FakeLiveKit.start();
                var db = Bench.Database.create();
                var one = Node.start("campaign-1", 18081, "512m", Bench.env(db, liveKit));
                var two = Node.start("campaign-2", 18082, "512m", Bench.env(db, liveKit))) {
            var trunkId = closedTrunk(one);
            var setup = Bench.Setup.create(one.api(), trunkId);
            // as in the pacing benchmark: the fake's own dial path compiled before anything is timed
            Bench.directSdk(liveKit, 20, Duration.ofSeconds(3));
            liveKit.reset();
            for (int i = 0; i < contacts; i++) {
                liveKit.onDial(Bench.number(i), DialScript.sipFailure(486, "Busy Here"));
            }
            // a TalkifAI batch job (its concurrentCallLimit goes to 50, so the trunk's cps_limit binds, not the
            // campaign's cap), created as a draft with one contact; the rest go as one CSV to the campaign
            var campaignId = createBatchJob(setup, CONCURRENCY);

            var csv = csv(1, contacts);
            System.out.printf(
                    "upload: %,d contacts as CSV (%.1f MiB: phone and two variables), POST /campaigns/{id}/targets%n",
                    contacts - 1, csv.length / (1024.0 * 1024));
            var started = System.nanoTime();
            var response = upload(one, setup, campaignId, csv);
            var uploadSeconds = (System.nanoTime() - started) / 1e9;
            System.out.printf(
                    "  HTTP %d in %.1f s: %,.0f rows/s; %s%n",
                    response.statusCode(), uploadSeconds, (contacts - 1) / uploadSeconds, abbreviated(response.body()));

            System.out.printf(
                    "dialing: trunk cps_limit %d, batch job concurrentCallLimit %d, every call busy at its dial; starting"
                            + " the job and opening the trunk to both nodes%n",
                    CPS, CONCURRENCY);
            var wire = WireCapture.startIfAsked(URI.create(liveKit.url()).getPort());
            var start = setup.api().post("/batch/jobs/" + campaignId + "/start");
            if (start.status() != 200) {
                throw new IllegalStateException("the job did not start: " + start.text());
            }
            var opened = Instant.now();
            var cpu = CpuMeter.start(one, two);
            two.api().withKey(Bench.ADMIN).patch("/admin/sip-trunks/" + trunkId, nullMaxChannels());
            // the measurement is the window after the first dial; meanwhile, twice a second, where the
            // campaign's in-flight contacts are: a trunk queue that runs dry is the driver not feeding it
            var samples = new ArrayList<long[]>();
            var until = Instant.now().plusSeconds(seconds + 4);
            while (Instant.now().isBefore(until)) {
                samples.add(db.pipeline(campaignId));
                Thread.sleep(500);
            }
            var used = cpu.stop();
            var dialed = liveKit.requests("SIP", "CreateSIPParticipant").size();
            var pause = setup.api().post("/campaigns/" + campaignId + "/pause");
            var starts = liveKit.requests("SIP", "CreateSIPParticipant").stream()
                    .map(RecordedRequest::receivedAt)
                    .sorted()
                    .toList();
            var first = starts.getFirst();
            var window = starts.stream()
                    .filter(t -> t.isBefore(first.plusSeconds(seconds)))
                    .toList();
            System.out.printf(
                    "  first dial %.0f ms after the trunk opened%n",
                    Duration.between(opened, first).toNanos() / 1e6);
            System.out.printf(
                    "  dials in the %d s from the first: %,d (limit %,d): utilization %.1f %%%n",
                    seconds, window.size(), CPS * seconds, 100.0 * window.size() / (CPS * seconds));
            var largest = StartWindows.fullest(window, Duration.ofSeconds(1)).count();
            System.out.printf(
                    "  largest count in any one-second window by the harness's arrival stamps: %d (limit %d)%n",
                    largest, CPS);
            if (largest > CPS) {
                System.out.println("  arrivals (ms after the first dial) around the fullest window: "
                        + Bench.aroundFullest(window, Duration.ofSeconds(1), first));
            }
            if (wire.isPresent()) {
                try (var capture = wire.get()) {
                    Bench.reportWire(capture.stop("/twirp/livekit.SIP/CreateSIPParticipant"), seconds, CPS);
                }
            }
            var perRoom = new HashMap<String, Integer>();
            liveKit.requests("SIP", "CreateSIPParticipant")
                    .forEach(r -> perRoom.merge(
                            r.bodyAs(CreateSIPParticipantRequest.class).getRoomName(), 1, Integer::sum));
            System.out.printf(
                    "  rooms dialed more than once: %d (of %,d)%n",
                    perRoom.values().stream().filter(n -> n > 1).count(), perRoom.size());
            // the nodes' own measure of what the pacer controls, apart from the harness's arrival stamps:
            // how late after its booked slot each dial left, and how many woke too late and booked again
            for (var node : List.of(one, two)) {
                System.out.printf(
                        "  node %d: dials sent %.0f ms at most after their slot (tolerance 40 ms), %.0f booked again"
                                + " for waking later than that%n",
                        node.port,
                        node.metric("dialplane.dial.send.lateness", null, "MAX") * 1000,
                        orZero(node.metric("dialplane.dials.rebooked", null, "COUNT")));
            }
            var steady = samples.subList(Math.min(samples.size(), 10), samples.size()); // after the first 5 s
            System.out.printf(
                    "  in flight (mean of %d samples after the first 5 s): contacts calling %.1f; their calls queued %.1f,"
                            + " dialing %.1f (claimed, preparing or waiting for the send slot), ringing %.1f; samples"
                            + " with no call queued: %.0f %%%n",
                    steady.size(),
                    mean(steady, 0),
                    mean(steady, 1),
                    mean(steady, 2),
                    mean(steady, 3),
                    100.0 * steady.stream().filter(sample -> sample[1] == 0).count() / Math.max(1, steady.size()));
            System.out.println("  stages of the calls (mean ms): " + db.stages());
            // what a dial costs, the campaign's own work included (both nodes summed): on a machine this
            // size, the less, the fewer dials wake late for their slot
            System.out.println("  " + CpuMeter.perUnit(used, dialed, "dial") + " (" + dialed + " dials)");
            System.out.println("  campaign after pausing (HTTP " + pause.status() + "): "
                    + setup.api().get("/campaigns/" + campaignId).json().get("contacts"));
            System.out.println("  calls placed per node (claimed_by): " + db.countsBy("claimed_by"));

            System.out.println("the driver's queries as the campaign drains (EXPLAIN ANALYZE, median of 15):");
            for (var drained : List.of(0.0, 0.5, 0.9, 0.99)) {
                drain(db, campaignId, drained, contacts);
                System.out.printf("  %2.0f %% of contacts done: %s%n", drained * 100, claimCost(db, campaignId));
            }
        }
    }

    // ---- a node killed mid-campaign --------------------------------------------------------------

    static void kill(int contacts) throws Exception {
        try (var liveKit = FakeLiveKit.start();
                var db = Bench.Database.create();
                var survivor = Node.start("campaign-1", 18081, "512m", Bench.env(db, liveKit));
                var victim = Node.start("campaign-2", 18082, "512m", Bench.env(db, liveKit))) {
            var trunkId = closedTrunk(survivor);
            var setup = Bench.Setup.create(survivor.api(), trunkId);
            for (int i = 0; i < contacts; i++) {
                liveKit.onDial(Bench.number(i), DialScript.sipFailure(486, "Busy Here"));
            }
            var campaignId = createCampaign(setup, 10);
            var response = upload(survivor, setup, campaignId, csv(1, contacts));
            System.out.printf("%,d contacts; upload HTTP %d%n", contacts, response.statusCode());
            victim.api().withKey(Bench.ADMIN).patch("/admin/sip-trunks/" + trunkId, nullMaxChannels());

            // the victim dies (SIGKILL: no shutdown hook, no clean-up) once a third of the contacts is dialed
            while (liveKit.requests("SIP", "CreateSIPParticipant").size() < contacts / 3) {
                Thread.sleep(50); // watching another process's progress
            }
            victim.process.destroyForcibly().waitFor();
            var killedAt = Instant.now();
            System.out.printf(
                    "killed campaign-2 (SIGKILL) after %,d dials; campaign-1 goes on alone%n",
                    liveKit.requests("SIP", "CreateSIPParticipant").size());
            var deadline = Instant.now().plus(Duration.ofMinutes(15));
            String status;
            do {
                Thread.sleep(500); // polling another process
                status = setup.api()
                        .get("/campaigns/" + campaignId)
                        .json()
                        .get("status")
                        .asString();
            } while (!status.equals("completed") && Instant.now().isBefore(deadline));
            System.out.printf(
                    "campaign %s %.0f s after the kill: %s%n",
                    status,
                    Duration.between(killedAt, Instant.now()).toMillis() / 1000.0,
                    setup.api().get("/campaigns/" + campaignId).json().get("contacts"));

            var dials = new HashMap<String, Integer>();
            for (var request : liveKit.requests("SIP", "CreateSIPParticipant")) {
                dials.merge(request.bodyAs(CreateSIPParticipantRequest.class).getSipCallTo(), 1, Integer::sum);
            }
            var mismatches = new ArrayList<String>();
            var notEnded = 0;
            try (var c = DriverManager.getConnection(db.url(), "postgres", "");
                    var s = c.prepareStatement(
                            "select to_number, attempts, status from campaign_contacts where campaign_id = ?")) {
                s.setObject(1, UUID.fromString(campaignId));
                try (var rs = s.executeQuery()) {
                    while (rs.next()) {
                        var number = rs.getString(1);
                        var attempts = rs.getInt(2);
                        if (rs.getString(3).equals("pending") || rs.getString(3).equals("calling")) {
                            notEnded++;
                        }
                        var dialed = dials.getOrDefault(number, 0);
                        if (dialed != attempts) {
                            mismatches.add(number + ": " + dialed + " dials, " + attempts + " attempts");
                        }
                    }
                }
            }
            System.out.printf(
                    "contacts not ended: %d; numbers dialed more than once: %d; contacts whose dials differ from their"
                            + " recorded attempts: %d %s%n",
                    notEnded,
                    dials.values().stream().filter(n -> n > 1).count(),
                    mismatches.size(),
                    mismatches.stream().limit(10).toList());
            System.out.println("calls per node (claimed_by): " + db.countsBy("claimed_by"));
        }
    }

    // ---- helpers --------------------------------------------------------------------------------

    /** A trunk at {@link #CPS} with no channel open yet, so nothing dials until the harness opens it. */
    private static String closedTrunk(Node node) {
        return node.api()
                .withKey(Bench.ADMIN)
                .post(
                        "/admin/sip-trunks",
                        Map.of(
                                "name",
                                "carrier",
                                "address",
                                "sip.carrier.example",
                                "cps_limit",
                                CPS,
                                "max_channels",
                                0))
                .json()
                .get("id")
                .asString();
    }

    private static Map<String, Object> nullMaxChannels() {
        var body = new HashMap<String, Object>();
        body.put("max_channels", null);
        return body;
    }

    private static String createBatchJob(Bench.Setup setup, int concurrency) {
        var numberId = setup.api()
                .get("/phone-numbers")
                .json()
                .get("data")
                .get(0)
                .get("id")
                .asString();
        var created = setup.api()
                .post(
                        "/batch/create",
                        Map.of(
                                "fromPhoneNumberId",
                                numberId,
                                "name",
                                "bench",
                                "concurrentCallLimit",
                                concurrency,
                                "maxAttempts",
                                1,
                                "contacts",
                                List.of(Map.of("phone", Bench.number(0)))));
        if (created.status() != 200) {
            throw new IllegalStateException("batch job not created: " + created.text());
        }
        return created.json().get("batchJobId").asString();
    }

    private static String createCampaign(Bench.Setup setup, int concurrent) {
        var created = setup.api()
                .post(
                        "/campaigns",
                        Map.of(
                                "agent_id",
                                setup.agentId(),
                                "name",
                                "bench",
                                "targets",
                                List.of(Map.of("to_number", Bench.number(0))),
                                "concurrent_calls",
                                concurrent));
        if (created.status() != 200) {
            throw new IllegalStateException("campaign not created: " + created.text());
        }
        return created.json().get("campaign_id").asString();
    }

    private static byte[] csv(int from, int to) {
        var out = new java.io.ByteArrayOutputStream((to - from) * 40);
        out.writeBytes("phone,first_name,plan\n".getBytes(StandardCharsets.US_ASCII));
        for (int i = from; i < to; i++) {
            out.writeBytes((Bench.number(i) + ",customer " + i + ",plan-" + (i % 7) + "\n")
                    .getBytes(StandardCharsets.US_ASCII));
        }
        return out.toByteArray();
    }

    private static HttpResponse<String> upload(Node node, Bench.Setup setup, String campaignId, byte[] csv)
            throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(
                                        "http://127.0.0.1:" + node.port + "/campaigns/" + campaignId + "/targets"))
                                .header("Authorization", "Bearer " + setup.apiKey())
                                .header("Content-Type", "text/csv")
                                .timeout(Duration.ofMinutes(30))
                                .POST(HttpRequest.BodyPublishers.ofByteArray(csv))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    /** Marks contacts done up to {@code fraction} of the campaign, in row order, as a draining campaign leaves them. */
    private static void drain(Bench.Database db, String campaignId, double fraction, int contacts) throws Exception {
        try (var c = DriverManager.getConnection(db.url(), "postgres", "");
                var s = c.prepareStatement(
                        "update campaign_contacts set status = 'failed' where campaign_id = ? and row_number <= ?"
                                + " and status = 'pending'")) {
            s.setObject(1, UUID.fromString(campaignId));
            s.setInt(2, (int) (contacts * fraction));
            s.executeUpdate();
            c.createStatement().execute("analyze campaign_contacts");
        }
    }

    /** The driver's per-pass queries on this campaign, each timed by EXPLAIN ANALYZE; medians in ms. */
    private static String claimCost(Bench.Database db, String campaignId) throws Exception {
        var queries = new java.util.LinkedHashMap<String, String>();
        queries.put(
                "due (a page of 50 pending: as many as the job's free slots, at most)",
                "select * from campaign_contacts where campaign_id = ? and status = 'pending'"
                        + " and (next_attempt_at is null or next_attempt_at <= now()) order by row_number limit 50");
        queries.put(
                "calling count", "select count(*) from campaign_contacts where campaign_id = ? and status = 'calling'");
        queries.put(
                "anything left",
                "select 1 from campaign_contacts where campaign_id = ? and status in ('pending', 'calling') limit 1");
        queries.put(
                "counts by status (GET /campaigns/{id})",
                "select status, count(*) from campaign_contacts where campaign_id = ? group by status");
        var out = new StringBuilder();
        try (var c = DriverManager.getConnection(db.url(), "postgres", "")) {
            for (var query : queries.entrySet()) {
                var times = new ArrayList<Double>();
                for (int i = 0; i < 16; i++) {
                    try (var s = c.prepareStatement("explain (analyze, format json) " + query.getValue())) {
                        s.setObject(1, UUID.fromString(campaignId));
                        try (var rs = s.executeQuery()) {
                            rs.next();
                            var plan = rs.getString(1);
                            var at = plan.indexOf("\"Execution Time\": ");
                            var value = plan.substring(at + 18, plan.indexOf('\n', at))
                                    .replace(",", "")
                                    .strip();
                            if (i > 0) { // the first warms the cache
                                times.add(Double.parseDouble(value));
                            }
                        }
                    }
                }
                times.sort(Double::compare);
                out.append(String.format("%s %.3f; ", query.getKey(), times.get(times.size() / 2)));
            }
        }
        return out.toString();
    }

    private static String abbreviated(String text) {
        return text.length() > 300 ? text.substring(0, 300) + "…" : text;
    }

    private static double orZero(double measured) {
        return Double.isNaN(measured) ? 0 : measured;
    }

    private static double mean(List<long[]> samples, int column) {
        return samples.stream().mapToLong(sample -> sample[column]).average().orElse(Double.NaN);
    }
}
