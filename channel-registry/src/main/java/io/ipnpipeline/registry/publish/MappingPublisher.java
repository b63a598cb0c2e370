package io.ipnpipeline.registry.publish;

import io.ipnpipeline.contracts.mapping.ChannelMapping;
import io.ipnpipeline.contracts.topic.Topics;
import io.ipnpipeline.registry.ops.RegistryMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes changes to channel.mappings through a transactional (so idempotent, acks=all) producer whose
 * transactional.id is the same on every instance: when a new leader opens its publisher, Kafka fences the
 * previous leader's producer, so a leader that lost its database session (and with it the lock) can no
 * longer commit a stale value after the new leader's snapshot.
 */
public final class MappingPublisher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MappingPublisher.class);

    private final KafkaProducer<String, ChannelMapping> producer;
    private final String topic;
    private final RegistryMetrics metrics;

    private MappingPublisher(KafkaProducer<String, ChannelMapping> producer, String topic, RegistryMetrics metrics) {
        this.producer = producer;
        this.topic = topic;
        this.metrics = metrics;
    }

    /** The transactional.id every instance publishing {@code topic} shares. */
    public static String transactionalId(String topic) {
        return "channel-registry." + topic;
    }

    /** Opens the producer and fences every earlier producer of this topic's publisher (blocks up to 15 s). */
    public static MappingPublisher open(String bootstrapServers, String topic, String clientId,
            RegistryMetrics metrics) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId(topic));
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "15000");
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000");
        props.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, "30000");
        KafkaProducer<String, ChannelMapping> producer = new KafkaProducer<>(props,
                Topics.CHANNEL_MAPPINGS.keySerde().serializer(), Topics.CHANNEL_MAPPINGS.valueSerde().serializer());
        try {
            producer.initTransactions();
        } catch (KafkaException e) {
            producer.close(Duration.ZERO);
            throw e;
        }
        return new MappingPublisher(producer, topic, metrics);
    }

    /**
     * Publishes {@code changes} in one transaction and, once committed, records them in {@code state}. On
     * failure the state is unchanged and the exception propagates: the caller gives up leadership and the
     * next leader's resync repairs whatever did not commit.
     *
     * @param notified true when a change notification caused this publish (its latency is measured)
     */
    public void publish(List<Change> changes, PublishedState state, boolean notified) {
        if (changes.isEmpty()) {
            return;
        }
        try {
            producer.beginTransaction();
            for (Change change : changes) {
                ChannelMapping value = change instanceof Change.Upsert upsert ? upsert.value() : null;
                producer.send(new ProducerRecord<>(topic, change.key(), value));
            }
            producer.commitTransaction();
        } catch (ProducerFencedException | OutOfOrderSequenceException | AuthorizationException e) {
            throw e;
        } catch (KafkaException e) {
            abortQuietly(e);
            throw e;
        }
        Instant committed = Instant.now();
        int tombstones = 0;
        for (Change change : changes) {
            state.apply(change);
            if (change instanceof Change.Upsert upsert) {
                if (notified && upsert.value().updatedAt() != null) {
                    metrics.notificationLag(Duration.between(upsert.value().updatedAt(), committed));
                }
            } else {
                tombstones++;
            }
        }
        metrics.published(changes.size() - tombstones, tombstones);
    }

    private void abortQuietly(KafkaException cause) {
        try {
            producer.abortTransaction();
        } catch (KafkaException abortFailure) {
            // the publisher is closed next anyway; the next initTransactions aborts what is left open
            cause.addSuppressed(abortFailure);
            LOG.debug("abort after a failed publish failed too", abortFailure);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
