package dev.dialplane.common.crypto;

import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Keys protecting stored secrets (SIP passwords, webhook signing secrets).
 *
 * @param masterKey base64 of 32 random bytes ({@code DIALPLANE_MASTER_KEY}); required outside sandbox
 * @param previousMasterKeys earlier master keys, still accepted for decryption after a rotation
 *     ({@code DIALPLANE_MASTER_KEY_PREVIOUS}, comma-separated)
 * @param sandboxKeyFile where sandbox mode keeps a generated key when no master key is set, so a
 *     restart can still read what it stored
 */
@ConfigurationProperties("dialplane.secrets")
public record SecretsProperties(
        @Nullable String masterKey,
        @DefaultValue List<String> previousMasterKeys,
        @DefaultValue("./data/master.key") Path sandboxKeyFile) {}
