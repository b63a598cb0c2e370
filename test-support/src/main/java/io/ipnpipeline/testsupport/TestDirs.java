package io.ipnpipeline.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Working directories under the module's {@code target/}, unique per JVM so parallel builds do not share. */
final class TestDirs {

    private TestDirs() {
    }

    /** A new empty directory {@code target/<kind>/<name>-<pid>-<n>}. */
    static Path fresh(String kind) {
        Path parent = Path.of("target", kind).toAbsolutePath();
        try {
            Files.createDirectories(parent);
            return Files.createTempDirectory(parent, kind + "-" + ProcessHandle.current().pid() + "-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a directory under " + parent, e);
        }
    }

    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(TestDirs::delete);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }

    private static void delete(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + path, e);
        }
    }
}
