package io.ipnpipeline.processor.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.streams.errors.MissingSourceTopicException;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.Test;

/**
 * Found by review: every failed stream thread was replaced, so one failing the same way every time (partitions added
 * to ipn.raw) was replaced forever while the processor processed nothing and never exited.
 */
class StreamThreadFailuresTest {

    /** Kafka Streams' own words (InternalTopicManager, 4.4) when ipn.raw went from 6 to 12 partitions. */
    private static final String INVALID_PARTITIONS = "Existing internal topic app-payment-status-store-changelog has "
            + "invalid partitions: expected: 12; actual: 6. Use 'org.apache.kafka.tools.StreamsResetter' tool to "
            + "clean up invalid topics before processing.";

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final AtomicLong nanos = new AtomicLong();
    private final StreamThreadFailures failures = new StreamThreadFailures(registry, nanos::get);

    @Test
    void aChangelogWithTheWrongPartitionCountShutsTheClientDownAtOnce() {
        StreamThreadExceptionResponse response =
                failures.handle(new KafkaException("join failed", new StreamsException(INVALID_PARTITIONS)));

        assertThat(response).isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
        assertThat(failures.fatalCause()).get().asString()
                .contains("ipn.raw").contains("expected: 12; actual: 6").contains("README");
        assertThat(replaced()).isZero();
    }

    @Test
    void aMissingSourceTopicIsFatalToo() {
        assertThat(failures.handle(new MissingSourceTopicException("ipn.raw is gone")))
                .isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
    }

    @Test
    void aTransientFailureIsReplacedAndCounted() {
        assertThat(replaced()).as("registered at 0").isZero();

        StreamThreadExceptionResponse response =
                failures.handle(new StreamsException("commit failed", new TimeoutException("broker away")));

        assertThat(response).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
        assertThat(replaced()).isEqualTo(1);
        assertThat(failures.fatalCause()).isEmpty();
    }

    @Test
    void aFailureThatKeepsComingBackShutsTheClientDown() {
        for (int i = 0; i < StreamThreadFailures.LIMIT; i++) {
            assertThat(failures.handle(transientFailure())).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
            nanos.addAndGet(Duration.ofMinutes(1).toNanos());
        }

        assertThat(failures.handle(transientFailure())).isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
        assertThat(failures.fatalCause()).get().asString().contains("4 times within");
        assertThat(replaced()).isEqualTo(StreamThreadFailures.LIMIT);
    }

    @Test
    void failuresSpreadWiderThanTheWindowAreEachReplaced() {
        for (int i = 0; i < 3 * StreamThreadFailures.LIMIT; i++) {
            assertThat(failures.handle(transientFailure())).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
            nanos.addAndGet(StreamThreadFailures.WINDOW.dividedBy(StreamThreadFailures.LIMIT).plusSeconds(1).toNanos());
        }
    }

    private static StreamsException transientFailure() {
        return new StreamsException("task failed", new TimeoutException("broker away"));
    }

    private double replaced() {
        return registry.get(StreamThreadFailures.REPLACED).counter().count();
    }
}
