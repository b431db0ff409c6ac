package dev.dialplane.common.crypto;

import com.google.crypto.tink.AccessesPartialKey;
import com.google.crypto.tink.Aead;
import com.google.crypto.tink.ConfigurationV0;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.aead.AesGcmKey;
import com.google.crypto.tink.aead.AesGcmParameters;
import com.google.crypto.tink.util.SecretBytes;
import dev.dialplane.common.ConfigurationProblem;
import dev.dialplane.common.RunMode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Encrypts secrets at rest with AES-256-GCM (Tink). Each ciphertext carries the id of the key that
 * made it (Tink's output prefix), so after a rotation the old key, listed as a previous master key,
 * still decrypts old rows while new rows use the new one. The associated data binds a ciphertext to
 * the row and column it belongs to, so a ciphertext copied into another row does not decrypt.
 */
@Component
public class SecretBox {

    private static final Logger log = LoggerFactory.getLogger(SecretBox.class);
    private static final int KEY_BYTES = 32;

    private final Aead aead;

    SecretBox(SecretsProperties properties, RunMode mode) {
        var keys = new ArrayList<byte[]>();
        keys.add(primaryKey(properties, mode));
        for (var previous : properties.previousMasterKeys()) {
            if (!previous.isBlank()) {
                keys.add(decodeKey(previous.trim(), "DIALPLANE_MASTER_KEY_PREVIOUS"));
            }
        }
        this.aead = aeadOf(keys);
    }

    public String encrypt(String plaintext, String context) {
        try {
            var ciphertext =
                    aead.encrypt(plaintext.getBytes(StandardCharsets.UTF_8), context.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(ciphertext);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("encryption failed", e);
        }
    }

    /**
     * @throws SecretUnreadable when no configured key can decrypt the value (wrong or rotated-out
     *     master key); the message never contains key material or plaintext
     */
    public String decrypt(String ciphertext, String context) {
        try {
            var plaintext =
                    aead.decrypt(Base64.getDecoder().decode(ciphertext), context.getBytes(StandardCharsets.UTF_8));
            return new String(plaintext, StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new SecretUnreadable(context);
        }
    }

    private static byte[] primaryKey(SecretsProperties properties, RunMode mode) {
        var configured = properties.masterKey();
        if (configured != null && !configured.isBlank()) {
            return decodeKey(configured.trim(), "DIALPLANE_MASTER_KEY");
        }
        if (!mode.sandbox()) {
            throw new ConfigurationProblem(
                    "DIALPLANE_MASTER_KEY is not set. Outside sandbox mode Dialplane needs a master key to protect "
                            + "stored SIP passwords and webhook secrets.",
                    "Generate one with 'openssl rand -base64 32', keep it in your secret store, and start Dialplane "
                            + "with DIALPLANE_MASTER_KEY set to it. Losing it makes stored secrets unreadable.");
        }
        return sandboxKey(properties.sandboxKeyFile());
    }

    private static byte[] sandboxKey(Path file) {
        try {
            if (Files.exists(file)) {
                return decodeKey(Files.readString(file).trim(), file.toString());
            }
            var key = new byte[KEY_BYTES];
            new SecureRandom().nextBytes(key);
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, Base64.getEncoder().encodeToString(key) + "\n");
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system; the file stays readable by the user's default umask
            }
            log.warn("Sandbox mode: no DIALPLANE_MASTER_KEY set, generated a local master key in {}", file);
            return key;
        } catch (IOException e) {
            throw new ConfigurationProblem(
                    "Sandbox mode could not read or create its master key file " + file + ": " + e.getMessage(),
                    "Make the directory writable, or set DIALPLANE_MASTER_KEY.");
        }
    }

    private static byte[] decodeKey(String encoded, String source) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(encoded);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationProblem(
                    source + " is not valid base64.", "Generate a key with 'openssl rand -base64 32'.");
        }
        if (key.length != KEY_BYTES) {
            throw new ConfigurationProblem(
                    source + " decodes to " + key.length + " bytes; it must be exactly " + KEY_BYTES + " bytes.",
                    "Generate a key with 'openssl rand -base64 32'.");
        }
        return key;
    }

    // the master keys arrive as raw bytes (DIALPLANE_MASTER_KEY), so they are imported part by part
    @AccessesPartialKey
    private static Aead aeadOf(List<byte[]> keys) {
        try {
            var parameters = AesGcmParameters.builder()
                    .setKeySizeBytes(KEY_BYTES)
                    .setIvSizeBytes(12)
                    .setTagSizeBytes(16)
                    .setVariant(AesGcmParameters.Variant.TINK)
                    .build();
            var builder = KeysetHandle.newBuilder();
            for (int i = 0; i < keys.size(); i++) {
                var key = AesGcmKey.builder()
                        .setParameters(parameters)
                        .setKeyBytes(SecretBytes.copyFrom(keys.get(i), InsecureSecretKeyAccess.get()))
                        .setIdRequirement(keyId(keys.get(i)))
                        .build();
                var entry = KeysetHandle.importKey(key);
                builder.addEntry(i == 0 ? entry.makePrimary() : entry);
            }
            return builder.build().getPrimitive(ConfigurationV0.get(), Aead.class);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("could not initialise encryption", e);
        }
    }

    /** A stable id per key, so the same master key always yields ciphertexts it can recognise. */
    private static int keyId(byte[] key) {
        try {
            var digest = MessageDigest.getInstance("SHA-256").digest(key);
            return ByteBuffer.wrap(digest).getInt();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A stored secret that no configured key decrypts. */
    public static final class SecretUnreadable extends RuntimeException {
        SecretUnreadable(String context) {
            super(
                    "stored secret " + context + " cannot be decrypted with the configured master keys",
                    null,
                    false,
                    false);
        }
    }
}
