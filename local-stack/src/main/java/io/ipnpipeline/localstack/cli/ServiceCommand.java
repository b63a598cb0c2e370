package io.ipnpipeline.localstack.cli;

import io.ipnpipeline.gateway.GatewayMain;
import io.ipnpipeline.localstack.init.InitConfig;
import io.ipnpipeline.localstack.init.Initializer;
import io.ipnpipeline.processor.app.ProcessorMain;
import io.ipnpipeline.registry.RegistryMain;
import io.ipnpipeline.sink.SinkMain;
import io.ipnpipeline.support.config.Env;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code service ROLE}: runs one service alone, configured only by environment variables, as the Docker
 * image does ({@code ROLE} build argument). Each role is that service's own {@code main}.
 */
@Command(name = "service", mixinStandardHelpOptions = true,
        description = {"Runs one service alone, configured by environment variables (as in docker-compose.yml).",
            "ROLE: init (migrations and topics, then exit), registry, processor, sink, gateway."})
final class ServiceCommand implements Callable<Integer> {

    /** The roles of the Docker image. */
    enum Role {
        init, registry, processor, sink, gateway
    }

    @Parameters(index = "0", paramLabel = "ROLE", description = "${COMPLETION-CANDIDATES}")
    Role role;

    @Override
    public Integer call() throws InterruptedException {
        String[] noArgs = new String[0];
        switch (role) {
            case init -> Initializer.run(InitConfig.fromEnv(Env.system()));
            case registry -> RegistryMain.main(noArgs);
            case processor -> ProcessorMain.main(noArgs);
            case sink -> SinkMain.main(noArgs);
            case gateway -> GatewayMain.main(noArgs);
        }
        if (role != Role.init) {
            // the service runs on its own threads; SIGTERM runs its shutdown hook and ends the JVM
            new CountDownLatch(1).await();
        }
        return 0;
    }
}
