package io.ipnpipeline.localstack.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ipnpipeline.localstack.data.PortPlan.Port;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PortPlanTest {

    @TempDir
    Path dir;

    @Test
    void anExplicitPortIsUsedAndRememberedForTheNextStart() {
        PortPlan first = PortPlan.resolve(dir, Map.of(Port.GATEWAY, 18_555));
        PortPlan second = PortPlan.resolve(dir, Map.of());

        assertThat(first.port(Port.GATEWAY)).isEqualTo(18_555);
        assertThat(second.port(Port.GATEWAY)).isEqualTo(18_555);
    }

    @Test
    void aTakenDefaultIsReplacedByAFreePortOnFirstStart() throws Exception {
        try (ServerSocket taken = new ServerSocket(Port.REGISTRY_OPS.defaultPort())) {
            PortPlan plan = PortPlan.resolve(dir, Map.of());

            assertThat(plan.port(Port.REGISTRY_OPS)).isNotEqualTo(taken.getLocalPort());
        }
    }

    @Test
    void everyPortIsDistinct() {
        PortPlan plan = PortPlan.resolve(dir, Map.of());

        assertThat(List.of(Port.values()).stream().map(plan::port).distinct()).hasSize(Port.values().length);
    }

    @Test
    void theGatewaysOpsPortHasItsOwnDefaultAndFlag() throws Exception {
        PortPlan plan = PortPlan.resolve(dir, Map.of());
        assertThat(Port.GATEWAY_OPS.defaultPort()).isEqualTo(18_093);
        assertThat(plan.port(Port.GATEWAY_OPS)).isNotEqualTo(plan.port(Port.GATEWAY));
        try (ServerSocket taken = new ServerSocket(0)) {
            PortPlan busy = PortPlan.resolve(dir, Map.of(Port.GATEWAY_OPS, taken.getLocalPort()));

            assertThatThrownBy(() -> busy.requireFree(List.of(Port.GATEWAY_OPS)))
                    .hasMessageContaining("--gateway-ops-port");
        }
    }

    @Test
    void aRememberedPortThatIsBusyNamesTheFlagToUse() throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            PortPlan plan = PortPlan.resolve(dir, Map.of(Port.POSTGRES, taken.getLocalPort()));

            assertThatThrownBy(() -> plan.requireFree(List.of(Port.POSTGRES)))
                    .hasMessageContaining("--postgres-port");
        }
    }
}
