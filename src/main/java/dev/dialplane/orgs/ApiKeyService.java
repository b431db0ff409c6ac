package dev.dialplane.orgs;

import dev.dialplane.common.ApiException;
import dev.dialplane.common.Cursor;
import dev.dialplane.common.Page;
import dev.dialplane.common.PageRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Issues, lists, revokes and checks API keys. Keys are 240-bit random strings, so a plain SHA-256
 * is a sufficient one-way store (no slow hash needed: there is nothing to brute-force).
 */
@Service
public class ApiKeyService {

    static final String KEY_PREFIX = "dp_";
    private static final int PREFIX_SHOWN = 11;
    private static final char[] ALPHABET =
            "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final Duration TOUCH_INTERVAL = Duration.ofMinutes(1);

    private final ApiKeyRepository keys;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    // last_used_at is advisory; writing it on every request would add a write to every API call
    private final ConcurrentHashMap<UUID, Long> lastTouched = new ConcurrentHashMap<>();

    ApiKeyService(ApiKeyRepository keys, Clock clock) {
        this.keys = keys;
        this.clock = clock;
    }

    @Transactional
    public IssuedApiKey issue(UUID organizationId, String name) {
        var secret = generate();
        return store(organizationId, name, secret);
    }

    /**
     * Stores a key whose value was chosen elsewhere (the sandbox's documented demo key). Does
     * nothing when that key already exists.
     */
    @Transactional
    public void ensure(UUID organizationId, String name, String secret) {
        if (!keys.existsByHash(hash(secret))) {
            store(organizationId, name, secret);
        }
    }

    public Page<ApiKey> list(Tenant tenant, PageRequest page) {
        return Page.of(
                keys.listActive(tenant.organizationId(), page), page.limit(), k -> new Cursor(k.createdAt(), k.id()));
    }

    public ApiKey get(Tenant tenant, UUID id) {
        return keys.findActive(tenant.organizationId(), id).orElseThrow(() -> notFound(id));
    }

    /** Revokes a key. The last active key cannot be revoked: that would lock the organization out. */
    @Transactional
    public void revoke(Tenant tenant, UUID id) {
        get(tenant, id);
        if (keys.countActive(tenant.organizationId()) <= 1) {
            throw ApiException.conflict(
                    "LAST_API_KEY",
                    "This is the organization's only active API key; create another key before revoking this one.");
        }
        keys.revoke(tenant.organizationId(), id, clock.instant());
    }

    public Optional<Tenant> authenticate(String secret) {
        if (!secret.startsWith(KEY_PREFIX)) {
            return Optional.empty();
        }
        return keys.findActiveByHash(hash(secret)).map(key -> {
            recordUse(key.id());
            return new Tenant(key.organizationId(), key.prefix());
        });
    }

    private void recordUse(UUID keyId) {
        long now = clock.millis();
        var previous = lastTouched.get(keyId);
        if (previous == null || now - previous > TOUCH_INTERVAL.toMillis()) {
            lastTouched.put(keyId, now);
            keys.touch(keyId, clock.instant());
        }
    }

    private IssuedApiKey store(UUID organizationId, String name, String secret) {
        var key = new ApiKey(
                UUID.randomUUID(), organizationId, name, secret.substring(0, PREFIX_SHOWN), clock.instant(), null);
        keys.insert(key, hash(secret));
        return new IssuedApiKey(key, secret);
    }

    private String generate() {
        var out = new StringBuilder(KEY_PREFIX);
        for (int i = 0; i < 40; i++) {
            out.append(ALPHABET[random.nextInt(ALPHABET.length)]);
        }
        return out.toString();
    }

    static String hash(String secret) {
        try {
            var digest = MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ApiException notFound(UUID id) {
        return ApiException.notFound("API_KEY_NOT_FOUND", "No API key " + id + " in your organization.");
    }
}
