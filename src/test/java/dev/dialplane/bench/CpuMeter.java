package dev.dialplane.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CPU time spent by each party of a benchmark over a window, from /proc (Linux): the Dialplane
 * processes, PostgreSQL (every process named postgres), and this harness (load generator and fake
 * LiveKit). On a shared 2-core machine this says where the budget goes.
 */
final class CpuMeter {

    private static final double TICKS_PER_SECOND = 100; // USER_HZ on Linux

    private final long[] dialplanePids;
    private final Map<String, Double> start;

    private CpuMeter(long[] dialplanePids) throws IOException {
        this.dialplanePids = dialplanePids;
        this.start = sample();
    }

    static CpuMeter start(Node... nodes) throws IOException {
        var pids = new long[nodes.length];
        for (int i = 0; i < nodes.length; i++) {
            pids[i] = nodes[i].process.pid();
        }
        return new CpuMeter(pids);
    }

    /** CPU seconds per party since the start. */
    Map<String, Double> stop() throws IOException {
        var end = sample();
        var used = new LinkedHashMap<String, Double>();
        end.forEach((party, seconds) -> used.put(party, seconds - start.getOrDefault(party, 0.0)));
        return used;
    }

    /** "Dialplane 1.23 ms, PostgreSQL 0.80 ms, harness 0.90 ms" of CPU per unit of work. */
    static String perUnit(Map<String, Double> used, long units, String unit) {
        var out = new StringBuilder();
        used.forEach((party, seconds) -> out.append(out.isEmpty() ? "" : ", ")
                .append(party)
                .append(String.format(" %.2f ms", seconds * 1000 / units)));
        return out + " of CPU per " + unit;
    }

    private Map<String, Double> sample() throws IOException {
        var seconds = new LinkedHashMap<String, Double>();
        var dialplane = 0.0;
        for (var pid : dialplanePids) {
            dialplane += cpuSeconds(pid);
        }
        seconds.put("Dialplane", dialplane);
        seconds.put("PostgreSQL", postgres());
        seconds.put("harness", cpuSeconds(ProcessHandle.current().pid()));
        return seconds;
    }

    private static double postgres() throws IOException {
        var total = 0.0;
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            for (var dir : processes
                    .filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                    .toList()) {
                try {
                    if (Files.readString(dir.resolve("comm")).trim().equals("postgres")) {
                        total += cpuSeconds(Long.parseLong(dir.getFileName().toString()));
                    }
                } catch (IOException gone) {
                    // a backend that exited meanwhile
                }
            }
        }
        return total;
    }

    private static double cpuSeconds(long pid) throws IOException {
        var stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        // fields after the parenthesised command name; utime and stime are the 14th and 15th
        var fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND;
    }
}
