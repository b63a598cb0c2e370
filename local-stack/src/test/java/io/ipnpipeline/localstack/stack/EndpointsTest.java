package io.ipnpipeline.localstack.stack;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipnpipeline.support.config.Secret;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Found by a newcomer: endpoints.env's header said "source it: . endpoints.env", which sets shell variables only,
 * so the ops CLI and send-ipn, which read their environment, quietly used their defaults.
 */
class EndpointsTest {

    @TempDir
    Path dir;

    @Test
    void theCommandTheHeaderGivesExportsTheEndpointsToProgramsTheShellStarts() throws Exception {
        Path file = dir.resolve("data dir").resolve("endpoints.env");
        Files.createDirectories(file.getParent());
        new Endpoints("http://127.0.0.1:8080", "http://127.0.0.1:18093", "127.0.0.1:19092",
                "jdbc:postgresql://127.0.0.1:15432/ipn_pipeline", "ipn_pipeline", new Secret("pw")).writeTo(file);

        String header = Files.readAllLines(file, StandardCharsets.UTF_8).get(0);
        String command = header.substring(header.indexOf("set -a"));
        assertThat(command).isEqualTo(Endpoints.exportCommand(file));

        Process shell = new ProcessBuilder(List.of("sh", "-c", command + "; printenv GATEWAY_URL KAFKA_BOOTSTRAP_SERVERS"))
                .redirectErrorStream(true).start();
        String output = new String(shell.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(shell.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(output).isEqualTo("http://127.0.0.1:8080\n127.0.0.1:19092\n");
    }
}
