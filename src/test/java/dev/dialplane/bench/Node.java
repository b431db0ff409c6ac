package dev.dialplane.bench;

import dev.dialplane.support.Api;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One Dialplane process started from the built jar, as an operator runs it. */
final class Node implements AutoCloseable {

    final int port;
    /** Actuator's own port (metrics are not served on the API port); the API port + 1000. */
    final int managementPort;

    final Process process;
    final Path log;

    private Node(int port, Process process, Path log) {
        this.port = port;
        this.managementPort = port + 1000;
        this.process = process;
        this.log = log;
    }

    static Node start(String name, int port, String heap, Map<String, String> env)
            throws IOException, InterruptedException {
        var java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        var command = new ArrayList<String>();
        command.add(java);
        command.add("-Xmx" + heap);
        command.add("-XX:+UseG1GC");
        var extra = System.getenv(
                "BENCH_NODE_OPTS"); // e.g. a flight recording: -XX:StartFlightRecording=filename=target/node.jfr
        if (extra != null && !extra.isBlank()) {
            command.addAll(List.of(extra.trim().split("\\s+")));
        }
        command.add("-jar");
        command.add("target/dialplane.jar");
        var builder = new ProcessBuilder(command);
        builder.environment().putAll(env);
        builder.environment().put("PORT", Integer.toString(port));
        builder.environment().put("DIALPLANE_MANAGEMENT_PORT", Integer.toString(port + 1000));
        builder.environment().put("DIALPLANE_DISPATCH_NODE_ID", name);
        builder.environment().put("LOGGING_LEVEL_DEV_DIALPLANE", "WARN");
        var log = Path.of("target", "bench-" + name + ".log");
        builder.redirectErrorStream(true).redirectOutput(log.toFile());
        var process = builder.start();
        var node = new Node(port, process, log);
        node.awaitHealthy(Duration.ofMinutes(3));
        return node;
    }

    Api api() {
        return Api.unchecked(port); // the harness measures, it does not check the document
    }

    /** A metric's measurement from /actuator/metrics, e.g. ("jvm.memory.used", "area:heap", "VALUE"). */
    double metric(String name, String tag, String statistic) {
        var path = "/actuator/metrics/" + name + (tag == null ? "" : "?tag=" + tag);
        var response = Api.unchecked(managementPort).get(path);
        if (response.status() == 404) {
            return Double.NaN; // not registered yet: nothing measured so far
        }
        for (var measurement : response.json().get("measurements")) {
            if (measurement.get("statistic").asString().equals(statistic)) {
                return measurement.get("value").asDouble();
            }
        }
        return Double.NaN;
    }

    /** A full garbage collection in the node (jcmd), so the heap used afterwards is what is live. */
    void collectGarbage() throws IOException, InterruptedException {
        jcmd("GC.run", ProcessBuilder.Redirect.DISCARD);
    }

    /** Writes the node's heap histogram (jcmd GC.class_histogram) to {@code file}. */
    void heapHistogram(Path file) throws IOException, InterruptedException {
        jcmd("GC.class_histogram", ProcessBuilder.Redirect.to(file.toFile()));
    }

    private void jcmd(String command, ProcessBuilder.Redirect output) throws IOException, InterruptedException {
        var jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        var run = new ProcessBuilder(jcmd, Long.toString(process.pid()), command)
                .redirectErrorStream(true)
                .redirectOutput(output)
                .start();
        if (run.waitFor() != 0) {
            throw new IllegalStateException("jcmd " + command + " failed for process " + process.pid());
        }
    }

    /** Resident memory of the process, from /proc (Linux). */
    long residentBytes() throws IOException {
        for (var line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return -1;
    }

    private void awaitHealthy(Duration timeout) throws InterruptedException {
        var client = HttpClient.newHttpClient();
        var deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Dialplane exited during start-up; see " + log.toAbsolutePath());
            }
            try {
                var response = client.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(250); // polling a separate process's readiness; it has no other signal
        }
        throw new IllegalStateException(
                "Dialplane did not become ready in " + timeout + "; see " + log.toAbsolutePath());
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    static boolean jarExists() {
        return new File("target/dialplane.jar").isFile();
    }
}
