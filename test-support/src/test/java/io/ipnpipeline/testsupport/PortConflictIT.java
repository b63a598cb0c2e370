package io.ipnpipeline.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import org.junit.jupiter.api.Test;

/** Several test JVMs run on one machine: a port taken after it was chosen must not fail the first start. */
class PortConflictIT {

    @Test
    void brokerChoosesOtherPortsWhenItsPortWasTakenBeforeTheFirstStart() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.create();
                ServerSocket squatter = squat(port(broker.bootstrapServers()))) {
            broker.start();
            assertThat(port(broker.bootstrapServers())).isNotEqualTo(squatter.getLocalPort());
            TestKafka.createTopic(broker.bootstrapServers(), TestNames.unique("port-conflict"), 1);
        }
    }

    @Test
    void postgresChoosesAnotherPortWhenItsPortWasTakenBeforeTheFirstStart() throws Exception {
        try (TestPostgres postgres = TestPostgres.embedded();
                ServerSocket squatter = squat(URI.create(postgres.jdbcUrl().substring(5)).getPort())) {
            postgres.start();
            assertThat(URI.create(postgres.jdbcUrl().substring(5)).getPort()).isNotEqualTo(squatter.getLocalPort());
            try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(),
                    postgres.password())) {
                assertThat(connection.isValid(5)).isTrue();
            }
        }
    }

    private static int port(String hostAndPort) {
        return Integer.parseInt(hostAndPort.substring(hostAndPort.lastIndexOf(':') + 1));
    }

    private static ServerSocket squat(int port) throws Exception {
        return new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"));
    }
}
