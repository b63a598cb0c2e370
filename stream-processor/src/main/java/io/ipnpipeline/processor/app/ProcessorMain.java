package io.ipnpipeline.processor.app;

import io.ipnpipeline.processor.config.ProcessorConfig;
import io.ipnpipeline.support.config.Env;

/** Runs the stream processor until the JVM is asked to stop. */
public final class ProcessorMain {

    private ProcessorMain() {
    }

    public static void main(String[] args) {
        ProcessorService service = ProcessorService.start(ProcessorConfig.fromEnv(Env.system()));
        Runtime.getRuntime().addShutdownHook(new Thread(service::close, "stream-processor-shutdown"));
    }
}
