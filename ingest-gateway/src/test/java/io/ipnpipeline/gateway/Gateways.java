package io.ipnpipeline.gateway;

import io.ipnpipeline.contracts.topic.TopicNames;
import io.ipnpipeline.gateway.config.GatewayConfig;
import io.ipnpipeline.support.config.Env;
import io.ipnpipeline.support.kafka.KafkaSettings;
import java.util.HashMap;
import java.util.Map;

/** Starts gateways for ITs the way an operator would: from environment variables. */
final class Gateways {

    private Gateways() {
    }

    static Map<String, String> env(String bootstrapServers, TopicNames topics, Map<String, String> database) {
        Map<String, String> env = new HashMap<>();
        env.put(GatewayConfig.HOST, "127.0.0.1");
        env.put(GatewayConfig.PORT, "0");
        env.put(GatewayConfig.OPS_PORT, "0");
        env.put(KafkaSettings.BOOTSTRAP_SERVERS, bootstrapServers);
        env.put(GatewayConfig.IPN_SECRET, GatewayClient.SECRET);
        env.put(GatewayConfig.IPN_SECRET_PREVIOUS, GatewayClient.PREVIOUS_SECRET);
        env.putAll(topics.asEnv());
        env.putAll(database);
        return env;
    }

    static GatewayService start(Map<String, String> env) {
        return GatewayService.start(GatewayConfig.fromEnv(Env.of(env)));
    }
}
