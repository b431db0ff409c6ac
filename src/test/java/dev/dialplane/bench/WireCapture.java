package dev.dialplane.bench;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The dials as the kernel saw them reach the fake LiveKit's port: a {@code tcpdump} of the loopback
 * interface, for benchmarks that count dials per second near a limit. The harness stamps arrivals in
 * its own process, which on a loaded 2-CPU machine is itself scheduled late now and then (by up to
 * 50 ms, measured), enough to put one dial too many into a second the wire kept within the limit.
 * Packet timestamps are taken in the kernel as the packet passes, whatever the processes do.
 *
 * <p>Opt-in ({@code BENCH_TCPDUMP=1}): it needs {@code tcpdump} and the right to capture (root or
 * CAP_NET_RAW); without them the benchmark reports the harness's stamps only.
 */
final class WireCapture implements AutoCloseable {

    private static final Pattern PACKET = Pattern.compile("^(\\d+)\\.(\\d{6}) IP ");

    private final Process tcpdump;
    private final Path file;

    private WireCapture(Process tcpdump, Path file) {
        this.tcpdump = tcpdump;
        this.file = file;
    }

    /** Starts capturing requests to {@code port} when asked to and able to; empty otherwise. */
    static Optional<WireCapture> startIfAsked(int port) throws IOException, InterruptedException {
        if (!"1".equals(System.getenv("BENCH_TCPDUMP"))) {
            return Optional.empty();
        }
        var file = Files.createTempFile("bench-wire-", ".pcap");
        // only segments whose payload starts with "POST": the request heads, not PostgreSQL's traffic
        var filter = "tcp dst port " + port + " and tcp[((tcp[12:1] & 0xf0) >> 2):4] = 0x504f5354";
        var process = new ProcessBuilder("tcpdump", "-i", "lo", "-s", "400", "-U", "-w", file.toString(), filter)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.PIPE)
                .start();
        // tcpdump says "listening on lo" once the capture is on; nothing is sent before that
        var err = process.errorReader(StandardCharsets.UTF_8);
        var first = err.readLine();
        if (first == null || !first.contains("listening on")) {
            process.destroy();
            System.out.println("  (BENCH_TCPDUMP=1 but tcpdump did not start: " + first + ")");
            return Optional.empty();
        }
        Thread.ofPlatform().daemon().start(() -> {
            try {
                err.transferTo(Writer.nullWriter());
            } catch (IOException e) {
                // tcpdump stopped
            }
        });
        return Optional.of(new WireCapture(process, file));
    }

    /** Stops the capture; when each request to {@code rpcPath} passed the loopback interface, in order. */
    List<Instant> stop(String rpcPath) throws IOException, InterruptedException {
        tcpdump.destroy();
        tcpdump.waitFor(10, TimeUnit.SECONDS);
        var read = new ProcessBuilder("tcpdump", "-n", "-tt", "-A", "-r", file.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        var arrivals = new ArrayList<Instant>();
        Instant packet = null;
        try (var lines = read.inputReader(StandardCharsets.ISO_8859_1)) {
            for (String line; (line = lines.readLine()) != null; ) {
                var m = PACKET.matcher(line);
                if (m.find()) {
                    packet = Instant.ofEpochSecond(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)) * 1000);
                } else if (packet != null && line.contains("POST " + rpcPath + " ")) {
                    arrivals.add(packet);
                    packet = null;
                }
            }
        }
        read.waitFor(10, TimeUnit.SECONDS);
        return arrivals.stream().sorted().toList();
    }

    @Override
    public void close() throws IOException {
        tcpdump.destroy();
        Files.deleteIfExists(file);
    }
}
