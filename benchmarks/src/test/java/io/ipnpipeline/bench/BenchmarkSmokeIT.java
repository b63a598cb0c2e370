package io.ipnpipeline.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Keeps the harness working: the whole benchmark at {@code --scale tiny} (every stage, every service in its own
 * JVM from the shaded jar, real broker, durable PostgreSQL; the local stack from its own runnable jar) must run end
 * to end and print its table. It never asserts a time or a ratio: CI machines are not benchmark machines.
 */
class BenchmarkSmokeIT {

    @Test
    void tinyRunPrintsEveryStage() throws Exception {
        Path out = Path.of("target", "smoke-results.md");
        String report = BenchMain.run(BenchOptions.parse("--scale", "tiny", "--work-dir", "target/smoke-work",
                "--out", out.toString()));

        assertThat(report).doesNotContain("FAILED");
        assertThat(report).contains("| 1 gateway | signed IPNs answered 200/s", "| 1 gateway | p99 at 2,000/s",
                "| 2 processor | ipn.raw -> payments.enriched", "| 3 sink | payments.enriched -> ledger",
                "| 4 end to end | sustained IPNs/s", "| 4 end to end | p99 POST -> ledger row visible",
                "| 5 replay | replay of", "| 5 replay | commands emitted by the replay",
                "| 6 memory | peak RSS, gateway (-Xmx256m)", "| 6 memory | peak stack total",
                "| 6 memory | peak RSS, local stack JVM", "| 6 memory | peak local stack PostgreSQL",
                "| 6 memory | peak local stack total", "| 6 memory | local stack: signed IPNs answered 200/s");
        assertThat(report).contains("SIGTERM: stopped cleanly");
        assertThat(Files.readString(out)).isEqualTo(report);
    }
}
