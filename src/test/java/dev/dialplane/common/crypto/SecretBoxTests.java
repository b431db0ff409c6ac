package dev.dialplane.common.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dialplane.common.ConfigurationProblem;
import dev.dialplane.common.RunMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretBoxTests {

    private static final String KEY_A = Base64.getEncoder().encodeToString(new byte[32]);
    private static final String KEY_B =
            Base64.getEncoder().encodeToString("b".repeat(32).getBytes());

    @TempDir
    Path dir;

    @Test
    void roundTripsAndNeverStoresPlaintext() {
        var box = box(KEY_A, List.of());
        var ciphertext = box.encrypt("s3cret-pass", "sip_trunks/1/password");
        assertThat(ciphertext).doesNotContain("s3cret-pass");
        assertThat(box.decrypt(ciphertext, "sip_trunks/1/password")).isEqualTo("s3cret-pass");
    }

    @Test
    void ciphertextIsBoundToItsRow() {
        var box = box(KEY_A, List.of());
        var ciphertext = box.encrypt("s3cret-pass", "sip_trunks/1/password");
        assertThatThrownBy(() -> box.decrypt(ciphertext, "sip_trunks/2/password"))
                .isInstanceOf(SecretBox.SecretUnreadable.class)
                .hasMessageNotContaining("s3cret-pass");
    }

    @Test
    void previousKeysStillDecryptAfterRotation() {
        var old = box(KEY_A, List.of()).encrypt("s3cret-pass", "ctx");
        var rotated = box(KEY_B, List.of(KEY_A));
        assertThat(rotated.decrypt(old, "ctx")).isEqualTo("s3cret-pass");
        var fresh = rotated.encrypt("new", "ctx");
        assertThatThrownBy(() -> box(KEY_A, List.of()).decrypt(fresh, "ctx"))
                .isInstanceOf(SecretBox.SecretUnreadable.class);
    }

    @Test
    void dropsARotatedOutKey() {
        var old = box(KEY_A, List.of()).encrypt("s3cret-pass", "ctx");
        assertThatThrownBy(() -> box(KEY_B, List.of()).decrypt(old, "ctx"))
                .isInstanceOf(SecretBox.SecretUnreadable.class);
    }

    @Test
    void outsideSandboxAMasterKeyIsRequired() {
        assertThatThrownBy(() ->
                        new SecretBox(new SecretsProperties(null, List.of(), dir.resolve("k")), new RunMode(false)))
                .isInstanceOf(ConfigurationProblem.class)
                .hasMessageContaining("DIALPLANE_MASTER_KEY is not set");
    }

    @Test
    void badKeysAreRefusedWithoutEchoingThem() {
        assertThatThrownBy(() -> box("not base64!!", List.of()))
                .isInstanceOf(ConfigurationProblem.class)
                .hasMessage("DIALPLANE_MASTER_KEY is not valid base64.");
        var shortKey = Base64.getEncoder().encodeToString(new byte[16]);
        assertThatThrownBy(() -> box(shortKey, List.of()))
                .hasMessage("DIALPLANE_MASTER_KEY decodes to 16 bytes; it must be exactly 32 bytes.");
    }

    @Test
    void sandboxGeneratesAndReusesALocalKey() throws Exception {
        var file = dir.resolve("data/master.key");
        var first = new SecretBox(new SecretsProperties(null, List.of(), file), new RunMode(true));
        var ciphertext = first.encrypt("pw", "ctx");
        assertThat(Files.readString(file).trim()).hasSize(44);
        var second = new SecretBox(new SecretsProperties("", List.of(), file), new RunMode(true));
        assertThat(second.decrypt(ciphertext, "ctx")).isEqualTo("pw");
    }

    private SecretBox box(String key, List<String> previous) {
        return new SecretBox(new SecretsProperties(key, previous, dir.resolve("unused")), new RunMode(false));
    }
}
