package io.ipnpipeline.localstack.stack;

import io.ipnpipeline.support.config.Env;
import java.util.function.BiConsumer;

/** Starts the pipeline's services in dependency order: registry, processor, sink, gateway. */
final class PipelineServices {

    private PipelineServices() {
    }

    static void start(Env env, BiConsumer<String, AutoCloseable> started) {
        // filled in as the services land on main
    }
}
