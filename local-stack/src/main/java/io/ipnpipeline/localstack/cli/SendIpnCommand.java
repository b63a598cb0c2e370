package io.ipnpipeline.localstack.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder. */
@Command(name = "send-ipn")
final class SendIpnCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        return 0;
    }
}
