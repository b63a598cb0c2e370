package io.ipnpipeline.reliability.hostile;

import io.ipnpipeline.contracts.topic.TopicNames;
import io.ipnpipeline.contracts.topic.Topics;
import io.ipnpipeline.gateway.GatewayService;
import io.ipnpipeline.gateway.config.GatewayConfig;
import io.ipnpipeline.support.config.Env;
import io.ipnpipeline.testsupport.TestInfra;
import io.ipnpipeline.testsupport.TestKafka;
import io.ipnpipeline.testsupport.TestSchema;
import io.ipnpipeline.testsupport.TestTopic;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The real gateway alone (real broker, real PostgreSQL, own topics and schema), for attacking its HTTP surface
 * without the rest of the pipeline.
 */
public final class StandaloneGateway implements AutoCloseable {

    public static final String SECRET = "hostile-gateway-secret";

    private final TestSchema schema;
    private final TopicNames topics;
    private final GatewayService gateway;

    private StandaloneGateway(TestSchema schema, TopicNames topics, GatewayService gateway) {
        this.schema = schema;
        this.topics = topics;
        this.gateway = gateway;
    }

    public static StandaloneGateway start(String testName, Map<String, String> overrides) {
        TestSchema schema = TestSchema.create(testName);
        TopicNames topics = TestKafka.createTopics(TestInfra.bootstrapServers(), testName);
        Map<String, String> env = new HashMap<>(schema.env());
        env.putAll(topics.asEnv());
        env.put("KAFKA_BOOTSTRAP_SERVERS", TestInfra.bootstrapServers());
        env.put("KAFKA_REPLICATION_FACTOR", "1");
        env.put(GatewayConfig.IPN_SECRET, SECRET);
        env.put(GatewayConfig.HOST, "127.0.0.1");
        env.put(GatewayConfig.PORT, "0");
        env.put(GatewayConfig.OPS_PORT, "0");
        env.putAll(overrides);
        try {
            return new StandaloneGateway(schema, topics, GatewayService.start(GatewayConfig.fromEnv(Env.of(env))));
        } catch (RuntimeException e) {
            schema.close();
            throw e;
        }
    }

    public String url() {
        return "http://127.0.0.1:" + gateway.port();
    }

    public int port() {
        return gateway.port();
    }

    public GatewayService service() {
        return gateway;
    }

    public TestSchema schema() {
        return schema;
    }

    /** Every record the gateway stored in ipn.raw. */
    public List<ConsumerRecord<String, byte[]>> stored() {
        return TestKafka.readAll(TestInfra.bootstrapServers(), TestTopic.of(topics, Topics.IPN_RAW));
    }

    /** A counter of the gateway's registry, 0 if it was never incremented. */
    public double counter(String name, String... tags) {
        var counter = gateway.meterRegistry().find(name).tags(tags).counter();
        return counter == null ? 0 : counter.count();
    }

    @Override
    public void close() {
        gateway.close();
        schema.close();
    }
}
