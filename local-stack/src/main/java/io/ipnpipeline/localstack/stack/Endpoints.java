package io.ipnpipeline.localstack.stack;

import io.ipnpipeline.support.config.Secret;
import io.ipnpipeline.support.db.DatabaseConfig;
import io.ipnpipeline.support.kafka.KafkaSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a running local stack can be reached, written as {@code endpoints.env} (KEY=VALUE, sourceable by a
 * shell) for psql, kcat and scripts. The file holds the database password, so it is readable by its owner only.
 *
 * @param gatewayUrl    the gateway's public port: IPNs, status API, landing page, health
 * @param gatewayOpsUrl the gateway's operations port: health and {@code /metrics}
 */
public record Endpoints(String gatewayUrl, String gatewayOpsUrl, String kafkaBootstrapServers, String jdbcUrl,
        String dbUser, Secret dbPassword) {

    public static final String GATEWAY_URL = "GATEWAY_URL";
    public static final String GATEWAY_OPS_URL = "GATEWAY_OPS_URL";

    /** The file's keys, in order; the last four are the variables the services themselves read. */
    public Map<String, String> asEnv() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put(GATEWAY_URL, gatewayUrl);
        env.put(GATEWAY_OPS_URL, gatewayOpsUrl);
        env.put(KafkaSettings.BOOTSTRAP_SERVERS, kafkaBootstrapServers);
        env.put(DatabaseConfig.JDBC_URL, jdbcUrl);
        env.put(DatabaseConfig.USER, dbUser);
        env.put(DatabaseConfig.PASSWORD, dbPassword.reveal());
        return env;
    }

    public void writeTo(Path file) {
        // a plain `. file` sets shell variables only, and the tools (ops CLI, send-ipn) read their environment
        StringBuilder text = new StringBuilder("# endpoints of the running local stack; to export them: ")
                .append(exportCommand(file)).append('\n');
        asEnv().forEach((key, value) -> text.append(key).append('=').append(value).append('\n'));
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.deleteIfExists(temporary);
            Files.createFile(temporary,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(temporary, text, StandardCharsets.UTF_8);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** The shell command that exports the file's variables to the programs the shell starts. */
    public static String exportCommand(Path file) {
        String path = file.toAbsolutePath().toString();
        String quoted = path.matches("[A-Za-z0-9/._+-]+") ? path : "'" + path.replace("'", "'\\''") + "'";
        return "set -a; . " + quoted + "; set +a";
    }

    /** The lines printed at start; the password is shown, as the user needs it to log in. */
    public String describe() {
        return String.join("\n",
                "  gateway          " + gatewayUrl + "  (POST /ipn, GET /api/payment-status?order_id=...)",
                "  gateway ops      " + gatewayOpsUrl + "  (GET /metrics, /health/ready)",
                "  kafka bootstrap  " + kafkaBootstrapServers,
                "  jdbc url         " + jdbcUrl,
                "  db user          " + dbUser,
                "  db password      " + dbPassword.reveal());
    }
}
