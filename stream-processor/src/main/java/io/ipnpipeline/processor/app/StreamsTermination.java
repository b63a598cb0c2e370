package io.ipnpipeline.processor.app;

import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the Kafka Streams state, for {@code main}: a Streams instance in ERROR processes nothing again (its
 * global-table thread cannot be replaced, for one), but the JVM would stay up and merely report unready, and a
 * container runtime does not restart an unhealthy container. {@link #awaitFailure()} lets {@code main} exit
 * instead, so the supervisor starts a fresh process, which resumes from the last committed transaction.
 */
final class StreamsTermination implements KafkaStreams.StateListener {

    private static final Logger LOG = LoggerFactory.getLogger(StreamsTermination.class);

    private final CountDownLatch ended = new CountDownLatch(1);
    private final Supplier<Optional<String>> fatalCause;
    private volatile boolean failed;

    /** {@code fatalCause}: why a stream thread's failure shut Streams down, for the last line before the exit. */
    StreamsTermination(Supplier<Optional<String>> fatalCause) {
        this.fatalCause = fatalCause;
    }

    StreamsTermination() {
        this(Optional::empty);
    }

    @Override
    public void onChange(KafkaStreams.State next, KafkaStreams.State previous) {
        LOG.info("streams state {} -> {}", previous, next);
        if (next == KafkaStreams.State.ERROR) {
            LOG.error("Kafka Streams is in ERROR and processes nothing more: {}; the process exits 1",
                    fatalCause().orElse("see the stream thread's error above"));
            failed = true;
            ended.countDown();
        }
    }

    Optional<String> fatalCause() {
        return fatalCause.get();
    }

    /** The service was closed on purpose. */
    void closed() {
        ended.countDown();
    }

    /** Blocks until Streams fails (true) or the service is closed (false). */
    boolean awaitFailure() throws InterruptedException {
        ended.await();
        return failed;
    }
}
