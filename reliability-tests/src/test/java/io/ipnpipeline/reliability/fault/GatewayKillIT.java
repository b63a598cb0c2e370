package io.ipnpipeline.reliability.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ipnpipeline.gateway.GatewayMain;
import io.ipnpipeline.localstack.e2e.InJvmPipeline;
import io.ipnpipeline.reliability.traffic.PaymentPlans;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Two gateway instances behind one URL list; one is SIGKILLed while it holds requests in flight. Its callers see
 * a dropped connection (NOWPayments retries, here on the other instance); every 200 either instance gave is in
 * the pipeline, and nothing is applied or commanded twice.
 */
class GatewayKillIT {

    @Test
    void aGatewayKilledWithRequestsInFlightLosesNoAcknowledgedIpn() throws Exception {
        try (InJvmPipeline pipeline = InJvmPipeline.start("gateway-kill")) {
            PaymentPlans.registerChannels(pipeline.schema().dataSource());
            int port = freePort();
            Map<String, String> env = new HashMap<>(pipeline.env());
            env.put("GATEWAY_PORT", Integer.toString(port));
            String second = "http://127.0.0.1:" + port;
            List<String> gateways = new CopyOnWriteArrayList<>(List.of(pipeline.gatewayUrl()));
            try (ChildJvm child = ChildJvm.start(GatewayMain.class, env, "gateway");
                    FaultRun run = new FaultRun(pipeline, () -> gateways, 12)) {
                await().atMost(Duration.ofSeconds(60)).until(() -> live(second));
                gateways.add(second);
                run.send(new PaymentPlans(66, 5_600_000_000L, 50).mixed(260), 30);

                run.awaitAcknowledged(250);
                child.kill();
                gateways.remove(second);

                run.assertNothingLostNothingTwice();
                assertThat(run.ledger.acknowledged()).as("the killed instance had acknowledged IPNs")
                        .anyMatch(ack -> ack.gateway().equals(second));
            }
        }
    }

    private static boolean live(String url) {
        try {
            HttpResponse<Void> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(url + "/health/live")).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
