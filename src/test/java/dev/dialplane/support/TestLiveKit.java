package dev.dialplane.support;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The properties of Dialplane in LiveKit mode against the suite's fake LiveKit, for a test that
 * starts the application itself (a jqwik property test has no Spring extension).
 */
public final class TestLiveKit {

    private TestLiveKit() {}

    public static Map<String, Object> properties(String databaseUrl, String adminToken) {
        var fake = SharedFakeLiveKit.instance();
        var properties = new LinkedHashMap<String, Object>();
        properties.put("server.port", 0);
        properties.put("management.server.port", 0);
        properties.put("spring.datasource.url", databaseUrl);
        properties.put("spring.datasource.username", TestDatabase.username());
        properties.put("spring.datasource.password", TestDatabase.password());
        properties.put("spring.datasource.hikari.maximum-pool-size", TestDatabase.POOL_SIZE);
        properties.put("dialplane.livekit.url", fake.url());
        properties.put("dialplane.livekit.api-key", fake.apiKey());
        properties.put("dialplane.livekit.api-secret", fake.apiSecret());
        properties.put("dialplane.secrets.master-key",
                Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes()));
        properties.put("dialplane.admin.token", adminToken);
        properties.put("dialplane.calls.answer-timeout", "2s");
        properties.put("dialplane.calls.wait-grace", "2s");
        return properties;
    }
}
