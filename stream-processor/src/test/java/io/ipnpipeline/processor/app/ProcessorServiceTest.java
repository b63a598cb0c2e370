package io.ipnpipeline.processor.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.streams.KafkaStreams.State;
import org.junit.jupiter.api.Test;

class ProcessorServiceTest {

    @Test
    void liveUnlessStreamsHasFailedOrStopped() {
        assertThat(State.values()).filteredOn(state -> !ProcessorService.isLive(state))
                .containsExactlyInAnyOrder(State.ERROR, State.PENDING_ERROR, State.NOT_RUNNING);
    }
}
