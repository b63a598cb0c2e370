package io.ipnpipeline.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.ipnpipeline.ops.cli.OpsCli;
import io.ipnpipeline.support.config.Env;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The commands the alerts tell an operator to run are the CLI's, under the name ops-cli/README.md documents: each
 * one, in backticks, parses as a real subcommand with real options (placeholders filled in).
 */
class AlertTextsTest {

    private static final Path ALERTS = Path.of("..", "deploy", "prometheus", "alerts.yml");
    private static final Pattern COMMAND = Pattern.compile("`" + Pattern.quote(OpsCli.INVOCATION) + " ([^`]+)`");

    @Test
    void everyCommandInTheAlertTextsIsOneTheCliRuns() throws IOException {
        List<String> texts = annotationLines();
        List<String> commands = new ArrayList<>();
        long mentions = 0;
        for (String text : texts) {
            assertThat(text).as("the CLI is run as " + OpsCli.INVOCATION).doesNotContain("ipn-ops");
            mentions += text.split(Pattern.quote("ipn-pipeline-ops.jar"), -1).length - 1;
            Matcher matcher = COMMAND.matcher(text);
            while (matcher.find()) {
                commands.add(matcher.group(1));
            }
        }
        assertThat(commands).as("commands in backticks").hasSize((int) mentions).hasSizeGreaterThanOrEqualTo(8)
                .contains("dlq --sink redrive <n|all>");
        for (String command : commands) {
            String[] args = command.replace("<payment_id>", "5077125051").replace("<n|all>", "all")
                    .replace("<time>", "2024-05-01T00:00:00Z").split(" ");
            assertThatCode(() -> OpsCli.commandLine(Env.of(Map.of())).parseArgs(args)).as(command)
                    .doesNotThrowAnyException();
        }
    }

    @Test
    void theReadmeDocumentsTheSameInvocation() throws IOException {
        assertThat(Files.readString(Path.of("README.md"))).contains("`java -jar ops-cli/target/ipn-pipeline-ops.jar");
    }

    private static List<String> annotationLines() throws IOException {
        return Files.readAllLines(ALERTS).stream().map(String::strip)
                .filter(line -> line.startsWith("summary:") || line.startsWith("description:")).toList();
    }
}
