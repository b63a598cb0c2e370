package io.ipnpipeline.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipnpipeline.ops.cli.OpsCli;
import io.ipnpipeline.support.config.Env;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * Found by a newcomer: 'dlq --help' answered "Unknown option" and 'replay --help' "Missing required option"; only
 * 'help dlq' worked. Every command, down to 'dlq list', answers --help and -h with its usage and exit 0. Nothing
 * here reaches Kafka or PostgreSQL: help is answered before a command runs.
 */
class CliHelpTest {

    /** Every command path below the root, e.g. [dlq], [dlq, list], walked from the real command tree. */
    static Stream<List<String>> commands() {
        List<List<String>> paths = new ArrayList<>();
        collect(OpsCli.commandLine(Env.of(Map.of())), new ArrayList<>(), paths);
        return paths.stream();
    }

    private static void collect(CommandLine command, List<String> path, List<List<String>> paths) {
        command.getSubcommands().forEach((name, sub) -> {
            if (sub.getCommandSpec().parent() != command.getCommandSpec()
                    || sub.getCommand() instanceof CommandLine.HelpCommand) {
                return; // an alias, or 'help' itself (which has its own -h)
            }
            List<String> subPath = new ArrayList<>(path);
            subPath.add(name);
            paths.add(subPath);
            collect(sub, subPath, paths);
        });
    }

    @Test
    void theTreeHasTheCommandsTheReadmeNames() {
        assertThat(commands().map(path -> String.join(" ", path))).contains("replay", "dlq", "dlq list",
                "dlq show", "dlq redrive", "payment", "payment show", "payment retry", "stuck", "reconcile");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("commands")
    void everyCommandAnswersHelpWithItsUsageAndExitZero(List<String> path) {
        for (String option : new String[] {"--help", "-h"}) {
            List<String> args = new ArrayList<>(path);
            args.add(option);
            Cli.Result result = Cli.run(Map.of(), args.toArray(String[]::new));
            assertThat(result.exitCode()).as(option + " " + result).isZero();
            assertThat(result.out()).as(result.toString())
                    .startsWith("Usage: " + OpsCli.INVOCATION + " " + String.join(" ", path));
            assertThat(result.err()).as(result.toString()).isEmpty();
        }
    }

    @Test
    void theHelpCommandStillWorks() {
        Cli.Result result = Cli.run(Map.of(), "help", "replay");
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).startsWith("Usage: " + OpsCli.INVOCATION + " replay");
    }

    @Test
    void aRequiredOptionIsStillRequiredWithoutHelp() {
        Cli.Result result = Cli.run(Map.of(), "replay");
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
        assertThat(result.err()).contains("Missing required option: '--from");
    }
}
