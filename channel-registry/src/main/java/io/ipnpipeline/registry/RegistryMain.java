package io.ipnpipeline.registry;

import io.ipnpipeline.registry.config.RegistryConfig;
import io.ipnpipeline.support.config.Env;

/** Runs the channel registry publisher until the process is told to stop. */
public final class RegistryMain {

    private RegistryMain() {
    }

    public static void main(String[] args) {
        RegistryService service = RegistryService.start(RegistryConfig.fromEnv(Env.system()));
        Runtime.getRuntime().addShutdownHook(new Thread(service::close, "channel-registry-shutdown"));
    }
}
