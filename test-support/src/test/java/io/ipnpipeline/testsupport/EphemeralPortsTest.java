package io.ipnpipeline.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipnpipeline.embedded.Ports;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** A broker needs two ports at once (listener and controller); drawn one by one they once came out equal. */
class EphemeralPortsTest {

    @Test
    void portsDrawnTogetherAreDistinctAndFree() {
        for (int draw = 0; draw < 500; draw++) {
            int[] ports = Ports.ephemeral(3);
            assertThat(Arrays.stream(ports).distinct().count()).isEqualTo(3);
            assertThat(Arrays.stream(ports).allMatch(Ports::isFree)).isTrue();
        }
    }
}
