package io.ipnpipeline.sink;

import com.zaxxer.hikari.HikariDataSource;
import io.ipnpipeline.contracts.topic.TopicSpec;
import io.ipnpipeline.contracts.topic.Topics;
import io.ipnpipeline.schema.SchemaMigrator;
import io.ipnpipeline.sink.config.SinkConfig;
import io.ipnpipeline.sink.consume.ConsumerLoop;
import io.ipnpipeline.sink.db.BatchWriter;
import io.ipnpipeline.sink.outbox.OutboxPublisher;
import io.ipnpipeline.support.db.Pools;
import io.ipnpipeline.support.kafka.TopicCreator;
import io.ipnpipeline.support.ops.OpsServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.flywaydb.core.api.FlywayException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running sink-writer: the ops endpoints, the consumer loop (batches into PostgreSQL) and the outbox
 * publisher (commands into Kafka). Start-up work that needs PostgreSQL or Kafka (migrations, topics) runs on the
 * worker thread and is retried, so a database that is down at start means "not ready", never a crash loop.
 */
public final class SinkService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SinkService.class);
    private static final String NAME = "sink-writer";
    private static final List<TopicSpec<?, ?>> TOPICS = List.of(Topics.PAYMENTS_ENRICHED, Topics.COMMANDS_INVITE,
            Topics.COMMANDS_PAYOUT, Topics.SINK_DLQ, Topics.OUTBOX_POSITION);

    private static final int MAX_POLL_RECORDS = 1_000;

    private final SinkConfig config;
    private final SinkMetrics metrics;
    private final HikariDataSource dataSource;
    private final Producer<byte[], byte[]> dlqProducer;
    private final ConsumerLoop loop;
    private final OutboxPublisher publisher;
    private final Thread consumerThread;
    private final Thread publisherThread;
    private final CountDownLatch prepared = new CountDownLatch(1);
    private final CompletableFuture<Optional<Throwable>> terminated = new CompletableFuture<>();
    private final OpsServer ops;
    private volatile boolean closing;

    private SinkService(SinkConfig config, CrashPoint crash, Map<String, Object> consumerOverrides) {
        this.config = config;
        this.metrics = new SinkMetrics();
        this.dataSource = Pools.create(config.database(), NAME, config.poolSize());
        this.dlqProducer = new KafkaProducer<>(dlqProducerProps(), new ByteArraySerializer(),
                new ByteArraySerializer());
        this.publisher = new OutboxPublisher(config.database(), this::newCommandProducer, this::newPositionReader,
                this::topicIds, config.topics(), config.transactionalId(), config.outboxBatchSize(), config.outboxPollMs(),
                config.outboxRetentionHours(), metrics, crash);
        this.loop = new ConsumerLoop(new KafkaConsumer<>(consumerProps(consumerOverrides), new ByteArrayDeserializer(),
                new ByteArrayDeserializer()), config.topics().name(Topics.PAYMENTS_ENRICHED),
                new BatchWriter(dataSource, config.transactionLimits()),
                dlqProducer, config.topics().name(Topics.SINK_DLQ), metrics, crash, publisher::wake,
                config.batchMaxRecords(), config.batchMaxWaitMs(), config.shutdownTimeoutMs());
        this.consumerThread = worker("consumer", () -> {
            prepare();
            if (config.publisherEnabled()) {
                publisherThread().start();
            }
            loop.run();
        });
        this.publisherThread = worker("publisher", publisher);
        try {
            this.ops = OpsServer.start(NAME, config.opsPort(), metrics.registry(), this::isReady);
        } catch (IOException e) {
            dataSource.close();
            dlqProducer.close();
            throw new UncheckedIOException("cannot open the ops port " + config.opsPort(), e);
        }
    }

    public static SinkService start(SinkConfig config) {
        return start(config, CrashPoint.NONE);
    }

    /** With a crash hook, for the fault tests. */
    static SinkService start(SinkConfig config, CrashPoint crash) {
        return start(config, crash, Map.of());
    }

    /** With consumer settings the environment does not offer (e.g. a short max.poll.interval.ms), for tests. */
    static SinkService start(SinkConfig config, CrashPoint crash, Map<String, Object> consumerOverrides) {
        LOG.info("starting {} with {}", NAME, config);
        SinkService service = new SinkService(config, crash, consumerOverrides);
        service.consumerThread.start();
        return service;
    }

    private Thread publisherThread() {
        return publisherThread;
    }

    private Thread worker(String role, Runnable body) {
        Thread thread = new Thread(body, NAME + "-" + role);
        thread.setUncaughtExceptionHandler((t, e) -> {
            LOG.error("{} died; the service is no longer ready", t.getName(), e);
            terminated.complete(Optional.of(e));
        });
        return thread;
    }

    /** Migrations and topics, retried until they succeed or the service is closed. */
    private void prepare() {
        Backoff backoff = new Backoff();
        while (!closing) {
            try {
                if (config.migrate()) {
                    SchemaMigrator.migrate(dataSource);
                }
                try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                        config.bootstrapServers()))) {
                    TopicCreator.ensure(admin, config.topics(), TOPICS, config.replicationFactor());
                }
                prepared.countDown();
                return;
            } catch (FlywayException | IllegalStateException | KafkaException e) {
                long waitMs = backoff.next();
                LOG.warn("start-up not complete ({}); retrying in {} ms", e.getMessage(), waitMs);
                sleep(waitMs);
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Ready: started, PostgreSQL reachable, the consumer applying batches, the publisher (if any) healthy. */
    public boolean isReady() {
        return prepared.getCount() == 0 && !closing && consumerThread.isAlive() && loop.isHealthy()
                && (!config.publisherEnabled() || (publisherThread.isAlive() && publisher.isHealthy()))
                && databaseReachable();
    }

    private boolean databaseReachable() {
        try (Connection connection = dataSource.getConnection()) {
            return connection.isValid(1);
        } catch (SQLException e) {
            return false;
        }
    }

    /** This instance's publisher holds the lease and publishes the commands (other instances stand by). */
    public boolean publishesCommands() {
        return config.publisherEnabled() && publisher.isLeader();
    }

    public int opsPort() {
        return ops.port();
    }

    public SinkMetrics metrics() {
        return metrics;
    }

    /** Blocks until the service is closed (empty) or a worker thread died (its failure). */
    public Optional<Throwable> awaitTermination() {
        return terminated.join();
    }

    private KafkaProducer<String, byte[]> newCommandProducer() {
        Map<String, Object> props = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, config.transactionalId(),
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 30_000,
                ProducerConfig.CLIENT_ID_CONFIG, NAME + "-commands");
        return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    /**
     * Each topic's Kafka topic ID, which changes when a topic is deleted and recreated under its name: the restore
     * guard checks it before trusting the command topic offsets recorded with the mark. One short-lived admin
     * client per publisher start; a failure is a Kafka failure (the publisher retries).
     */
    private Map<String, String> topicIds(List<String> topics) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers(),
                AdminClientConfig.CLIENT_ID_CONFIG, NAME + "-topic-ids"))) {
            Map<String, String> ids = new HashMap<>();
            admin.describeTopics(topics).allTopicNames().get(TOPIC_ID_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .forEach((topic, description) -> ids.put(topic, description.topicId().toString()));
            return ids;
        } catch (ExecutionException | TimeoutException e) {
            throw new KafkaException("cannot read the topic IDs of " + topics, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptException(e);
        }
    }

    private static final Duration TOPIC_ID_TIMEOUT = Duration.ofSeconds(30);

    private KafkaConsumer<String, String> newPositionReader() {
        Map<String, Object> props = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.CLIENT_ID_CONFIG, NAME + "-position");
        return new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
    }

    /**
     * The dead-letter producer sends on the consumer thread: with its topic missing (deleted), the default 60 s
     * metadata wait per attempt would outlast max.poll.interval.ms after a few letters, and the group would drop this
     * member and hand the batch back forever. A failed attempt is retried (unready, counted) after a paused poll.
     */
    static final int DLQ_MAX_BLOCK_MS = 5_000;

    private Map<String, Object> dlqProducerProps() {
        return Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers(),
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.MAX_BLOCK_MS_CONFIG, DLQ_MAX_BLOCK_MS,
                ProducerConfig.CLIENT_ID_CONFIG, NAME + "-dlq");
    }

    private Map<String, Object> consumerProps(Map<String, Object> overrides) {
        Map<String, Object> props = new HashMap<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, config.consumerGroup(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                // records stay compact in the fetch buffers until a batch needs them
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Math.min(config.batchMaxRecords(), MAX_POLL_RECORDS),
                ConsumerConfig.CLIENT_ID_CONFIG, NAME + "-" + config.consumerGroup()));
        props.putAll(overrides);
        return props;
    }

    /** Finishes the batch in hand, commits it, stops the publisher and releases everything. */
    @Override
    public void close() {
        if (closing) {
            return;
        }
        closing = true;
        loop.stop();
        join(consumerThread, config.shutdownTimeoutMs() + 10_000L);
        publisher.stop();
        join(publisherThread, 15_000L);
        dlqProducer.close(Duration.ofSeconds(5));
        ops.close();
        dataSource.close();
        terminated.complete(Optional.empty());
        LOG.info("{} closed", NAME);
    }

    private static void join(Thread thread, long millis) {
        if (thread.getState() == Thread.State.NEW) {
            return;
        }
        try {
            thread.join(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.warn("{} did not stop within {} ms", thread.getName(), millis);
        }
    }
}
