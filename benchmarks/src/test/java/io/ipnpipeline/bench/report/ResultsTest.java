package io.ipnpipeline.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ResultsTest {

    @Test
    void ratioIsTheMedianOfPerRunRatiosAndAMissIsPrintedAsOne() {
        Results results = new Results();
        results.ratio("2 processor", "records", "records/s", List.of(100.0, 300.0, 200.0), "limit",
                List.of(1_000.0, 1_000.0, 1_000.0), 0.6);

        String table = results.markdown();

        assertThat(table).contains("| 2 processor | records | 200 records/s (n=3) | limit: 1,000 records/s |"
                + " 0.20 x [0.10, 0.30, 0.20] | >= 0.6 x | **MISS** |");
    }

    @Test
    void medianAndPercentiles() {
        assertThat(Stats.median(List.of(3.0, 1.0, 2.0))).isEqualTo(2.0);
        assertThat(Stats.median(List.of(4.0, 1.0, 2.0, 3.0))).isEqualTo(2.5);
        long[] values = new long[100];
        for (int i = 0; i < 100; i++) {
            values[i] = 100 - i;
        }
        assertThat(Stats.percentile(values, 100, 50)).isEqualTo(50);
        assertThat(Stats.percentile(values, 100, 99)).isEqualTo(99);
        assertThat(Stats.percentile(values, 0, 99)).isNaN();
    }
}
