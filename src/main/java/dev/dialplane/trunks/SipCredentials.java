package dev.dialplane.trunks;

import org.jspecify.annotations.Nullable;

/** Decrypted trunk credentials, held in memory for one dial only. */
public record SipCredentials(
        @Nullable String username, @Nullable String password) {

    @Override
    public String toString() {
        return "SipCredentials[username=" + username + ", password=" + (password == null ? "none" : "<redacted>") + "]";
    }
}
