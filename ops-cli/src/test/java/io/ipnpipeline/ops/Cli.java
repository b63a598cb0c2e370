package io.ipnpipeline.ops;

import io.ipnpipeline.contracts.topic.TopicNames;
import io.ipnpipeline.ops.cli.OpsCli;
import io.ipnpipeline.support.config.Env;
import io.ipnpipeline.support.kafka.KafkaSettings;
import io.ipnpipeline.testsupport.TestInfra;
import io.ipnpipeline.testsupport.TestSchema;
import java.io.BufferedWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine;

/** Runs the CLI in-process as an operator would from a shell, with the environment given. */
final class Cli {

    private Cli() {
    }

    record Result(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- out\n" + out + "--- err\n" + err;
        }
    }

    static Map<String, String> env(TopicNames topics, TestSchema schema) {
        Map<String, String> env = new HashMap<>();
        env.put(KafkaSettings.BOOTSTRAP_SERVERS, TestInfra.bootstrapServers());
        env.putAll(topics.asEnv());
        if (schema != null) {
            env.putAll(schema.env());
        }
        return env;
    }

    /**
     * Writers as picocli makes them in production (buffered, flushed only by println/printf) and nothing flushed
     * afterwards: a command that prints without flushing loses its output here as it would without
     * {@link OpsCli#execute}'s final flush, so the test fails instead of the operator's terminal staying empty.
     */
    static Result run(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = OpsCli.commandLine(Env.of(env));
        commandLine.setOut(new PrintWriter(new BufferedWriter(out), true));
        commandLine.setErr(new PrintWriter(new BufferedWriter(err), true));
        int code = commandLine.execute(args);
        return new Result(code, out.toString(), err.toString());
    }
}
