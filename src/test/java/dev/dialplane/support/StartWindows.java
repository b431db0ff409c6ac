package dev.dialplane.support;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** How dial starts fall into sliding windows: what a carrier counting calls per second sees. */
public final class StartWindows {

    private StartWindows() {}

    /** Where the fullest window lies in a sorted list: the index of its first start and how many it holds. */
    public record Fullest(int from, int count) {}

    /** The window of length {@code window} holding the most of {@code sorted} (ascending) starts. */
    public static Fullest fullest(List<Instant> sorted, Duration window) {
        var best = new Fullest(0, 0);
        var from = 0;
        for (int to = 0; to < sorted.size(); to++) {
            while (!sorted.get(from).plus(window).isAfter(sorted.get(to))) {
                from++;
            }
            if (to - from + 1 > best.count()) {
                best = new Fullest(from, to - from + 1);
            }
        }
        return best;
    }

    /** The most starts, in any order, that one window of length {@code window} holds. */
    public static int maxInAnyWindow(List<Instant> starts, Duration window) {
        return fullest(starts.stream().sorted().toList(), window).count();
    }
}
