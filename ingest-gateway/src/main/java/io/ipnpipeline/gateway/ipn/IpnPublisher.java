package io.ipnpipeline.gateway.ipn;

import io.ipnpipeline.gateway.config.GatewayConfig;
import io.ipnpipeline.gateway.http.Timeouts;
import io.ipnpipeline.gateway.ops.GatewayMetrics;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes IPN records and completes a future when the broker has acknowledged them, or fails it when it
 * has not within the publish timeout.
 *
 * <p>{@link Producer#send} can block (metadata for a topic while Kafka is down, a full buffer) for up to
 * {@code max.block.ms}, so it never runs on an event loop: one sender thread calls it, fed by a queue as long
 * as the in-flight limit. No thread waits for an acknowledgement: the producer's callback completes the
 * future on the request's event loop.
 *
 * <p>A record that was not acknowledged in time is answered 503, so NOWPayments retries it. If the broker
 * appends it later anyway (it was already on the wire), {@code ipn.raw} holds it twice; the processor dedupes
 * by payment_id and status, so that costs nothing. {@code delivery.timeout.ms} is kept short so such a late
 * append can only happen within a few seconds, never minutes later, and a record whose request was already
 * answered is not handed to the producer at all.
 */
public final class IpnPublisher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(IpnPublisher.class);

    private final Vertx vertx;
    private final Producer<String, byte[]> producer;
    private final long timeoutMillis;
    private final Timeouts timeouts;
    private final ThreadPoolExecutor sender;
    private final GatewayMetrics metrics;

    public IpnPublisher(Vertx vertx, Producer<String, byte[]> producer, Duration timeout, int queueCapacity,
            GatewayMetrics metrics) {
        this.vertx = vertx;
        this.producer = producer;
        this.metrics = metrics;
        this.timeoutMillis = timeout.toMillis();
        this.timeouts = new Timeouts(vertx, timeout);
        this.sender = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(queueCapacity), runnable -> {
                    Thread thread = new Thread(runnable, "ipn-publisher");
                    thread.setDaemon(true);
                    return thread;
                });
    }

    /** Producer settings: durable (acks=all, idempotent), batched for throughput, bounded in time. */
    public static Map<String, Object> producerSettings(GatewayConfig config) {
        long timeout = config.publishTimeout().toMillis();
        int lingerMs = 5;
        return Map.ofEntries(
                Map.entry(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers()),
                Map.entry(ProducerConfig.CLIENT_ID_CONFIG, "ingest-gateway"),
                Map.entry(ProducerConfig.ACKS_CONFIG, "all"),
                Map.entry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true),
                Map.entry(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5),
                Map.entry(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"),
                // a few ms of linger batches bursts without hurting the p99 target of 20 ms
                Map.entry(ProducerConfig.LINGER_MS_CONFIG, lingerMs),
                Map.entry(ProducerConfig.BATCH_SIZE_CONFIG, 128 * 1024),
                // send() runs on the sender thread; this bounds how long it can stall the queue behind it
                Map.entry(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout),
                Map.entry(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout),
                // the producer gives up shortly after the gateway has answered 503: late appends stay rare and near
                Map.entry(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) (2 * timeout + lingerMs)),
                Map.entry(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class),
                Map.entry(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
    }

    public static Producer<String, byte[]> createProducer(GatewayConfig config) {
        return new KafkaProducer<>(producerSettings(config));
    }

    /**
     * Called on an event loop. The future completes on that same context: succeeded once the broker has the
     * record, failed with {@link PublishException} otherwise.
     */
    public Future<Void> publish(ProducerRecord<String, byte[]> record) {
        Attempt attempt = new Attempt(vertx.getOrCreateContext(), Promise.promise());
        timeouts.watch(attempt);
        try {
            sender.execute(() -> send(record, attempt));
        } catch (RejectedExecutionException full) {
            attempt.finish(new PublishException(PublishException.Kind.SATURATED, "publish queue full"));
        }
        return attempt.promise.future();
    }

    private void send(ProducerRecord<String, byte[]> record, Attempt attempt) {
        if (attempt.done.get()) {
            // already answered 503: sending now would only add a duplicate the retry will bring anyway
            return;
        }
        long started = System.nanoTime();
        try {
            producer.send(record, (metadata, error) -> {
                if (error == null) {
                    metrics.publishLatency().record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
                    attempt.finish(null);
                } else {
                    attempt.finish(producerError(error));
                }
            });
        } catch (KafkaException | IllegalStateException e) {
            attempt.finish(producerError(e));
        }
    }

    private PublishException producerError(Exception error) {
        String kind = error.getClass().getSimpleName();
        metrics.producerError(kind);
        LOG.warn("producer could not publish an IPN: {}", kind);
        return new PublishException(PublishException.Kind.PRODUCER_ERROR, kind);
    }

    /** Flushes what is buffered and closes the producer; call after the HTTP server has stopped. */
    @Override
    public void close() {
        sender.shutdown();
        try {
            if (!sender.awaitTermination(timeoutMillis * 2, TimeUnit.MILLISECONDS)) {
                LOG.warn("publisher thread still busy at close; closing the producer anyway");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.flush();
        producer.close(Duration.ofMillis(timeoutMillis * 2));
    }

    /** One record's race between the broker's callback and the timeout: whichever comes first answers. */
    private final class Attempt implements Timeouts.Watched {
        private final Context context;
        private final AtomicBoolean done = new AtomicBoolean();
        /** Dropped once answered: a finished attempt may wait in its event loop's timeout queue a little longer. */
        private Promise<Void> promise;

        private Attempt(Context context, Promise<Void> promise) {
            this.context = context;
            this.promise = promise;
        }

        @Override
        public boolean done() {
            return done.get();
        }

        @Override
        public void expire() {
            if (finish(new PublishException(PublishException.Kind.TIMEOUT, "no ack in time"))) {
                metrics.producerError("timeout");
            }
        }

        /** Answers the request unless something else did first; true if this call did. */
        private boolean finish(PublishException failure) {
            if (!done.compareAndSet(false, true)) {
                return false;
            }
            context.runOnContext(ignored -> {
                Promise<Void> answer = promise;
                promise = null;
                if (failure == null) {
                    answer.complete();
                } else {
                    answer.fail(failure);
                }
            });
            return true;
        }
    }
}
