package io.ipnpipeline.gateway;

import io.ipnpipeline.gateway.config.GatewayConfig;
import io.ipnpipeline.support.config.ConfigException;
import io.ipnpipeline.support.config.Env;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Loads the configuration from the environment, starts the gateway, and stops it gracefully on SIGTERM. */
public final class GatewayMain {

    private static final Logger LOG = LoggerFactory.getLogger(GatewayMain.class);

    private GatewayMain() {
    }

    public static void main(String[] args) {
        GatewayConfig config;
        try {
            config = GatewayConfig.fromEnv(Env.system());
        } catch (ConfigException e) {
            // the message names the variable; a stack trace would add nothing for an operator
            LOG.error("ingest-gateway cannot start: {}", e.getMessage());
            System.exit(2);
            return;
        }
        GatewayService service = GatewayService.start(config);
        Runtime.getRuntime().addShutdownHook(new Thread(service::close, "gateway-shutdown"));
    }
}
