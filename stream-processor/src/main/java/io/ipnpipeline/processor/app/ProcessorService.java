package io.ipnpipeline.processor.app;

import io.ipnpipeline.contracts.topic.TopicSpec;
import io.ipnpipeline.contracts.topic.Topics;
import io.ipnpipeline.processor.config.ProcessorConfig;
import io.ipnpipeline.processor.errors.DeadLetterHandlers;
import io.ipnpipeline.processor.metrics.ProcessorMetrics;
import io.ipnpipeline.processor.topology.PaymentTopology;
import io.ipnpipeline.support.kafka.TopicCreator;
import io.ipnpipeline.support.ops.OpsServer;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.CloseOptions.GroupMembershipOperation;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running stream processor: its topics ensured, the Kafka Streams app started, metrics bound and the ops
 * port serving health and metrics. {@link #close()} shuts down gracefully: the current transaction commits,
 * state is checkpointed, and a restart resumes without restoring the stores from scratch.
 */
public final class ProcessorService implements AutoCloseable {

    /** The topics this service reads or writes; created if missing so start-up order does not matter. */
    public static final List<TopicSpec<?, ?>> TOPICS =
            List.of(Topics.IPN_RAW, Topics.IPN_DLQ, Topics.CHANNEL_MAPPINGS, Topics.PAYMENTS_ENRICHED);

    private static final Logger LOG = LoggerFactory.getLogger(ProcessorService.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaStreams streams;
    private final KafkaStreamsMetrics streamsMetrics;
    private final PrometheusMeterRegistry registry;
    private final ProcessorMetrics metrics;
    private final OpsServer ops;
    private final StreamsTermination termination;

    private ProcessorService(KafkaStreams streams, KafkaStreamsMetrics streamsMetrics,
            PrometheusMeterRegistry registry, ProcessorMetrics metrics, OpsServer ops, StreamsTermination termination) {
        this.streams = streams;
        this.termination = termination;
        this.streamsMetrics = streamsMetrics;
        this.registry = registry;
        this.metrics = metrics;
        this.ops = ops;
    }

    public static ProcessorService start(ProcessorConfig config) {
        return start(config, true);
    }

    /** {@code verifyPartitionCounts} false only for tests of what Streams does without the start-up check. */
    static ProcessorService start(ProcessorConfig config, boolean verifyPartitionCounts) {
        LOG.info("starting stream processor with {}", config);
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        ProcessorMetrics metrics = new ProcessorMetrics(registry);
        Topology topology = PaymentTopology.build(config.topics(), config.dedupeRetention(), metrics);
        LOG.debug("topology:\n{}", topology.describe());
        ensureTopics(config, topology, verifyPartitionCounts);
        Properties props = config.streamsProperties();
        props.put(DeadLetterHandlers.METRICS_CONFIG, metrics);
        KafkaStreams streams = new KafkaStreams(topology, props);
        StreamThreadFailures failures = new StreamThreadFailures(registry);
        streams.setUncaughtExceptionHandler(failures);
        StreamsTermination termination = new StreamsTermination(failures::fatalCause);
        StreamsReadiness readiness = new StreamsReadiness(config.maxRebalance());
        streams.setStateListener((next, previous) -> {
            readiness.onChange(next, previous);
            termination.onChange(next, previous);
        });
        KafkaStreamsMetrics streamsMetrics = new KafkaStreamsMetrics(streams);
        streamsMetrics.bindTo(registry);
        streams.start();
        OpsServer ops = startOps(config, registry, streams, readiness);
        return new ProcessorService(streams, streamsMetrics, registry, metrics, ops, termination);
    }

    /** Creates missing topics, then refuses to start on state that no longer fits ipn.raw's partition count. */
    private static void ensureTopics(ProcessorConfig config, Topology topology, boolean verifyPartitionCounts) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers()))) {
            TopicCreator.ensure(admin, config.topics(), TOPICS, config.replicationFactor());
            if (verifyPartitionCounts) {
                PartitionCountCheck.verify(admin, topology, config.applicationId(), config.topics().name(Topics.IPN_RAW));
            }
        }
    }

    private static OpsServer startOps(ProcessorConfig config, PrometheusMeterRegistry registry, KafkaStreams streams,
            StreamsReadiness readiness) {
        try {
            return OpsServer.start("stream-processor", config.opsPort(), registry,
                    () -> isLive(streams.state()), () -> readiness.isReady(streams.state()));
        } catch (IOException e) {
            streams.close(CLOSE_TIMEOUT);
            throw new UncheckedIOException("cannot open the ops port " + config.opsPort(), e);
        }
    }

    /** Dead only when Streams gave up (ERROR) or was shut down; starting and rebalancing are alive. */
    static boolean isLive(KafkaStreams.State state) {
        return state != KafkaStreams.State.ERROR && state != KafkaStreams.State.NOT_RUNNING
                && state != KafkaStreams.State.PENDING_ERROR;
    }

    /**
     * Blocks until Kafka Streams has failed for good (true: exit, so the supervisor restarts the process) or the
     * service is closed (false).
     */
    public boolean awaitFailure() throws InterruptedException {
        return termination.awaitFailure();
    }

    /** Why Kafka Streams was shut down for good, when a stream thread's failure did it. */
    public Optional<String> fatalCause() {
        return termination.fatalCause();
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    public int opsPort() {
        return ops.port();
    }

    public ProcessorMetrics metrics() {
        return metrics;
    }

    @Override
    public void close() {
        LOG.info("stopping stream processor");
        ops.close();
        // leaving the group lets a replacement (or the same host restarting) take the tasks at once instead of
        // after the session timeout
        boolean stopped = streams.close(CloseOptions.groupMembershipOperation(GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(CLOSE_TIMEOUT));
        if (!stopped) {
            LOG.warn("streams did not stop within {}", CLOSE_TIMEOUT);
        }
        streamsMetrics.close();
        registry.close();
        termination.closed();
        LOG.info("stream processor stopped");
    }
}
