package io.ipnpipeline.bench.gateway;

import io.ipnpipeline.contracts.topic.HeaderNames;
import io.ipnpipeline.gateway.config.GatewayConfig;
import io.ipnpipeline.gateway.ipn.IpnPublisher;
import io.ipnpipeline.support.config.Env;
import io.ipnpipeline.support.kafka.KafkaSettings;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The gateway's limit: a plain Kafka producer built from the gateway's own producer settings
 * ({@link IpnPublisher#producerSettings}: acks=all, idempotent, lz4, same linger and batch), sending the same
 * bodies with the same headers, no HTTP and no signature check. At most as many records in flight as the
 * gateway allows ({@code GATEWAY_MAX_IN_FLIGHT}), so both wait for acks under the same bound.
 */
public final class PlainProducer {

    private PlainProducer() {
    }

    /** Sends {@code count} records and returns acknowledged records per second. */
    public static double run(String bootstrap, Map<String, String> topicEnv, String topic, int count,
            IntFunction<HttpLoad.SignedBody> bodies) {
        Map<String, String> env = new java.util.HashMap<>(topicEnv);
        env.put(KafkaSettings.BOOTSTRAP_SERVERS, bootstrap);
        env.put(GatewayConfig.IPN_SECRET, "unused");
        GatewayConfig config = GatewayConfig.fromEnv(Env.of(env));
        Semaphore inFlight = new Semaphore(config.maxInFlight());
        AtomicLong failed = new AtomicLong();
        try (Producer<String, byte[]> producer = new KafkaProducer<>(IpnPublisher.producerSettings(config))) {
            long started = System.nanoTime();
            for (int i = 0; i < count; i++) {
                HttpLoad.SignedBody body = bodies.apply(i);
                inFlight.acquireUninterruptibly();
                producer.send(new ProducerRecord<>(topic, null, Long.toString(body.paymentId()), body.body(),
                        headers()), (metadata, error) -> {
                            if (error != null) {
                                failed.incrementAndGet();
                            }
                            inFlight.release();
                        });
            }
            inFlight.acquireUninterruptibly(config.maxInFlight());
            double seconds = (System.nanoTime() - started) / 1e9;
            if (failed.get() > 0) {
                throw new IllegalStateException(failed.get() + " records of the plain producer failed");
            }
            return count / seconds;
        }
    }

    private static RecordHeaders headers() {
        RecordHeaders headers = new RecordHeaders();
        put(headers, HeaderNames.IPN_RECEIVED_AT, Instant.now().toString());
        put(headers, HeaderNames.IPN_REQUEST_ID, UUID.randomUUID().toString());
        put(headers, HeaderNames.IPN_REMOTE_ADDRESS, "127.0.0.1");
        put(headers, HeaderNames.IPN_SIGNATURE_FORM, "deep-sorted");
        put(headers, HeaderNames.IPN_SECRET, "current");
        put(headers, HeaderNames.IPN_SOURCE, HeaderNames.SOURCE_GATEWAY);
        return headers;
    }

    private static void put(RecordHeaders headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
