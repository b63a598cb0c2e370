package io.ipnpipeline.gateway.ipn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The log line's latency reads as it did when it was printed as a double. */
class LatencyTextTest {

    @Test
    void millisWithUpToThreeDecimalsAsDoubleToStringPrintsThem() {
        SplittableRandom random = new SplittableRandom(11);
        for (long i = 0; i < 400_000; i++) {
            long micros = i < 200_000 ? i : random.nextLong(1_000_000_000L);
            StringBuilder line = new StringBuilder();
            IpnHandler.appendMillis(line, micros);
            assertThat(line.toString()).as("%d µs", micros).isEqualTo(Double.toString(micros / 1_000.0));
        }
    }
}
