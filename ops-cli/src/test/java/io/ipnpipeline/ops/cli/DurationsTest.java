package io.ipnpipeline.ops.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class DurationsTest {

    @Test
    void readsOperatorShorthandAndIso() {
        assertThat(Durations.parse("10m")).isEqualTo(Duration.ofMinutes(10));
        assertThat(Durations.parse("90s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(Durations.parse("2h")).isEqualTo(Duration.ofHours(2));
        assertThat(Durations.parse("1d")).isEqualTo(Duration.ofDays(1));
        assertThat(Durations.parse("PT10M")).isEqualTo(Duration.ofMinutes(10));
        assertThatThrownBy(() -> Durations.parse("ten minutes"))
                .isInstanceOf(CommandLine.TypeConversionException.class).hasMessageContaining("10m");
    }

    @Test
    void readsInstantsWithOffsetsAndDates() {
        assertThat(Instants.parse("2024-05-01T12:00+02:00")).isEqualTo(Instant.parse("2024-05-01T10:00:00Z"));
        assertThat(Instants.parse("2024-05-01")).isEqualTo(Instant.parse("2024-05-01T00:00:00Z"));
    }
}
