package io.ipnpipeline.sink;

import io.ipnpipeline.sink.config.SinkConfig;
import io.ipnpipeline.support.config.Env;
import java.util.Optional;

/** Loads the configuration, starts the sink-writer, and stops it gracefully on SIGTERM. */
public final class SinkMain {

    private SinkMain() {
    }

    public static void main(String[] args) {
        SinkService service = SinkService.start(SinkConfig.fromEnv(Env.system()));
        Runtime.getRuntime().addShutdownHook(new Thread(service::close, "sink-writer-shutdown"));
        Optional<Throwable> failure = service.awaitTermination();
        if (failure.isPresent()) {
            // a worker died of a bug: exit so the supervisor restarts us (records are not committed, nothing lost)
            System.exit(1);
        }
    }
}
