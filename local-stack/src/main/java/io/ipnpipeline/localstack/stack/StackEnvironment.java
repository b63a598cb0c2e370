package io.ipnpipeline.localstack.stack;

import io.ipnpipeline.localstack.data.DataDir;
import io.ipnpipeline.localstack.data.PortPlan;
import io.ipnpipeline.localstack.data.PortPlan.Port;
import io.ipnpipeline.support.config.Secret;
import io.ipnpipeline.support.db.DatabaseConfig;
import io.ipnpipeline.support.kafka.KafkaSettings;
import java.util.HashMap;
import java.util.Map;

/**
 * The environment the services of the local stack are configured from: the user's own variables (so any
 * tuning a service documents works here too), overlaid with where the stack's broker and database are.
 * Services read it through their own {@code fromEnv}, exactly as they would in a container.
 */
public final class StackEnvironment {

    public static final String IPN_SECRET = "NOWPAYMENTS_IPN_SECRET";
    public static final String GATEWAY_HOST = "GATEWAY_HOST";
    public static final String GATEWAY_PORT = "GATEWAY_PORT";
    public static final String GATEWAY_OPS_PORT = "GATEWAY_OPS_PORT";
    public static final String PROCESSOR_STATE_DIR = "PROCESSOR_STATE_DIR";
    public static final String PROCESSOR_OPS_PORT = "PROCESSOR_OPS_PORT";
    public static final String SINK_OPS_PORT = "SINK_OPS_PORT";
    public static final String REGISTRY_OPS_PORT = "REGISTRY_OPS_PORT";
    public static final String REGISTRY_INSTANCE_NAME = "REGISTRY_INSTANCE_NAME";

    private StackEnvironment() {
    }

    public static Map<String, String> forServices(Map<String, String> userEnvironment, DataDir dataDir,
            PortPlan ports, String bootstrapServers, DatabaseConfig database, Secret ipnSecret) {
        Map<String, String> env = new HashMap<>(userEnvironment);
        env.put(KafkaSettings.BOOTSTRAP_SERVERS, bootstrapServers);
        env.put(KafkaSettings.REPLICATION_FACTOR, "1");
        env.put(DatabaseConfig.JDBC_URL, database.jdbcUrl());
        env.put(DatabaseConfig.USER, database.user());
        env.put(DatabaseConfig.PASSWORD, database.password().reveal());
        env.put(IPN_SECRET, ipnSecret.reveal());
        // a developer's machine: reachable from itself (and a tunnel), not from the network, unless asked
        env.putIfAbsent(GATEWAY_HOST, "127.0.0.1");
        env.put(GATEWAY_PORT, String.valueOf(ports.port(Port.GATEWAY)));
        env.put(GATEWAY_OPS_PORT, String.valueOf(ports.port(Port.GATEWAY_OPS)));
        env.put(PROCESSOR_STATE_DIR, dataDir.streamsState().toString());
        env.put(PROCESSOR_OPS_PORT, String.valueOf(ports.port(Port.PROCESSOR_OPS)));
        env.put(SINK_OPS_PORT, String.valueOf(ports.port(Port.SINK_OPS)));
        env.put(REGISTRY_OPS_PORT, String.valueOf(ports.port(Port.REGISTRY_OPS)));
        env.putIfAbsent(REGISTRY_INSTANCE_NAME, "local-stack");
        return env;
    }
}
