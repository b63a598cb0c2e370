package io.ipnpipeline.bench.sink;

import io.ipnpipeline.bench.BenchContext;
import io.ipnpipeline.bench.Heaps;
import io.ipnpipeline.bench.infra.ChildJvm;
import io.ipnpipeline.bench.kafka.RecordCounter;
import io.ipnpipeline.contracts.topic.TopicNames;
import io.ipnpipeline.contracts.topic.Topics;
import io.ipnpipeline.embedded.Ports;
import io.ipnpipeline.sink.SinkMain;
import io.ipnpipeline.sink.config.SinkConfig;
import io.ipnpipeline.support.db.DatabaseConfig;
import io.ipnpipeline.support.kafka.KafkaSettings;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One sink-writer deployment of a benchmark: its own database (migrated by the sink itself at start), consumer
 * group, transactional id and command topics. Started again with the same values, it is the same deployment
 * restarted (the replay uses that).
 */
public record SinkRun(String name, String inputTopic, String jdbcUrl, Map<String, String> env) {

    public static SinkRun create(BenchContext ctx, String name, String inputTopic) {
        String jdbcUrl = ctx.infra().freshDatabase(name.replace('-', '_'));
        Map<String, String> env = new HashMap<>();
        env.put(KafkaSettings.BOOTSTRAP_SERVERS, ctx.kafka().bootstrap());
        env.put(DatabaseConfig.JDBC_URL, jdbcUrl);
        env.put(DatabaseConfig.USER, "postgres");
        env.put(DatabaseConfig.PASSWORD, "");
        env.put(Topics.PAYMENTS_ENRICHED.envVariable(), inputTopic);
        env.put(Topics.COMMANDS_INVITE.envVariable(), name + ".commands.invite");
        env.put(Topics.COMMANDS_PAYOUT.envVariable(), name + ".commands.payout");
        env.put(Topics.SINK_DLQ.envVariable(), name + ".dlq");
        env.put(Topics.OUTBOX_POSITION.envVariable(), name + ".outbox.position");
        env.put(SinkConfig.CONSUMER_GROUP, name);
        env.put(SinkConfig.TRANSACTIONAL_ID, name);
        ctx.kafka().createTopics(TopicNames.fromEnv(env::get), List.of(Topics.PAYMENTS_ENRICHED,
                Topics.COMMANDS_INVITE, Topics.COMMANDS_PAYOUT, Topics.SINK_DLQ, Topics.OUTBOX_POSITION));
        return new SinkRun(name, inputTopic, jdbcUrl, Map.copyOf(env));
    }

    public String group() {
        return env.get(SinkConfig.CONSUMER_GROUP);
    }

    public String inviteTopic() {
        return env.get(Topics.COMMANDS_INVITE.envVariable());
    }

    public String payoutTopic() {
        return env.get(Topics.COMMANDS_PAYOUT.envVariable());
    }

    public ChildJvm start(BenchContext ctx) {
        Map<String, String> withPort = new HashMap<>(env);
        withPort.put(SinkConfig.OPS_PORT, Integer.toString(Ports.ephemeral()));
        return ChildJvm.start(name, SinkMain.class.getName(), Heaps.SINK, withPort, ctx.logDir());
    }

    /** Counts the commands this deployment has published so far (and from now on). */
    public Commands countCommands(BenchContext ctx) {
        return new Commands(new RecordCounter(ctx.kafka(), inviteTopic()), new RecordCounter(ctx.kafka(), payoutTopic()));
    }

    /** Live counts of the two command topics. */
    public record Commands(RecordCounter invites, RecordCounter payouts) implements AutoCloseable {
        public boolean atLeast(long expected) {
            return invites.count() >= expected && payouts.count() >= expected;
        }

        @Override
        public void close() {
            invites.close();
            payouts.close();
        }
    }
}
