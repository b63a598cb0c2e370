package io.ipnpipeline.localstack.stack;

import io.ipnpipeline.localstack.data.DataDir;
import io.ipnpipeline.localstack.data.PortPlan;
import io.ipnpipeline.localstack.data.PortPlan.Port;
import io.ipnpipeline.localstack.infra.LocalKafka;
import io.ipnpipeline.localstack.infra.LocalPostgres;
import io.ipnpipeline.localstack.init.InitConfig;
import io.ipnpipeline.localstack.init.Initializer;
import io.ipnpipeline.support.config.Env;
import io.ipnpipeline.support.config.Secret;
import io.ipnpipeline.support.db.DatabaseConfig;
import java.net.URI;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole pipeline in one process: a real KRaft broker, a real PostgreSQL (or the server
 * {@code PIPELINE_JDBC_URL} names), the migrations, every topic as production creates it, then the registry
 * publisher, processor, sink and gateway. {@link #close()} stops them in reverse: gateway first, broker last.
 */
public final class LocalStack implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalStack.class);
    public static final String IPN_SECRET_FILE = "ipn-secret";
    static final String DB_PASSWORD_FILE = "db-password";

    private final DataDir dataDir;
    private final PortPlan ports;
    private final Deque<Part> parts = new ArrayDeque<>();
    private final Map<String, String> serviceEnvironment;
    private final Endpoints endpoints;

    /** A started piece of the stack and how to stop it. */
    private record Part(String name, AutoCloseable handle) {
    }

    private LocalStack(DataDir dataDir, PortPlan ports, Map<String, String> serviceEnvironment,
            Endpoints endpoints) {
        this.dataDir = dataDir;
        this.ports = ports;
        this.serviceEnvironment = Map.copyOf(serviceEnvironment);
        this.endpoints = endpoints;
    }

    /**
     * Starts everything; on failure stops what already runs and rethrows. {@code notices} receives what the
     * user must see once, such as a newly generated IPN secret; {@code onFatal} a service that died running.
     */
    public static LocalStack start(StackOptions options, Consumer<String> notices, Consumer<Throwable> onFatal) {
        DataDir dataDir = DataDir.open(options.dataDir(), options.fresh());
        List<Part> started = new ArrayList<>();
        try {
            return startIn(dataDir, options, notices, onFatal, started);
        } catch (RuntimeException e) {
            LOG.error("the local stack failed to start: {}", e.toString());
            stopAll(reverse(started));
            dataDir.close();
            throw e;
        }
    }

    private static LocalStack startIn(DataDir dataDir, StackOptions options, Consumer<String> notices,
            Consumer<Throwable> onFatal, List<Part> started) {
        Env userEnv = Env.of(options.environment());
        PortPlan ports = PortPlan.resolve(dataDir.root(), options.ports());
        Optional<DatabaseConfig> external = externalDatabase(userEnv, ports);
        ports.requireFree(external.isPresent()
                ? List.of(Port.KAFKA, Port.KAFKA_CONTROLLER, Port.GATEWAY, Port.GATEWAY_OPS, Port.PROCESSOR_OPS,
                        Port.SINK_OPS, Port.REGISTRY_OPS)
                : List.of(Port.values()));
        Secret ipnSecret = ipnSecret(userEnv, dataDir, notices);
        String dbPassword = dataDir.readPrivate(DB_PASSWORD_FILE).orElseGet(() -> {
            String generated = randomHex(16);
            dataDir.writePrivate(DB_PASSWORD_FILE, generated);
            return generated;
        });

        // broker and database start side by side: together they are most of the start-up time (own threads:
        // the common pool has one thread on two cores)
        ExecutorService starters = Executors.newFixedThreadPool(2);
        CompletableFuture<LocalKafka> kafka;
        CompletableFuture<Optional<LocalPostgres>> postgres;
        try {
            kafka = CompletableFuture.supplyAsync(() -> LocalKafka.start(dataDir.kafkaLogs(),
                    ports.port(Port.KAFKA), ports.port(Port.KAFKA_CONTROLLER)), starters);
            postgres = CompletableFuture.supplyAsync(() -> external.isPresent()
                    ? Optional.<LocalPostgres>empty()
                    : Optional.of(LocalPostgres.start(dataDir.postgresData(), ports.port(Port.POSTGRES), dbPassword)),
                    starters);
            // wait for both, so that whichever did start is stopped if the other failed
            CompletableFuture.allOf(kafka, postgres).handle((ignored, failure) -> null).join();
        } finally {
            starters.shutdown();
        }
        if (!kafka.isCompletedExceptionally()) {
            started.add(new Part("kafka broker", kafka.join()));
        }
        if (!postgres.isCompletedExceptionally()) {
            postgres.join().ifPresent(server -> started.add(new Part("postgresql", server)));
        }
        LocalKafka broker = unwrap(kafka);
        Optional<LocalPostgres> database = unwrap(postgres);

        DatabaseConfig db = external.orElseGet(() -> new DatabaseConfig(database.orElseThrow().jdbcUrl(),
                LocalPostgres.USER, new Secret(dbPassword)));
        Map<String, String> serviceEnv = StackEnvironment.forServices(options.environment(), dataDir, ports,
                broker.bootstrapServers(), db, ipnSecret);
        Initializer.run(InitConfig.fromEnv(Env.of(serviceEnv)));
        PipelineServices.start(Env.of(serviceEnv), (name, handle) -> started.add(new Part(name, handle)), onFatal);

        Endpoints endpoints = new Endpoints("http://127.0.0.1:" + ports.port(Port.GATEWAY),
                "http://127.0.0.1:" + ports.port(Port.GATEWAY_OPS),
                broker.bootstrapServers(), db.jdbcUrl(), db.user(), db.password());
        endpoints.writeTo(dataDir.endpointsFile());
        LocalStack stack = new LocalStack(dataDir, ports, serviceEnv, endpoints);
        started.forEach(stack.parts::push);
        return stack;
    }

    public Endpoints endpoints() {
        return endpoints;
    }

    public DataDir dataDir() {
        return dataDir;
    }

    public PortPlan ports() {
        return ports;
    }

    /** Every {@code /health/ready} of the stack: the gateway's public port and each operations port. */
    public List<URI> readinessEndpoints() {
        List<URI> endpoints = new ArrayList<>();
        endpoints.add(URI.create(this.endpoints.gatewayUrl() + "/health/ready"));
        for (Port port : List.of(Port.GATEWAY_OPS, Port.PROCESSOR_OPS, Port.SINK_OPS, Port.REGISTRY_OPS)) {
            endpoints.add(URI.create("http://127.0.0.1:" + ports.port(port) + "/health/ready"));
        }
        return endpoints;
    }

    /** The variables the services were configured from (secrets included: never log this map). */
    public Map<String, String> serviceEnvironment() {
        return serviceEnvironment;
    }

    /**
     * {@code PIPELINE_JDBC_URL} names another server, unless it is this data dir's own embedded one (a shell
     * that sourced endpoints.env still starts the embedded server).
     */
    private static Optional<DatabaseConfig> externalDatabase(Env env, PortPlan ports) {
        Optional<String> url = env.optional(DatabaseConfig.JDBC_URL);
        String embedded = "jdbc:postgresql://127.0.0.1:" + ports.port(Port.POSTGRES) + "/" + LocalPostgres.DATABASE;
        if (url.isEmpty() || url.get().equals(embedded)) {
            return Optional.empty();
        }
        DatabaseConfig config = DatabaseConfig.fromEnv(env);
        LOG.info("using the existing PostgreSQL at {} as {}", config.jdbcUrl(), config.user());
        return Optional.of(config);
    }

    /**
     * The secret the gateway runs with is recorded in the data dir (mode 600) whatever its source: send-ipn from
     * another shell, without the variable, signs with that file, and a stale generated one there would get a 401.
     */
    static Secret ipnSecret(Env env, DataDir dataDir, Consumer<String> notices) {
        Optional<String> fromEnv = env.optional(StackEnvironment.IPN_SECRET);
        if (fromEnv.isPresent()) {
            if (!fromEnv.equals(dataDir.readPrivate(IPN_SECRET_FILE))) {
                dataDir.writePrivate(IPN_SECRET_FILE, fromEnv.get());
            }
            return new Secret(fromEnv.get());
        }
        Optional<String> kept = dataDir.readPrivate(IPN_SECRET_FILE);
        if (kept.isPresent()) {
            return new Secret(kept.get());
        }
        String generated = randomHex(24);
        dataDir.writePrivate(IPN_SECRET_FILE, generated);
        notices.accept("Generated an IPN secret (shown only now; kept in " + dataDir.file(IPN_SECRET_FILE)
                + "):\n  NOWPAYMENTS_IPN_SECRET=" + generated);
        return new Secret(generated);
    }

    private static String randomHex(int bytes) {
        byte[] random = new byte[bytes];
        new SecureRandom().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }

    private static <T> T unwrap(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : e;
        }
    }

    private static List<Part> reverse(List<Part> started) {
        List<Part> reversed = new ArrayList<>(started);
        Collections.reverse(reversed);
        return reversed;
    }

    /** Stops each part even when an earlier one fails to stop: a broker left running would hold its port. */
    private static void stopAll(Iterable<Part> inOrder) {
        for (Part part : inOrder) {
            long begun = System.nanoTime();
            LOG.info("stopping {}", part.name());
            try {
                part.handle().close();
                LOG.info("stopped {} in {} ms", part.name(), (System.nanoTime() - begun) / 1_000_000);
            } catch (Exception e) {
                LOG.error("stopping {} failed; continuing with the rest", part.name(), e);
            }
        }
    }

    /** Gateway first (no new IPNs), then processor, sink, registry, database, broker last. */
    @Override
    public synchronized void close() {
        List<Part> inOrder = new ArrayList<>(parts);
        parts.clear();
        stopAll(inOrder);
        dataDir.close();
    }
}
