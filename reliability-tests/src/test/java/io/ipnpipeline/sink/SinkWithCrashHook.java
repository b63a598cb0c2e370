package io.ipnpipeline.sink;

import io.ipnpipeline.sink.config.SinkConfig;

/**
 * Reaches the sink's package-private crash-hook start for the fault tests (same package name on the test
 * classpath), so production code needs no public test-only entry point.
 */
public final class SinkWithCrashHook {

    private SinkWithCrashHook() {
    }

    public static SinkService start(SinkConfig config, CrashPoint crash) {
        return SinkService.start(config, crash);
    }
}
