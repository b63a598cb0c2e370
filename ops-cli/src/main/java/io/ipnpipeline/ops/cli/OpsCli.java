package io.ipnpipeline.ops.cli;

import io.ipnpipeline.ops.config.OpsConfig;
import io.ipnpipeline.ops.dlq.DlqCommand;
import io.ipnpipeline.ops.payment.PaymentCommand;
import io.ipnpipeline.ops.reconcile.ReconcileCommand;
import io.ipnpipeline.ops.replay.ReplayCommand;
import io.ipnpipeline.ops.stuck.StuckCommand;
import io.ipnpipeline.support.config.ConfigException;
import io.ipnpipeline.support.config.Env;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The operator's one entry point, named in usage lines, error messages and the alerts' texts as it is run
 * ({@value #INVOCATION}, ops-cli/README.md), so an operator can copy what they read. Configuration comes from the same environment variables as the services
 * ({@code KAFKA_BOOTSTRAP_SERVERS}, {@code PIPELINE_JDBC_URL}, topic variables, ...).
 */
@Command(name = OpsCli.INVOCATION, mixinStandardHelpOptions = true, version = "ipn-pipeline ops 0.1.0",
        description = "Operate the IPN pipeline: replay, dead letters, payments, stuck payments, reconciliation.",
        subcommands = {ReplayCommand.class, DlqCommand.class, PaymentCommand.class, StuckCommand.class,
                ReconcileCommand.class, CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done", "1:failed (Kafka, PostgreSQL or NOWPayments, see the message)",
                "2:wrong usage", "3:refused as unsafe now (e.g. the processor is running)", "4:not found"})
public final class OpsCli implements Runnable {

    public static final String INVOCATION = "java -jar ipn-pipeline-ops.jar";

    private final Env env;
    private OpsConfig config;

    @Spec
    CommandSpec spec;

    public OpsCli(Env env) {
        this.env = env;
    }

    /** A command line ready to execute, printing operator-facing errors without stack traces. */
    public static CommandLine commandLine(Env env) {
        CommandLine commandLine = new CommandLine(new OpsCli(env));
        commandLine.setExecutionExceptionHandler((exception, cmd, parseResult) -> {
            if (exception instanceof OpsException ops) {
                cmd.getErr().println("error: " + ops.getMessage());
                return ops.exitCode();
            }
            if (exception instanceof ConfigException config) {
                cmd.getErr().println("configuration error: " + config.getMessage());
                return 2;
            }
            throw exception;
        });
        return commandLine;
    }

    synchronized OpsConfig config() {
        if (config == null) {
            config = OpsConfig.fromEnv(env);
        }
        return config;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a command (try: " + INVOCATION
                + " help)");
    }
}
