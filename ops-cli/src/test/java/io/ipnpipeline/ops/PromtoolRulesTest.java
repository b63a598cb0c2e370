package io.ipnpipeline.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Prometheus's own checker on deploy/prometheus: the config and rules load, and the alert expressions behave on
 * made-up series (alerts.test.yml: the first dead letter after a restart fires and holds, parking with nothing
 * released fires whether or not the released series exists, a service down pages once, NaN and review rows).
 * Skipped where promtool is not installed (Debian: apt-get install prometheus).
 */
class PromtoolRulesTest {

    private static final Path PROMTOOL = Path.of("/usr/bin/promtool");
    private static final Path DIR = Path.of("..", "deploy", "prometheus");

    @Test
    void configAndRulesLoad() throws Exception {
        assertThat(promtool("check", "config", "prometheus.yml")).contains("SUCCESS");
    }

    @Test
    void alertExpressionsPassTheirUnitTests() throws Exception {
        assertThat(promtool("test", "rules", "alerts.test.yml")).contains("SUCCESS");
    }

    private static String promtool(String... args) throws IOException, InterruptedException {
        assumeTrue(Files.isExecutable(PROMTOOL), "promtool is not installed");
        List<String> command = new ArrayList<>(List.of(PROMTOOL.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(DIR.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("promtool finished").isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }
}
