package dev.dialplane.livekit;

import java.util.Locale;
import java.util.SortedMap;
import java.util.TreeMap;

/** The sandbox carrier's magic numbers, described for people (Studio offers them); any other number answers. */
public final class SandboxNumbers {

    private SandboxNumbers() {}

    /** Each magic number and what dialing it does, by number. */
    public static SortedMap<String, String> described() {
        var described = new TreeMap<String, String>();
        SandboxCarrier.MAGIC_NUMBERS.forEach((number, failed) -> {
            var name = failed.failure().name().toLowerCase(Locale.ROOT).replace('_', ' ');
            described.put(
                    number, failed.sipStatusCode() == null ? name : name + " (SIP " + failed.sipStatusCode() + ")");
        });
        return described;
    }
}
