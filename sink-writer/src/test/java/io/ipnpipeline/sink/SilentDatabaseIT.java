package io.ipnpipeline.sink;

import static io.ipnpipeline.sink.fixtures.PaymentBuilder.payment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import io.ipnpipeline.contracts.payment.EnrichedPayment;
import io.ipnpipeline.contracts.status.PaymentStatus;
import io.ipnpipeline.sink.fixtures.Tables;
import io.ipnpipeline.support.config.Secret;
import io.ipnpipeline.support.db.DatabaseConfig;
import io.ipnpipeline.support.db.Pools;
import io.ipnpipeline.testsupport.FreezingProxy;
import io.ipnpipeline.testsupport.TestInfra;
import io.ipnpipeline.testsupport.TestSchema;
import java.net.URI;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL goes silent without closing anything (its host died, a failover moved its address, a firewall dropped
 * the flow): the sink's open connections, pooled and the publisher lease's session, must give up and reconnect
 * rather than wait for the operating system's two-hour keepalive, and nothing may be lost or issued twice.
 */
class SilentDatabaseIT {

    @Test
    void everyPooledConnectionWaitsAMinuteAtMostUnlessTheUrlSaysOtherwise() throws Exception {
        try (TestSchema schema = TestSchema.create("sink-socket-timeout")) {
            assertThat(networkTimeoutMs(schema.jdbcUrl(), schema)).isEqualTo(Pools.SOCKET_TIMEOUT.toMillis());
            assertThat(networkTimeoutMs(schema.jdbcUrl() + "&socketTimeout=7", schema)).isEqualTo(7_000);
        }
    }

    @Test
    void aDatabaseThatGoesSilentMidRunLosesNothingAndDuplicatesNothing() {
        URI server = URI.create(TestInfra.postgres().jdbcUrl().substring("jdbc:".length()));
        try (FreezingProxy proxy = FreezingProxy.to(server.getHost(), server.getPort());
                SinkFixture fixture = new SinkFixture("sink-silent-db", TestInfra.postgres(),
                        url -> throughProxy(url, server, proxy) + "&socketTimeout=3");
                SinkService sink = fixture.start()) {
            fixture.produce(finished(1, 200));
            await().atMost(Duration.ofSeconds(60)).until(() -> fixture.invites().size() >= 20);

            proxy.freezeOpenConnections();
            fixture.produce(finished(201, 400));

            fixture.assertExactlyOneInviteAndPayoutFor(LongStream.rangeClosed(1, 400).boxed().toList());
            assertThat(Tables.count(fixture.schema.dataSource(),
                    "SELECT count(*) FROM payments WHERE status = 'finished'")).isEqualTo(400);
            assertThat(fixture.deadLetters()).isEmpty();
            await().atMost(Duration.ofSeconds(30)).until(sink::isReady);
        }
    }

    private static long networkTimeoutMs(String jdbcUrl, TestSchema schema) throws Exception {
        DatabaseConfig config = new DatabaseConfig(jdbcUrl, schema.user(), new Secret(schema.password()));
        try (HikariDataSource pool = Pools.create(config, "timeout-probe", 1);
                Connection connection = pool.getConnection()) {
            return connection.getNetworkTimeout();
        }
    }

    private static String throughProxy(String url, URI server, FreezingProxy proxy) {
        return url.replace("//" + server.getHost() + ":" + server.getPort() + "/",
                "//127.0.0.1:" + proxy.port() + "/");
    }

    private static List<EnrichedPayment> finished(long from, long to) {
        List<EnrichedPayment> records = new ArrayList<>();
        for (long id = from; id <= to; id++) {
            records.add(payment(id).status(PaymentStatus.WAITING).user(900 + id).build());
            records.add(payment(id).user(900 + id).build());
        }
        return records;
    }
}
