package io.ipnpipeline.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.ipnpipeline.contracts.ipn.IpnBodyBuilder;
import io.ipnpipeline.gateway.config.GatewayConfig;
import io.ipnpipeline.gateway.landing.LandingPage;
import io.ipnpipeline.gateway.status.PaymentStatusHandler;
import io.ipnpipeline.testsupport.TestInfra;
import io.ipnpipeline.testsupport.TestNames;
import io.ipnpipeline.testsupport.TestSchema;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The public port (NOWPayments, the landing page, the internet) answers IPNs, status polls and health probes
 * but never {@code /metrics}: request counts, signature failures and stuck payments are served on the operations
 * port ({@code GATEWAY_OPS_PORT}) only, as the processor, sink and registry serve theirs.
 */
class GatewayOpsPortIT {

    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private static TestSchema schema;
    private static GatewayService gateway;
    private static GatewayClient publicPort;
    private static GatewayClient opsPort;

    @BeforeAll
    static void start() {
        schema = TestSchema.create("gateway-ops-port");
        gateway = Gateways.start(Gateways.env(TestInfra.bootstrapServers(), TestNames.topics("gateway-ops-port"),
                schema.env()));
        publicPort = new GatewayClient(gateway.port());
        opsPort = new GatewayClient(gateway.opsPort());
        await().atMost(Duration.ofSeconds(60)).until(() -> publicPort.get("/health/ready").statusCode() == 200);
    }

    @AfterAll
    static void stop() {
        gateway.close();
        schema.close();
    }

    @Test
    void twoDistinctPortsEvenWhenBothAreChosenByTheSystem() {
        assertThat(gateway.port()).isPositive();
        assertThat(gateway.opsPort()).isPositive().isNotEqualTo(gateway.port());
    }

    @Test
    void metricsAreServedOnTheOpsPortInPrometheusText() {
        byte[] body = IpnBodyBuilder.incidentPayment().paymentId(6_300_000_001L).toBytes();
        assertThat(publicPort.ipn(body).statusCode()).isEqualTo(200);

        HttpResponse<String> metrics = opsPort.get("/metrics");

        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("Content-Type")).hasValue(PROMETHEUS_TEXT);
        assertThat(metrics.body())
                .contains("# TYPE gateway_requests_total counter")
                .contains("gateway_requests_total{outcome=\"accepted\",route=\"/ipn\"}")
                .contains("# TYPE gateway_ipn_in_flight gauge")
                .contains("jvm_memory_used_bytes");
    }

    @Test
    void thePublicPortAnswersMetricsLikeAnyUnknownPath() {
        for (String path : new String[] {"/metrics", "/metrics/", "/metrics?format=prometheus"}) {
            HttpResponse<String> response = publicPort.get(path);
            assertThat(response.statusCode()).as(path).isEqualTo(404);
            assertThat(response.headers().firstValue("Content-Type")).as(path).hasValue("application/json");
            assertThat(response.body()).as(path).startsWith("{\"error\":\"not found\"")
                    .doesNotContain("gateway_").doesNotContain("# TYPE");
        }
    }

    @Test
    void healthIsAnsweredOnBothPorts() {
        for (GatewayClient port : new GatewayClient[] {publicPort, opsPort}) {
            assertThat(port.get("/health/live").statusCode()).isEqualTo(200);
            HttpResponse<String> ready = port.get("/health/ready");
            assertThat(ready.statusCode()).isEqualTo(200);
            assertThat(ready.body()).contains("\"status\":\"UP\"").contains("\"kafka\":\"UP\"")
                    .contains("\"postgresql\":\"UP\"");
        }
    }

    /** Only operators reach the ops port; it must not become a second way in for IPNs or customer data. */
    @Test
    void theOpsPortServesNothingButHealthAndMetrics() {
        byte[] body = IpnBodyBuilder.incidentPayment().paymentId(6_300_000_002L).toBytes();
        assertThat(opsPort.post("/ipn", body, GatewayClient.sign(body)).statusCode()).isEqualTo(404);
        assertThat(opsPort.post("/", body, GatewayClient.sign(body)).statusCode()).isEqualTo(404);
        assertThat(opsPort.get(PaymentStatusHandler.ROUTE + "?order_id=PGP-1%7C-100").statusCode()).isEqualTo(404);
        assertThat(opsPort.get(LandingPage.ROUTE).statusCode()).isEqualTo(404);
    }

    @Test
    void anOpsPortInUseStopsTheStartAndNamesTheVariable() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Map<String, String> env = Gateways.env(TestInfra.bootstrapServers(),
                    TestNames.topics("gateway-ops-taken"), schema.env());
            env.put(GatewayConfig.OPS_PORT, Integer.toString(taken.getLocalPort()));

            assertThatThrownBy(() -> Gateways.start(env).close())
                    .hasMessageContaining("GATEWAY_OPS_PORT")
                    .hasMessageContaining(Integer.toString(taken.getLocalPort()));
        }
    }
}
