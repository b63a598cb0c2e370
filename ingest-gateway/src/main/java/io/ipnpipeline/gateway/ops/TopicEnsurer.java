package io.ipnpipeline.gateway.ops;

import io.ipnpipeline.contracts.topic.TopicSpec;
import io.ipnpipeline.contracts.topic.Topics;
import io.ipnpipeline.gateway.config.GatewayConfig;
import io.ipnpipeline.support.kafka.TopicCreator;
import java.util.List;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates {@code ipn.raw} with its specified partitions if it is missing, in the background and retrying:
 * the gateway must start (and answer 503, unready) while Kafka is down, and the topic must not be left to a
 * broker's auto-creation with one partition.
 */
public final class TopicEnsurer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TopicEnsurer.class);
    private static final long RETRY_MILLIS = 5_000;
    private static final List<TopicSpec<?, ?>> TOPICS = List.of(Topics.IPN_RAW);

    private final Thread thread;

    private TopicEnsurer(Thread thread) {
        this.thread = thread;
    }

    public static TopicEnsurer start(Admin admin, GatewayConfig config) {
        Thread thread = new Thread(() -> run(admin, config), "ipn-topic-ensurer");
        thread.setDaemon(true);
        thread.start();
        return new TopicEnsurer(thread);
    }

    private static void run(Admin admin, GatewayConfig config) {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                TopicCreator.ensure(admin, config.topics(), TOPICS, config.replicationFactor());
                return;
            } catch (IllegalStateException e) {
                LOG.warn("cannot ensure topic {} yet, retrying in {} ms: {}", config.ipnRawTopic(), RETRY_MILLIS,
                        e.getMessage());
            }
            try {
                Thread.sleep(RETRY_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public void close() {
        thread.interrupt();
    }
}
