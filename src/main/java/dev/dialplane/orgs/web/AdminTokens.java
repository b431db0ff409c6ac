package dev.dialplane.orgs.web;

import dev.dialplane.orgs.AdminToken;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/** {@link AdminToken} from {@code dialplane.admin.token}. */
@Component
class AdminTokens implements AdminToken {

    private final AdminProperties properties;

    AdminTokens(AdminProperties properties) {
        this.properties = properties;
    }

    @Override
    public boolean enabled() {
        var expected = properties.token();
        return expected != null && !expected.isBlank();
    }

    @Override
    public boolean matches(@Nullable String token) {
        var expected = properties.token();
        // constant-time comparison: the admin token must not leak through response timing
        return token != null
                && expected != null
                && !expected.isBlank()
                && MessageDigest.isEqual(
                        token.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
    }
}
