package io.ipnpipeline.processor.app;

import io.ipnpipeline.processor.config.ProcessorConfig;
import io.ipnpipeline.support.config.Env;

/** Runs the stream processor until the JVM is asked to stop, or exits with 1 when Kafka Streams fails for good. */
public final class ProcessorMain {

    private ProcessorMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        ProcessorService service = ProcessorService.start(ProcessorConfig.fromEnv(Env.system()));
        Runtime.getRuntime().addShutdownHook(new Thread(service::close, "stream-processor-shutdown"));
        if (service.awaitFailure()) {
            // Streams in ERROR processes nothing again: exit so the supervisor restarts us (nothing is lost: the
            // restart resumes from the last committed transaction)
            System.exit(1);
        }
    }
}
