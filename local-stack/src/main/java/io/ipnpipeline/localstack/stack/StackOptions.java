package io.ipnpipeline.localstack.stack;

import io.ipnpipeline.localstack.data.PortPlan;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * How to run the local stack: from the command line's flags and the process environment.
 *
 * @param dataDir     where everything is kept between runs
 * @param fresh       wipe {@code dataDir} first
 * @param ports       ports chosen by flags; the others come from the data dir or their defaults
 * @param environment the process environment; every variable a service reads passes through to it
 */
public record StackOptions(Path dataDir, boolean fresh, Map<PortPlan.Port, Integer> ports,
        Map<String, String> environment) {

    public StackOptions {
        Objects.requireNonNull(dataDir, "dataDir");
        ports = Map.copyOf(ports);
        environment = Map.copyOf(environment);
    }
}
