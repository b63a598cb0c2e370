package io.ipnpipeline.localstack.e2e;

import io.ipnpipeline.contracts.topic.TopicNames;
import io.ipnpipeline.gateway.GatewayService;
import io.ipnpipeline.gateway.config.GatewayConfig;
import io.ipnpipeline.localstack.init.InitConfig;
import io.ipnpipeline.localstack.init.Initializer;
import io.ipnpipeline.localstack.stack.PipelineServices;
import io.ipnpipeline.processor.app.ProcessorService;
import io.ipnpipeline.processor.config.ProcessorConfig;
import io.ipnpipeline.registry.RegistryService;
import io.ipnpipeline.registry.config.RegistryConfig;
import io.ipnpipeline.sink.SinkService;
import io.ipnpipeline.sink.config.SinkConfig;
import io.ipnpipeline.support.config.Env;
import io.ipnpipeline.testsupport.PostgresServer;
import io.ipnpipeline.testsupport.TestInfra;
import io.ipnpipeline.testsupport.TestNames;
import io.ipnpipeline.testsupport.TestSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * The whole pipeline in the test JVM against a real broker and PostgreSQL (the shared ones unless a test brings
 * its own): its own topics, schema, application id, consumer group and transactional id, every service configured
 * through its own {@code fromEnv} from one variable map, as the local stack and docker-compose do.
 *
 * <p>Fault tests stop and start single parts ({@link #stop}, {@link #start}, {@link #startWith}) or leave a part
 * out ({@link Builder#without}) to run it in a process of their own.
 */
public final class InJvmPipeline implements AutoCloseable {

    public static final String IPN_SECRET = "e2e-ipn-secret-4f1c9a";

    /** The services, in the order the local stack starts them (and the reverse of how they stop). */
    public enum Part {
        REGISTRY("channel registry", env -> RegistryService.start(RegistryConfig.fromEnv(env))),
        PROCESSOR("stream processor", env -> ProcessorService.start(ProcessorConfig.fromEnv(env))),
        SINK("sink writer", env -> SinkService.start(SinkConfig.fromEnv(env))),
        GATEWAY("gateway", env -> GatewayService.start(GatewayConfig.fromEnv(env)));

        private final String serviceName;
        private final Function<Env, AutoCloseable> starter;

        Part(String serviceName, Function<Env, AutoCloseable> starter) {
            this.serviceName = serviceName;
            this.starter = starter;
        }

        static Part named(String serviceName) {
            for (Part part : values()) {
                if (part.serviceName.equals(serviceName)) {
                    return part;
                }
            }
            throw new IllegalArgumentException("unknown service " + serviceName);
        }
    }

    private final TestSchema schema;
    private final TopicNames topics;
    private final Map<String, String> env;
    private final Map<Part, AutoCloseable> running = new EnumMap<>(Part.class);
    private final AtomicReference<Throwable> fatal = new AtomicReference<>();

    private InJvmPipeline(TestSchema schema, TopicNames topics, Map<String, String> env) {
        this.schema = schema;
        this.topics = topics;
        this.env = Map.copyOf(env);
    }

    /** Every part, on the shared broker and database. */
    public static InJvmPipeline start(String testName) {
        return builder(testName).start();
    }

    public static Builder builder(String testName) {
        return new Builder(testName);
    }

    /** Where a pipeline runs and which of its parts run in this JVM. */
    public static final class Builder {
        private final String testName;
        private String bootstrapServers;
        private PostgresServer postgres;
        private final Map<String, String> overrides = new HashMap<>();
        private final Set<Part> parts = EnumSet.allOf(Part.class);

        private Builder(String testName) {
            this.testName = testName;
        }

        public Builder bootstrapServers(String servers) {
            this.bootstrapServers = servers;
            return this;
        }

        public Builder postgres(PostgresServer server) {
            this.postgres = server;
            return this;
        }

        /** A variable on top of the defaults, for every part. */
        public Builder env(String name, String value) {
            overrides.put(name, value);
            return this;
        }

        /** Parts the test starts itself (in another process, or later). */
        public Builder without(Part... excluded) {
            parts.removeAll(List.of(excluded));
            return this;
        }

        public InJvmPipeline start() {
            TestSchema schema = postgres == null ? TestSchema.create(testName) : TestSchema.create(postgres, testName);
            TopicNames topics = TestNames.topics(testName);
            InJvmPipeline pipeline = new InJvmPipeline(schema, topics, env(schema, topics));
            try {
                Initializer.run(InitConfig.fromEnv(Env.of(pipeline.env)));
                if (parts.size() == Part.values().length) {
                    PipelineServices.start(Env.of(pipeline.env),
                            (name, service) -> pipeline.register(Part.named(name), service), pipeline.fatal::set);
                } else {
                    for (Part part : parts) {
                        pipeline.start(part);
                    }
                }
            } catch (RuntimeException e) {
                pipeline.close();
                throw e;
            }
            return pipeline;
        }

        private Map<String, String> env(TestSchema schema, TopicNames topics) {
            String unique = TestNames.unique(testName);
            Map<String, String> env = new HashMap<>(schema.env());
            env.putAll(topics.asEnv());
            env.put("KAFKA_BOOTSTRAP_SERVERS", bootstrapServers == null ? TestInfra.bootstrapServers() : bootstrapServers);
            env.put("KAFKA_REPLICATION_FACTOR", "1");
            env.put("NOWPAYMENTS_IPN_SECRET", IPN_SECRET);
            env.put("GATEWAY_HOST", "127.0.0.1");
            env.put("GATEWAY_PORT", "0");
            env.put("GATEWAY_OPS_PORT", "0");
            env.put("PROCESSOR_APPLICATION_ID", unique + "-processor");
            env.put("PROCESSOR_STATE_DIR", stateDir(unique).toString());
            env.put("PROCESSOR_OPS_PORT", "0");
            env.put("PROCESSOR_COMMIT_INTERVAL_MS", "50");
            env.put("SINK_CONSUMER_GROUP", unique + "-sink");
            env.put("SINK_TRANSACTIONAL_ID", unique + "-outbox");
            env.put("SINK_OPS_PORT", "0");
            env.put("REGISTRY_OPS_PORT", "0");
            env.put("REGISTRY_INSTANCE_NAME", unique + "-registry");
            env.putAll(overrides);
            return env;
        }
    }

    /** Starts one part from the pipeline's variables. */
    public void start(Part part) {
        startWith(part, part.starter);
    }

    /** Starts one part with a starter of the test's choosing (e.g. a sink with a crash hook). */
    public synchronized <T extends AutoCloseable> T startWith(Part part, Function<Env, T> starter) {
        if (running.containsKey(part)) {
            throw new IllegalStateException(part + " is already running");
        }
        T service = starter.apply(Env.of(env));
        register(part, service);
        return service;
    }

    private synchronized void register(Part part, AutoCloseable service) {
        running.put(part, service);
        if (service instanceof SinkService sink) {
            Thread watcher = new Thread(() -> sink.awaitTermination().ifPresent(this::sinkDied), "sink-writer-watch");
            watcher.setDaemon(true);
            watcher.start();
        }
    }

    /** A sink worker killed on purpose by a fault test is not a failure of the pipeline. */
    private void sinkDied(Throwable failure) {
        if (!failure.getClass().getSimpleName().startsWith("Simulated")) {
            fatal.set(failure);
        }
    }

    /** Stops one part the way its own process would on SIGTERM. */
    public void stop(Part part) throws Exception {
        AutoCloseable service;
        synchronized (this) {
            service = running.remove(part);
        }
        if (service != null) {
            service.close();
        }
    }

    public synchronized Optional<AutoCloseable> running(Part part) {
        return Optional.ofNullable(running.get(part));
    }

    public String gatewayUrl() {
        GatewayService gateway = (GatewayService) running(Part.GATEWAY)
                .orElseThrow(() -> new IllegalStateException("the gateway is not running in this JVM"));
        return "http://127.0.0.1:" + gateway.port();
    }

    public TopicNames topics() {
        return topics;
    }

    public TestSchema schema() {
        return schema;
    }

    public Map<String, String> env() {
        return env;
    }

    public String bootstrapServers() {
        return env.get("KAFKA_BOOTSTRAP_SERVERS");
    }

    /** A worker that died would explain a timeout better than the timeout does. */
    public Throwable fatal() {
        return fatal.get();
    }

    private static Path stateDir(String unique) {
        try {
            Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir")));
            return Files.createTempDirectory(unique + "-streams");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        RuntimeException failure = null;
        Part[] parts = Part.values();
        for (int i = parts.length - 1; i >= 0; i--) {
            try {
                stop(parts[i]);
            } catch (Exception e) {
                if (failure == null) {
                    failure = new IllegalStateException("stopping the pipeline failed", e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        schema.close();
        if (failure != null) {
            throw failure;
        }
    }
}
