package io.ipnpipeline.gateway.ipn;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class IsoInstantTest {

    @Test
    void writesWhatInstantToStringWrites() {
        SplittableRandom random = new SplittableRandom(7);
        long now = Instant.now().getEpochSecond();
        for (int i = 0; i < 200_000; i++) {
            long seconds = i % 3 == 0 ? now + random.nextInt(3) : random.nextLong(-62_167_219_200L, 253_402_300_800L);
            int nanos = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1_000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1_000;
                default -> random.nextInt(1_000_000_000);
            };
            Instant instant = Instant.ofEpochSecond(seconds, nanos);
            assertThat(new String(IsoInstant.bytes(instant), StandardCharsets.UTF_8)).isEqualTo(instant.toString());
        }
    }

    @Test
    void yearsOutsideFourDigitsToo() {
        for (Instant instant : new Instant[] {Instant.MIN, Instant.MAX, Instant.ofEpochSecond(253_402_300_800L, 5),
                Instant.ofEpochSecond(-62_167_219_201L, 120_000_000), Instant.EPOCH}) {
            assertThat(new String(IsoInstant.bytes(instant), StandardCharsets.UTF_8)).isEqualTo(instant.toString());
        }
    }
}
