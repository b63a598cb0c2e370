package io.ipnpipeline.testsupport;

/** A Kafka cluster a test talks to; only its address, so embedded and container clusters look the same. */
public interface KafkaCluster extends AutoCloseable {

    /** {@code host:port} for {@code bootstrap.servers}. */
    String bootstrapServers();

    @Override
    void close();
}
