package io.ipnpipeline.ops;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import io.ipnpipeline.ops.cli.OpsException;
import io.ipnpipeline.support.db.DatabaseConfig;
import io.ipnpipeline.support.kafka.KafkaSettings;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Found by a newcomer: with Kafka unreachable, 'dlq list' printed Kafka's WARN lines for 30 s, then a raw
 * TimeoutException. Now: one "error: cannot reach ..." line naming the address and its variable, exit 5, within
 * about 10 s. Addresses here are ports nothing listens on, so no broker or database is needed.
 */
class UnreachableTest {

    private static String nowhere;

    @BeforeAll
    static void findAClosedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            nowhere = "127.0.0.1:" + socket.getLocalPort();
        }
    }

    @Test
    void dlqListWithKafkaUnreachableEndsInOneErrorLineNamingTheAddress() {
        assertKafkaUnreachable("dlq", "list");
    }

    @Test
    void replayWithKafkaUnreachableEndsInOneErrorLineNamingTheAddress() {
        assertKafkaUnreachable("replay", "--from", "earliest", "--dry-run");
    }

    private static void assertKafkaUnreachable(String... args) {
        long start = System.nanoTime();
        Cli.Result result = Cli.run(Map.of(KafkaSettings.BOOTSTRAP_SERVERS, nowhere), args);
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(OpsException.UNREACHABLE);
        assertThat(result.err()).as(result.toString())
                .startsWith("error: cannot reach Kafka at " + nowhere + " (KAFKA_BOOTSTRAP_SERVERS): ")
                .hasLineCount(1).doesNotContain("Exception");
        assertThat(took).isLessThan(Duration.ofSeconds(25));
    }

    @Test
    void kafkaAddressThatDoesNotResolveIsTheSameOneLine() {
        Cli.Result result = Cli.run(Map.of(KafkaSettings.BOOTSTRAP_SERVERS, "no-such-host.invalid:9092"),
                "dlq", "list");
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(OpsException.UNREACHABLE);
        assertThat(result.err()).as(result.toString())
                .startsWith("error: cannot reach Kafka at no-such-host.invalid:9092 (KAFKA_BOOTSTRAP_SERVERS): ")
                .hasLineCount(1);
    }

    @Test
    void postgresUnreachableEndsInOneErrorLineNamingTheUrlWithoutThePassword() {
        String url = "jdbc:postgresql://" + nowhere + "/ipn_pipeline?password=url-secret&ssl=false";
        Cli.Result result = Cli.run(Map.of(DatabaseConfig.JDBC_URL, url, DatabaseConfig.PASSWORD, "env-secret"),
                "stuck");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(OpsException.UNREACHABLE);
        assertThat(result.err()).as(result.toString())
                .startsWith("error: cannot reach PostgreSQL at jdbc:postgresql://" + nowhere
                        + "/ipn_pipeline?password=****&ssl=false (PIPELINE_JDBC_URL, user ipn_pipeline): ")
                .hasLineCount(1).doesNotContain("url-secret").doesNotContain("env-secret");
        assertThat(result.out()).isEmpty();
    }

    /** The CLI's own logback.xml (tests run with test-support's logback-test.xml, so it is loaded by hand). */
    @Test
    void kafkaClientWarningsStayOffTheConsole() throws Exception {
        LoggerContext context = new LoggerContext();
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(Path.of("src/main/resources/logback.xml").toFile());

        assertThat(context.getLogger("org.apache.kafka.clients.NetworkClient").isWarnEnabled()).isFalse();
        assertThat(context.getLogger("org.apache.kafka.clients.NetworkClient").isErrorEnabled()).isTrue();
        assertThat(context.getLogger("io.ipnpipeline.ops.dlq.DeadLetters").isInfoEnabled()).isTrue();
        context.stop();
    }
}
