package io.ipnpipeline.contracts.ipn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The fast paths answer exactly as {@link Instant#parse} and {@link Instant#toString}, or leave the work to them. */
class IsoInstantsTest {

    @ParameterizedTest
    @ValueSource(strings = {"2025-11-07T11:48:27.355Z", "2025-11-07T11:48:27Z", "1970-01-01T00:00:00Z",
            "2024-02-29T23:59:59.999999999Z", "2025-11-07T11:48:27.1Z", "2025-11-07T11:48:27.000Z",
            "0001-01-01T00:00:00Z", "9999-12-31T23:59:59.5Z", "2025-11-07T11:48:27+01:00",
            "2016-12-31T23:59:60Z", "2025-11-07T11:48:27.355z", "+12025-11-07T11:48:27Z",
            "2025-11-07T24:00:00Z", "2025-11-07T11:48:27.Z"})
    void agreesWithInstantParse(String text) {
        assertThat(IsoInstants.parse(text)).isEqualTo(Instant.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2025-02-29T00:00:00Z", "2025-13-01T00:00:00Z",
            "2025-11-07T11:60:00Z", "2025-11-07T11:48:27.1234567890Z", "2025-11-07 11:48:27Z",
            "2025-11-07T11:48:2xZ", "", "yesterday", "2025-1a-07T11:48:27Z", "2025-00-07T11:48:27Z"})
    void rejectsWhatInstantParseRejects(String text) {
        assertThatThrownBy(() -> Instant.parse(text)).isInstanceOf(DateTimeParseException.class);
        assertThatThrownBy(() -> IsoInstants.parse(text)).isInstanceOf(DateTimeParseException.class);
    }

    @Test
    void randomInstantsRoundTrip() {
        Random random = new Random(7);
        for (int i = 0; i < 20_000; i++) {
            Instant instant = Instant.ofEpochSecond(random.nextLong() % 253_402_300_799L,
                    random.nextInt(4) == 0 ? 0 : random.nextInt(1_000_000_000));
            String text = instant.toString();
            assertThat(IsoInstants.parse(text)).as(text).isEqualTo(Instant.parse(text));
        }
    }

    @Test
    void formatWritesWhatInstantToStringWrites() {
        Random random = new Random(42);
        for (int i = 0; i < 200_000; i++) {
            long seconds = random.nextLong(-62_000_000_000L, 260_000_000_000L);
            int nanos = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1_000;
                default -> random.nextInt(1_000_000_000);
            };
            Instant instant = Instant.ofEpochSecond(seconds, nanos);
            assertThat(IsoInstants.format(instant)).isEqualTo(instant.toString());
        }
    }

    @Test
    void formatOutsideFourDigitYearsToo() {
        for (Instant instant : new Instant[] {Instant.MIN, Instant.MAX, Instant.ofEpochSecond(253_402_300_800L, 5),
                Instant.ofEpochSecond(-62_167_219_201L, 120_000_000), Instant.EPOCH}) {
            assertThat(IsoInstants.format(instant)).isEqualTo(instant.toString());
        }
    }

    /** PostgreSQL's timestamptz takes years 0001 to 9999 as the sink writes them; the rest reads as absent. */
    @ParameterizedTest
    @ValueSource(strings = {"0000-01-01T00:00:00Z", "0000-12-31T23:59:59.999999999Z", "-0001-01-01T00:00:00Z",
            "+10000-01-01T00:00:00Z", "+1000000000-12-31T23:59:59Z", "-1000000000-01-01T00:00:00Z",
            "0001-01-01T00:59:59+01:00", "9999-12-31T23:00:00-01:00", "yesterday", ""})
    void parseStorableDropsWhatTheLedgerCannotStore(String text) {
        assertThat(IsoInstants.parseStorable(text)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"9999-12-31T23:59:59Z", "9999-12-31T23:59:59.999999999Z", "0001-01-01T00:00:00Z",
            "2025-11-07T11:48:27.355Z", "2025-11-07T11:48:27+01:00"})
    void parseStorableKeepsEveryYearFromOneTo9999(String text) {
        assertThat(IsoInstants.parseStorable(text)).isEqualTo(Instant.parse(text));
    }
}
