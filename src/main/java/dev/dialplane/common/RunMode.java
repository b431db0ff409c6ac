package dev.dialplane.common;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import org.springframework.core.env.Environment;

/**
 * Whether Dialplane talks to a real LiveKit server or simulates the carrier. LiveKit mode is on
 * exactly when {@code LIVEKIT_URL}, {@code LIVEKIT_API_KEY} and {@code LIVEKIT_API_SECRET} are all
 * set (the LiveKit ecosystem's standard names); setting only some of them is a mistake we refuse
 * to guess about.
 */
public record RunMode(boolean sandbox) {

    public static final String URL = "dialplane.livekit.url";
    public static final String API_KEY = "dialplane.livekit.api-key";
    public static final String API_SECRET = "dialplane.livekit.api-secret";

    public static RunMode from(Environment environment) {
        var settings = new LinkedHashMap<String, String>();
        settings.put("LIVEKIT_URL", environment.getProperty(URL, ""));
        settings.put("LIVEKIT_API_KEY", environment.getProperty(API_KEY, ""));
        settings.put("LIVEKIT_API_SECRET", environment.getProperty(API_SECRET, ""));
        var missing = new ArrayList<String>();
        settings.forEach((name, value) -> {
            if (value.isBlank()) {
                missing.add(name);
            }
        });
        if (missing.size() == settings.size()) {
            return new RunMode(true);
        }
        if (!missing.isEmpty()) {
            throw new ConfigurationProblem(
                    "LiveKit is only partly configured: " + String.join(", ", missing) + " not set.",
                    "Set all of LIVEKIT_URL, LIVEKIT_API_KEY and LIVEKIT_API_SECRET to run against LiveKit, "
                            + "or none of them to run in sandbox mode.");
        }
        return new RunMode(false);
    }

    public String label() {
        return sandbox ? "sandbox" : "livekit";
    }
}
