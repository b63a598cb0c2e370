package io.ipnpipeline.localstack.cli;

import io.ipnpipeline.localstack.data.PortPlan.Port;
import io.ipnpipeline.localstack.stack.Endpoints;
import io.ipnpipeline.localstack.stack.LocalStack;
import io.ipnpipeline.localstack.stack.ReadinessProbe;
import io.ipnpipeline.localstack.stack.StackOptions;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code java -jar ipn-pipeline-local.jar}: the whole pipeline on this machine, until Ctrl-C. */
@Command(name = "ipn-pipeline-local", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Runs the whole IPN pipeline in one process: a real Kafka broker (KRaft), a real PostgreSQL,",
            "the migrations and topics, then the registry publisher, processor, sink and gateway.",
            "Ctrl-C or SIGTERM stops everything in order: gateway first, broker last."},
        subcommands = {SendIpnCommand.class, ServiceCommand.class})
public final class LocalStackCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--data-dir", defaultValue = ".ipn-pipeline", paramLabel = "DIR",
            description = "Broker logs, PostgreSQL data, Streams state, ports and secrets (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--fresh", description = "Wipe the data dir first.")
    boolean fresh;

    @Option(names = "--demo", description = "Seed the incident's channel and replay its payment 4479119533.")
    boolean demo;

    @Option(names = "--gateway-port", paramLabel = "PORT",
            description = "Gateway HTTP port (default: GATEWAY_PORT, else the last one used, else 8080).")
    Integer gatewayPort;

    @Option(names = "--gateway-ops-port", paramLabel = "PORT", description = "Gateway health/metrics (18093).")
    Integer gatewayOpsPort;

    @Option(names = "--kafka-port", paramLabel = "PORT", description = "Kafka listener (default 19092).")
    Integer kafkaPort;

    @Option(names = "--kafka-controller-port", paramLabel = "PORT", description = "KRaft controller (default 19093).")
    Integer kafkaControllerPort;

    @Option(names = "--postgres-port", paramLabel = "PORT", description = "Embedded PostgreSQL (default 15432).")
    Integer postgresPort;

    @Option(names = "--processor-ops-port", paramLabel = "PORT", description = "Processor health/metrics (18091).")
    Integer processorOpsPort;

    @Option(names = "--sink-ops-port", paramLabel = "PORT", description = "Sink health/metrics (18092).")
    Integer sinkOpsPort;

    @Option(names = "--registry-ops-port", paramLabel = "PORT", description = "Registry health/metrics (18094).")
    Integer registryOpsPort;

    @Option(names = "--ready-timeout", defaultValue = "PT60S", paramLabel = "DURATION",
            description = "How long to wait for every /health/ready (ISO-8601, default ${DEFAULT-VALUE}).")
    Duration readyTimeout;

    public static void main(String[] args) {
        System.exit(new CommandLine(new LocalStackCommand()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Map<String, String> environment = System.getenv();
        LocalStack stack = LocalStack.start(new StackOptions(dataDir, fresh, explicitPorts(environment), environment),
                notice -> print(out, notice), failure -> {
                    // the shutdown hook stops the rest in order; a stalled pipeline must not look healthy
                    print(out, "A service died (" + failure + "); stopping the local stack.");
                    System.exit(1);
                });
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            print(out, "Stopping the local stack (gateway first, broker last)...");
            stack.close();
            print(out, "Stopped.");
            stopped.countDown();
        }, "local-stack-shutdown"));

        print(out, "IPN pipeline local stack (data in " + stack.dataDir().root() + "):\n"
                + stack.endpoints().describe() + "\n  (also in " + stack.dataDir().endpointsFile() + "; export them: "
                + Endpoints.exportCommand(stack.dataDir().endpointsFile()) + ")");
        List<URI> notReady = new ReadinessProbe().await(stack.readinessEndpoints(), readyTimeout);
        long sinceJvmStart = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
        if (!notReady.isEmpty()) {
            print(out, "NOT READY after " + sinceJvmStart + " ms: " + notReady);
            return 1;
        }
        print(out, "Ready in " + sinceJvmStart + " ms. Ctrl-C stops it.");
        if (demo && !DemoRunner.run(stack, out)) {
            return 3;
        }
        stopped.await();
        return 0;
    }

    private Map<Port, Integer> explicitPorts(Map<String, String> environment) {
        Map<Port, Integer> ports = new EnumMap<>(Port.class);
        Integer gateway = gatewayPort != null ? gatewayPort : gatewayPortFromEnv(environment);
        putIfSet(ports, Port.GATEWAY, gateway);
        putIfSet(ports, Port.GATEWAY_OPS, gatewayOpsPort);
        putIfSet(ports, Port.KAFKA, kafkaPort);
        putIfSet(ports, Port.KAFKA_CONTROLLER, kafkaControllerPort);
        putIfSet(ports, Port.POSTGRES, postgresPort);
        putIfSet(ports, Port.PROCESSOR_OPS, processorOpsPort);
        putIfSet(ports, Port.SINK_OPS, sinkOpsPort);
        putIfSet(ports, Port.REGISTRY_OPS, registryOpsPort);
        return ports;
    }

    private static Integer gatewayPortFromEnv(Map<String, String> environment) {
        String value = environment.get("GATEWAY_PORT");
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Integer.valueOf(value.trim());
        } catch (NumberFormatException e) {
            throw new CommandLine.ParameterException(new CommandLine(new LocalStackCommand()),
                    "GATEWAY_PORT must be a port number, got '" + value + "'", e);
        }
    }

    private static void putIfSet(Map<Port, Integer> ports, Port port, Integer value) {
        if (value != null) {
            ports.put(port, value);
        }
    }

    private static void print(PrintWriter out, String text) {
        out.println(text);
        out.flush();
    }
}
