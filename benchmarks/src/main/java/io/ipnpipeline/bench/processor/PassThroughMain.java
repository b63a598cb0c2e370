package io.ipnpipeline.bench.processor;

import io.ipnpipeline.contracts.topic.Topics;
import io.ipnpipeline.processor.config.ProcessorConfig;
import io.ipnpipeline.support.config.Env;
import java.time.Duration;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;

/**
 * The processor's limit: a Kafka Streams app that copies {@code ipn.raw} to {@code payments.enriched} unchanged,
 * configured by the processor's own {@link ProcessorConfig#streamsProperties()} (exactly_once_v2, commit
 * interval, threads, lz4, handlers) from the same environment variables. What it cannot do faster than this,
 * no Streams app on this broker can.
 */
public final class PassThroughMain {

    private PassThroughMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        ProcessorConfig config = ProcessorConfig.fromEnv(Env.system());
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(config.topics().name(Topics.IPN_RAW), Consumed.with(Serdes.String(), Serdes.ByteArray()))
                .to(config.topics().name(Topics.PAYMENTS_ENRICHED), Produced.with(Serdes.String(), Serdes.ByteArray()));
        KafkaStreams streams = new KafkaStreams(builder.build(), config.streamsProperties());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> streams.close(Duration.ofSeconds(30)),
                "pass-through-shutdown"));
        streams.start();
        Thread.currentThread().join();
    }
}
