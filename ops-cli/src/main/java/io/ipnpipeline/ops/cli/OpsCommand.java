package io.ipnpipeline.ops.cli;

import io.ipnpipeline.ops.config.OpsConfig;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Mixed into every subcommand: the configuration from the root command's environment, and where to print. */
@Command
public final class OpsCommand {

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    public OpsConfig config() {
        return ((OpsCli) spec.root().userObject()).config();
    }

    public PrintWriter out() {
        return spec.commandLine().getOut();
    }
}
