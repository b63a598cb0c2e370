package io.ipnpipeline.bench.localstack;

import io.ipnpipeline.bench.BenchMain;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;

/**
 * The local stack's runnable jar, as the build leaves it: {@code -Dbench.localStackJar=FILE}, else
 * {@code local-stack/target/ipn-pipeline-local.jar} next to this module (three levels above the bench jar or
 * the classes directory: {@code benchmarks/target/<jar or classes>}). The benchmarks module depends on local-stack
 * only so that {@code -pl benchmarks -am package} builds that jar.
 */
final class LocalStackJar {

    static final String PROPERTY = "bench.localStackJar";
    private static final String RELATIVE = "local-stack/target/ipn-pipeline-local.jar";

    private LocalStackJar() {
    }

    static Path locate() {
        String configured = System.getProperty(PROPERTY);
        Path jar = configured != null && !configured.isBlank() ? Path.of(configured) : besideThisModule();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no local stack jar at " + jar + "; build it with ./mvnw -B -q -pl"
                    + " benchmarks -am package -DskipTests, or name it with -D" + PROPERTY + "=FILE");
        }
        return jar.toAbsolutePath();
    }

    private static Path besideThisModule() {
        CodeSource source = BenchMain.class.getProtectionDomain().getCodeSource();
        if (source == null) {
            return Path.of(RELATIVE);
        }
        try {
            Path moduleDir = Path.of(source.getLocation().toURI()).toAbsolutePath().getParent().getParent();
            return moduleDir.getParent().resolve(RELATIVE);
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot tell where the bench classes are: " + source.getLocation(), e);
        }
    }
}
