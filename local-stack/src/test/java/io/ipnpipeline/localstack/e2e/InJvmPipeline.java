package io.ipnpipeline.localstack.e2e;

import io.ipnpipeline.contracts.topic.TopicNames;
import io.ipnpipeline.gateway.GatewayService;
import io.ipnpipeline.localstack.init.InitConfig;
import io.ipnpipeline.localstack.init.Initializer;
import io.ipnpipeline.localstack.stack.PipelineServices;
import io.ipnpipeline.support.config.Env;
import io.ipnpipeline.testsupport.TestInfra;
import io.ipnpipeline.testsupport.TestNames;
import io.ipnpipeline.testsupport.TestSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The whole pipeline in the test JVM against the shared real broker and PostgreSQL: its own topics, schema,
 * application id, consumer group and transactional id, every service configured through its own
 * {@code fromEnv} from one variable map, as the local stack and docker-compose do.
 */
final class InJvmPipeline implements AutoCloseable {

    static final String IPN_SECRET = "e2e-ipn-secret-4f1c9a";

    private final TestSchema schema;
    private final TopicNames topics;
    private final Map<String, String> env;
    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private final AtomicReference<Throwable> fatal = new AtomicReference<>();
    private GatewayService gateway;

    private InJvmPipeline(TestSchema schema, TopicNames topics, Map<String, String> env) {
        this.schema = schema;
        this.topics = topics;
        this.env = Map.copyOf(env);
    }

    static InJvmPipeline start(String testName) {
        TestSchema schema = TestSchema.create(testName);
        TopicNames topics = TestNames.topics(testName);
        String unique = TestNames.unique(testName);
        Map<String, String> env = new HashMap<>(schema.env());
        env.putAll(topics.asEnv());
        env.put("KAFKA_BOOTSTRAP_SERVERS", TestInfra.bootstrapServers());
        env.put("KAFKA_REPLICATION_FACTOR", "1");
        env.put("NOWPAYMENTS_IPN_SECRET", IPN_SECRET);
        env.put("GATEWAY_HOST", "127.0.0.1");
        env.put("GATEWAY_PORT", "0");
        env.put("PROCESSOR_APPLICATION_ID", unique + "-processor");
        env.put("PROCESSOR_STATE_DIR", stateDir(unique).toString());
        env.put("PROCESSOR_OPS_PORT", "0");
        env.put("PROCESSOR_COMMIT_INTERVAL_MS", "50");
        env.put("SINK_CONSUMER_GROUP", unique + "-sink");
        env.put("SINK_TRANSACTIONAL_ID", unique + "-outbox");
        env.put("SINK_OPS_PORT", "0");
        env.put("REGISTRY_OPS_PORT", "0");
        env.put("REGISTRY_INSTANCE_NAME", unique + "-registry");
        InJvmPipeline pipeline = new InJvmPipeline(schema, topics, env);
        try {
            Initializer.run(InitConfig.fromEnv(Env.of(env)));
            PipelineServices.start(Env.of(env), (name, service) -> {
                pipeline.started.push(service);
                if (service instanceof GatewayService gateway) {
                    pipeline.gateway = gateway;
                }
            }, pipeline.fatal::set);
        } catch (RuntimeException e) {
            pipeline.close();
            throw e;
        }
        return pipeline;
    }

    String gatewayUrl() {
        return "http://127.0.0.1:" + gateway.port();
    }

    TopicNames topics() {
        return topics;
    }

    TestSchema schema() {
        return schema;
    }

    Map<String, String> env() {
        return env;
    }

    /** A worker that died would explain a timeout better than the timeout does. */
    Throwable fatal() {
        return fatal.get();
    }

    private static Path stateDir(String unique) {
        try {
            return Files.createTempDirectory(unique + "-streams");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        RuntimeException failure = null;
        while (!started.isEmpty()) {
            try {
                started.pop().close();
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
