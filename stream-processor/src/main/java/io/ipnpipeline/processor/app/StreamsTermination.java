package io.ipnpipeline.processor.app;

import java.util.concurrent.CountDownLatch;
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
    private volatile boolean failed;

    @Override
    public void onChange(KafkaStreams.State next, KafkaStreams.State previous) {
        LOG.info("streams state {} -> {}", previous, next);
        if (next == KafkaStreams.State.ERROR) {
            failed = true;
            ended.countDown();
        }
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
