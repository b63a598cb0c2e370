package io.ipnpipeline.localstack.cli;

import io.ipnpipeline.localstack.stack.LocalStack;
import java.io.PrintWriter;

/** Placeholder until the demo lands. */
final class DemoRunner {
    private DemoRunner() {
    }

    static void run(LocalStack stack, PrintWriter out) {
        out.println("demo: not yet");
    }
}
