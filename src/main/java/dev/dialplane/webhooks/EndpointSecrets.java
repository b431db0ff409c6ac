package dev.dialplane.webhooks;

import dev.dialplane.common.crypto.SecretBox;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Signing secrets at rest. Each ciphertext is bound to its endpoint and column, so it decrypts
 * nowhere else.
 */
@Component
class EndpointSecrets {

    private final SecretBox box;

    EndpointSecrets(SecretBox box) {
        this.box = box;
    }

    String sealCurrent(UUID endpointId, String secret) {
        return box.encrypt(secret, context(endpointId, "secret"));
    }

    String openCurrent(UUID endpointId, String ciphertext) {
        return box.decrypt(ciphertext, context(endpointId, "secret"));
    }

    String sealPrevious(UUID endpointId, String secret) {
        return box.encrypt(secret, context(endpointId, "previous_secret"));
    }

    String openPrevious(UUID endpointId, String ciphertext) {
        return box.decrypt(ciphertext, context(endpointId, "previous_secret"));
    }

    private static String context(UUID endpointId, String column) {
        return "webhook_endpoints/" + endpointId + "/" + column;
    }
}
