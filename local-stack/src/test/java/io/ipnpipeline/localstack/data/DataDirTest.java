package io.ipnpipeline.localstack.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataDirTest {

    @TempDir
    Path temp;

    @Test
    void keepsDataAcrossOpensAndFreshWipesIt() throws Exception {
        Path root = temp.resolve("stack");
        try (DataDir dir = DataDir.open(root, false)) {
            Files.writeString(dir.kafkaLogs().resolve("segment"), "data");
        }
        try (DataDir dir = DataDir.open(root, false)) {
            assertThat(dir.kafkaLogs().resolve("segment")).exists();
        }
        try (DataDir dir = DataDir.open(root, true)) {
            assertThat(dir.kafkaLogs().resolve("segment")).doesNotExist();
        }
    }

    @Test
    void refusesADirectoryThatIsNotOneOfOurs() throws Exception {
        Path home = temp.resolve("someones-home");
        Files.createDirectories(home);
        Files.writeString(home.resolve("thesis.tex"), "years of work");

        assertThatThrownBy(() -> DataDir.open(home, true)).hasMessageContaining("not a local stack data directory");
        assertThat(home.resolve("thesis.tex")).exists();
    }

    @Test
    void aSecondStackOnTheSameDirectoryIsRefused() {
        Path root = temp.resolve("stack");
        try (DataDir first = DataDir.open(root, false)) {
            assertThatThrownBy(() -> DataDir.open(root, true)).hasMessageContaining("another local stack is running");
            assertThat(first.root()).exists();
        }
    }

    @Test
    void privateValuesAreReadableByTheOwnerOnly() throws Exception {
        try (DataDir dir = DataDir.open(temp.resolve("stack"), false)) {
            dir.writePrivate("ipn-secret", "s3cret");

            assertThat(dir.readPrivate("ipn-secret")).contains("s3cret");
            assertThat(Files.getPosixFilePermissions(dir.file("ipn-secret")))
                    .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
            assertThat(dir.readPrivate("absent")).isEmpty();
        }
    }
}
