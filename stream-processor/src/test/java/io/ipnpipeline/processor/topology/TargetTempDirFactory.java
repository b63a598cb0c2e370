package io.ipnpipeline.processor.topology;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AnnotatedElementContext;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.io.TempDirFactory;

/**
 * Test state dirs under {@code target/} instead of the OS temp dir, where Kafka Streams warns (rightly, for
 * production) that the OS may clear them. Set as the default in junit-platform.properties.
 */
public final class TargetTempDirFactory implements TempDirFactory {

    @Override
    public Path createTempDirectory(AnnotatedElementContext element, ExtensionContext extension) throws IOException {
        Path parent = Files.createDirectories(Path.of("target", "topology-state").toAbsolutePath());
        return Files.createTempDirectory(parent, "ttd-");
    }
}
