package io.ipnpipeline.processor.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import org.apache.kafka.streams.KafkaStreams.State;
import org.junit.jupiter.api.Test;

/**
 * Found by review: a processor whose Kafka Streams reached ERROR kept its JVM up, unready, and a container runtime
 * does not restart an unhealthy container, so payments stalled until someone noticed.
 */
class StreamsTerminationTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    @Test
    void streamsInErrorEndsTheWaitAsAFailure() {
        StreamsTermination termination = new StreamsTermination();
        termination.onChange(State.REBALANCING, State.CREATED);
        termination.onChange(State.RUNNING, State.REBALANCING);
        termination.onChange(State.PENDING_ERROR, State.RUNNING);
        termination.onChange(State.ERROR, State.PENDING_ERROR);

        assertThat(assertTimeoutPreemptively(WAIT, termination::awaitFailure)).isTrue();
    }

    @Test
    void aCloseOnPurposeEndsTheWaitWithoutAFailure() {
        StreamsTermination termination = new StreamsTermination();
        termination.onChange(State.RUNNING, State.REBALANCING);
        termination.onChange(State.PENDING_SHUTDOWN, State.RUNNING);
        termination.onChange(State.NOT_RUNNING, State.PENDING_SHUTDOWN);
        termination.closed();

        assertThat(assertTimeoutPreemptively(WAIT, termination::awaitFailure)).isFalse();
    }
}
