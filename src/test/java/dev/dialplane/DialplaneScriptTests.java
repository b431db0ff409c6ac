package dev.dialplane;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./dialplane sandbox} rebuilds the jar only when a source changed since its last build.
 * The jar's own timestamps are pinned for reproducible builds (older than any source), so they
 * cannot be what decides. Runs the script's own staleness check in a scratch project.
 */
class DialplaneScriptTests {

    /** project.build.outputTimestamp: what every entry and the jar's build leaves behind. */
    private static final FileTime PINNED = FileTime.from(Instant.parse("2026-11-21T00:00:00Z"));

    @TempDir
    Path project;

    @BeforeEach
    void builtProject() throws IOException {
        Files.createDirectories(project.resolve("src/main/java"));
        Files.createDirectories(project.resolve("target"));
        Files.writeString(project.resolve("pom.xml"), "<project/>");
        Files.writeString(project.resolve("src/main/java/A.java"), "class A {}");
        Files.writeString(project.resolve("target/dialplane.jar"), "jar");
        Files.setLastModifiedTime(project.resolve("target/dialplane.jar"), PINNED);
        var sourcesSaved = Instant.now().minusSeconds(60);
        Files.setLastModifiedTime(project.resolve("pom.xml"), FileTime.from(sourcesSaved));
        Files.setLastModifiedTime(project.resolve("src/main/java/A.java"), FileTime.from(sourcesSaved));
        // a directory's time counts too: a source added or deleted is a change
        Files.setLastModifiedTime(project.resolve("src/main/java"), FileTime.from(sourcesSaved));
        Files.setLastModifiedTime(project.resolve("src/main"), FileTime.from(sourcesSaved));
        Files.writeString(project.resolve("target/.dialplane-build-stamp"), "");
        Files.setLastModifiedTime(
                project.resolve("target/.dialplane-build-stamp"), FileTime.from(sourcesSaved.plusSeconds(30)));
    }

    @Test
    void aJarBuiltAfterTheLastChangeIsNotRebuiltThoughItsTimestampIsPinned() throws Exception {
        assertThat(stale()).isFalse();
    }

    @Test
    void aSourceChangedSinceTheBuildRebuilds() throws Exception {
        Files.setLastModifiedTime(project.resolve("src/main/java/A.java"), FileTime.from(Instant.now()));

        assertThat(stale()).isTrue();
    }

    @Test
    void aChangedPomRebuilds() throws Exception {
        Files.setLastModifiedTime(project.resolve("pom.xml"), FileTime.from(Instant.now()));

        assertThat(stale()).isTrue();
    }

    @Test
    void aSourceAddedSinceTheBuildRebuilds() throws Exception {
        Files.writeString(project.resolve("src/main/java/B.java"), "class B {}");
        Files.setLastModifiedTime(project.resolve("src/main/java/B.java"), PINNED); // e.g. unpacked with its old time

        assertThat(stale()).isTrue();
    }

    @Test
    void withoutAJarOrABuildStampItBuilds() throws Exception {
        Files.delete(project.resolve("target/.dialplane-build-stamp"));
        assertThat(stale()).isTrue();

        builtProject();
        Files.delete(project.resolve("target/dialplane.jar"));
        assertThat(stale()).isTrue();
    }

    /** Runs the script's jar_is_stale (and what it needs) in the scratch project. */
    private boolean stale() throws Exception {
        var script = Path.of("dialplane").toAbsolutePath();
        var check = "set -euo pipefail; eval \"$(sed -n '/^BUILD_STAMP=/,/^}/p' '" + script + "')\"; "
                + "declare -F jar_is_stale >/dev/null || exit 3; if jar_is_stale; then exit 0; else exit 1; fi";
        var process = new ProcessBuilder("bash", "-c", check)
                .directory(project.toFile())
                .redirectErrorStream(true)
                .start();
        var output = new String(process.getInputStream().readAllBytes());
        var exit = process.waitFor();
        assertThat(exit).as(output).isIn(0, 1);
        return exit == 0;
    }
}
