package io.ipnpipeline.ops.replay;

import io.ipnpipeline.ops.cli.Instants;
import io.ipnpipeline.ops.cli.OpsCommand;
import io.ipnpipeline.ops.config.OpsConfig;
import io.ipnpipeline.ops.kafka.OpsKafka;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;
import io.ipnpipeline.ops.cli.OpsException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "replay", description = {
        "Reset the stream processor's offsets on ipn.raw so it re-reads from a time or from the beginning.",
        "The processor must be stopped (refused otherwise). Safe: re-read IPNs are deduplicated and the ledger"
                + " only moves forward, so nothing is applied or paid twice."})
public final class ReplayCommand implements Callable<Integer> {

    @Mixin
    OpsCommand ops;

    @Option(names = "--from", required = true, paramLabel = "<ISO-8601|earliest>",
            description = "first record to re-read: 'earliest', or the first record at or after this time")
    String from;

    @Option(names = "--wipe-state", description = "also delete the processor's local state (restored from its"
            + " changelogs on the next start); run on the processor's host")
    boolean wipeState;

    @Option(names = "--state-dir", paramLabel = "DIR",
            description = "the processor's state dir (default: PROCESSOR_STATE_DIR or its default)")
    Path stateDir;

    @Option(names = "--dry-run", description = "print the offsets it would set, change nothing")
    boolean dryRun;

    @Override
    public Integer call() {
        OpsConfig config = ops.config();
        PrintWriter out = ops.out();
        OffsetReset.From start;
        try {
            start = OffsetReset.From.parse(from, Instants::parse);
        } catch (CommandLine.TypeConversionException e) {
            throw new OpsException(2, "--from: " + e.getMessage());
        }
        String group = config.processorApplicationId();
        try (Admin admin = OpsKafka.admin(config.bootstrapServers())) {
            OffsetReset reset = new OffsetReset(admin);
            reset.requireStopped(group);
            OffsetReset.Plan plan = reset.plan(group, config.ipnRawTopic(), start);
            out.printf("consumer group %s, topic %s, from %s%n", group, plan.topic(), start);
            for (Map.Entry<TopicPartition, Long> target : plan.target().entrySet()) {
                Long current = plan.current().get(target.getKey());
                out.printf("  partition %d: %s -> %d%s%n", target.getKey().partition(),
                        current == null ? "(none)" : current.toString(), target.getValue(),
                        plan.held().contains(target.getKey())
                                ? " (kept: the processor has not read that far yet; a replay never skips ahead)" : "");
            }
            if (dryRun) {
                out.println("dry run: nothing changed");
                return 0;
            }
            reset.apply(plan);
            out.println("offsets reset; start the processor to replay");
        }
        if (wipeState) {
            Path dir = stateDir == null ? config.processorStateDir() : stateDir;
            int deleted = StateWipe.wipe(dir, group);
            out.printf("local state %s: %s%n", dir.resolve(group),
                    deleted == 0 ? "none found" : "deleted (" + deleted + " entries)");
        }
        return 0;
    }
}
