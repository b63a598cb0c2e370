package io.ipnpipeline.ops.cli;

import io.ipnpipeline.ops.config.OpsConfig;
import io.ipnpipeline.ops.dlq.DlqCommand;
import io.ipnpipeline.ops.payment.PaymentCommand;
import io.ipnpipeline.ops.reconcile.ReconcileCommand;
import io.ipnpipeline.ops.replay.ReplayCommand;
import io.ipnpipeline.ops.stuck.StuckCommand;
import io.ipnpipeline.support.config.ConfigException;
import io.ipnpipeline.support.config.Env;
import io.ipnpipeline.support.kafka.KafkaSettings;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The operator's one entry point, named in usage lines, error messages and the alerts' texts as it is run
 * ({@value #INVOCATION}, ops-cli/README.md), so an operator can copy what they read. Configuration comes from the same environment variables as the services
 * ({@code KAFKA_BOOTSTRAP_SERVERS}, {@code PIPELINE_JDBC_URL}, topic variables, ...).
 */
// scope INHERIT: every subcommand, down to 'dlq list', takes --help / -h (and --version) like the root, so an
// operator's first guess works; a help option also skips required-option validation, so 'replay --help' answers.
@Command(name = OpsCli.INVOCATION, scope = ScopeType.INHERIT, mixinStandardHelpOptions = true, version = "ipn-pipeline ops 0.1.0",
        description = "Operate the IPN pipeline: replay, dead letters, payments, stuck payments, reconciliation.",
        subcommands = {ReplayCommand.class, DlqCommand.class, PaymentCommand.class, StuckCommand.class,
                ReconcileCommand.class, CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done", "1:failed (Kafka, PostgreSQL or NOWPayments, see the message)",
                "2:wrong usage", "3:refused as unsafe now (e.g. the processor is running)", "4:not found",
                "5:cannot reach Kafka or PostgreSQL (check KAFKA_BOOTSTRAP_SERVERS / PIPELINE_JDBC_URL)"})
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
        // picocli makes default writers lazily per command line and hands them down from the one asked; asking the
        // root first makes one pair everyone's, so execute's flush of the root's covers what any command printed
        commandLine.getOut();
        commandLine.getErr();
        OpsCli root = commandLine.getCommand();
        commandLine.setExecutionExceptionHandler((exception, cmd, parseResult) -> {
            Throwable kafkaFailure = KafkaFailures.unreachable(exception);
            if (kafkaFailure != null) {
                cmd.getErr().println("error: cannot reach Kafka at " + root.bootstrapServers() + " ("
                        + KafkaSettings.BOOTSTRAP_SERVERS + "): " + kafkaFailure.getMessage());
                return OpsException.UNREACHABLE;
            }
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

    /**
     * Runs one command and flushes its writers whatever happened: picocli's default writers are buffered and flush
     * only on println/printf, and {@code System.exit} does not flush them, so a command ending in {@code print}
     * would lose its last lines.
     */
    public static int execute(CommandLine commandLine, String... args) {
        try {
            return commandLine.execute(args);
        } finally {
            commandLine.getOut().flush();
            commandLine.getErr().flush();
        }
    }

    /** For error messages: the address Kafka was asked at, as configured ({@code KAFKA_BOOTSTRAP_SERVERS}). */
    synchronized String bootstrapServers() {
        return config == null ? KafkaSettings.bootstrapServers(env) : config.bootstrapServers();
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
