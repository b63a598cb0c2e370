package io.ipnpipeline.localstack.stack;

import io.ipnpipeline.gateway.GatewayService;
import io.ipnpipeline.gateway.config.GatewayConfig;
import io.ipnpipeline.processor.app.ProcessorService;
import io.ipnpipeline.processor.config.ProcessorConfig;
import io.ipnpipeline.registry.RegistryService;
import io.ipnpipeline.registry.config.RegistryConfig;
import io.ipnpipeline.sink.SinkService;
import io.ipnpipeline.sink.config.SinkConfig;
import io.ipnpipeline.support.config.Env;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Consumer;

/**
 * Starts the pipeline's services, each from its own {@code fromEnv} over the same variables a container gets:
 * registry (mappings first, so nothing parks needlessly), processor, sink, and the gateway last, so the first
 * IPN it accepts finds everything behind it running.
 */
public final class PipelineServices {

    private PipelineServices() {
    }

    /**
     * Reports each started service to {@code started} at once, so a later failure still stops it. A sink
     * worker that dies of a bug is reported to {@code onFatal} (its own main exits for a supervisor to restart
     * it; here the whole stack must say so rather than stall).
     */
    public static void start(Env env, BiConsumer<String, AutoCloseable> started, Consumer<Throwable> onFatal) {
        started.accept("channel registry", RegistryService.start(RegistryConfig.fromEnv(env)));
        started.accept("stream processor", ProcessorService.start(ProcessorConfig.fromEnv(env)));
        SinkService sink = SinkService.start(SinkConfig.fromEnv(env));
        started.accept("sink writer", sink);
        Thread watcher = new Thread(() -> sink.awaitTermination().ifPresent(onFatal), "sink-writer-watch");
        watcher.setDaemon(true);
        watcher.start();
        started.accept("gateway", GatewayService.start(GatewayConfig.fromEnv(env)));
    }
}
