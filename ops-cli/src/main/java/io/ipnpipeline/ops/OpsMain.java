package io.ipnpipeline.ops;

import io.ipnpipeline.ops.cli.OpsCli;
import io.ipnpipeline.support.config.Env;

/** {@code java -jar ipn-pipeline-ops.jar <command>}: see {@code help}. */
public final class OpsMain {

    private OpsMain() {
    }

    public static void main(String[] args) {
        System.exit(OpsCli.execute(OpsCli.commandLine(Env.system()), args));
    }
}
