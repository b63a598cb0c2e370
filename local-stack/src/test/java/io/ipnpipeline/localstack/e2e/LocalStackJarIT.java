package io.ipnpipeline.localstack.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipnpipeline.localstack.ipn.StatusClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built jar, as a user runs it: a separate JVM with {@code --fresh --demo} on a temporary data dir and free
 * ports. It must print its endpoints, get ready, reach {@code confirmed} with one invite and one payout
 * command, stop in order on SIGTERM, and after a restart still know the payment.
 */
class LocalStackJarIT {

    private static final Duration DEMO_TIMEOUT = Duration.ofSeconds(180);

    @TempDir
    Path workDir;

    @Test
    void demoReachesConfirmedAndARestartKeepsThePayment() throws Exception {
        Path dataDir = workDir.resolve("data");
        List<String> ports = freePortFlags();

        Run first = Run.start(command(dataDir, ports, "--fresh", "--demo"), workDir);
        try {
            first.awaitLine(line -> line.startsWith("Demo OK") || line.startsWith("Demo FAILED")
                    || line.startsWith("NOT READY"), DEMO_TIMEOUT);
            String output = first.output();
            assertThat(output).contains("Generated an IPN secret", "NOWPAYMENTS_IPN_SECRET=", "Ready in ",
                    "\"status\":\"confirmed\"", "Demo OK");
            assertThat(count(output, "commands.invite (read_committed) key=4479119533")).isEqualTo(1);
            assertThat(count(output, "commands.payout (read_committed) key=4479119533")).isEqualTo(1);
            assertThat(readyMillis(output)).as("time to /health/ready").isLessThan(60_000);
        } finally {
            first.stop();
        }
        String stopped = first.output();
        assertThat(stopped).contains("Stopped.");
        assertThat(stopped.indexOf("stopping gateway")).isPositive()
                .isLessThan(stopped.indexOf("stopping stream processor"));
        assertThat(stopped.indexOf("stopping postgresql")).isLessThan(stopped.indexOf("stopping kafka broker"));

        Properties endpoints = new Properties();
        try (var in = Files.newInputStream(dataDir.resolve("endpoints.env"))) {
            endpoints.load(in);
        }
        assertThat(endpoints.stringPropertyNames()).containsExactlyInAnyOrder("GATEWAY_URL", "GATEWAY_OPS_URL",
                "KAFKA_BOOTSTRAP_SERVERS", "PIPELINE_JDBC_URL", "PIPELINE_DB_USER", "PIPELINE_DB_PASSWORD");
        assertThat(endpoints.getProperty("PIPELINE_JDBC_URL")).matches("jdbc:postgresql://127\\.0\\.0\\.1:\\d+/ipn_pipeline");
        assertThat(Files.getPosixFilePermissions(dataDir.resolve("ipn-secret")))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

        Run second = Run.start(command(dataDir, List.of()), workDir);
        try {
            second.awaitLine(line -> line.startsWith("Ready in ") || line.startsWith("NOT READY"), DEMO_TIMEOUT);
            assertThat(second.output()).doesNotContain("Generated an IPN secret").contains("Ready in ");
            StatusClient.Answer answer = new StatusClient(endpoints.getProperty("GATEWAY_URL"))
                    .status("PGP-6271402111|-1003253338212");
            assertThat(answer.status()).as(answer.body()).isEqualTo("confirmed");
            // the gateway's metrics are on its ops port only, as endpoints.env says
            assertThat(get(endpoints.getProperty("GATEWAY_OPS_URL") + "/metrics"))
                    .startsWith("200 ").contains("gateway_requests_total");
            assertThat(get(endpoints.getProperty("GATEWAY_URL") + "/metrics")).startsWith("404 ");
        } finally {
            second.stop();
        }
    }

    private static List<String> command(Path dataDir, List<String> portFlags, String... flags) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx768m",
                "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"),
                "-jar", jar().toString(), "--data-dir", dataDir.toString()));
        command.addAll(portFlags);
        command.addAll(List.of(flags));
        return command;
    }

    private static Path jar() {
        Path jar = Path.of(System.getProperty("localstack.jar", "target/ipn-pipeline-local.jar"));
        assertThat(jar).as("the shaded jar (failsafe runs after package)").isRegularFile();
        return jar;
    }

    /** Free ports for every listener, so the test never collides with a stack running on its defaults. */
    private static List<String> freePortFlags() throws IOException {
        List<String> flags = new ArrayList<>();
        List<ServerSocket> held = new ArrayList<>();
        try {
            for (String flag : List.of("--gateway-port", "--gateway-ops-port", "--kafka-port",
                    "--kafka-controller-port", "--postgres-port", "--processor-ops-port", "--sink-ops-port",
                    "--registry-ops-port")) {
                ServerSocket socket = new ServerSocket(0);
                held.add(socket);
                flags.add(flag);
                flags.add(String.valueOf(socket.getLocalPort()));
            }
        } finally {
            for (ServerSocket socket : held) {
                socket.close();
            }
        }
        return flags;
    }

    /** Status code, a space, then the body. */
    private static String get(String url) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        return response.statusCode() + " " + response.body();
    }

    private static int count(String text, String part) {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
            count++;
        }
        return count;
    }

    private static long readyMillis(String output) {
        int at = output.indexOf("Ready in ");
        String rest = output.substring(at + "Ready in ".length());
        return Long.parseLong(rest.substring(0, rest.indexOf(' ')));
    }

    /** A running jar whose output (stdout and stderr) is collected line by line. */
    private static final class Run {
        private final Process process;
        private final List<String> lines = Collections.synchronizedList(new ArrayList<>());
        private final Thread reader;

        private Run(Process process) {
            this.process = process;
            this.reader = new Thread(this::read, "local-stack-output");
            reader.setDaemon(true);
            reader.start();
        }

        static Run start(List<String> command, Path workDir) throws IOException {
            ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
            Map<String, String> env = builder.environment();
            // the stack's own choices are under test, not whatever the build machine has set
            List.of("NOWPAYMENTS_IPN_SECRET", "PIPELINE_JDBC_URL", "PIPELINE_DB_USER", "PIPELINE_DB_PASSWORD",
                    "GATEWAY_PORT", "KAFKA_BOOTSTRAP_SERVERS").forEach(env::remove);
            return new Run(builder.start());
        }

        private void read() {
            try (BufferedReader in = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    lines.add(line);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        void awaitLine(Predicate<String> wanted, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                synchronized (lines) {
                    if (lines.stream().anyMatch(wanted)) {
                        return;
                    }
                }
                if (!process.isAlive()) {
                    throw new AssertionError("the local stack exited with " + process.exitValue() + ":\n" + output());
                }
                Thread.sleep(200);
            }
            throw new AssertionError("no expected line within " + timeout + ":\n" + output());
        }

        String output() {
            synchronized (lines) {
                return String.join("\n", lines);
            }
        }

        /** SIGTERM, as Ctrl-C or docker stop would send, then wait for the ordered shutdown to finish. */
        void stop() throws InterruptedException {
            // through the handle: Process.destroy() would also close our end of its output, losing the shutdown lines
            process.toHandle().destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("the local stack did not stop within 60 s of SIGTERM:\n" + output());
            }
            reader.join(5_000);
        }
    }
}
