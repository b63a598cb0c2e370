package io.ipnpipeline.localstack.cli;

import io.ipnpipeline.contracts.topic.TopicNames;
import io.ipnpipeline.localstack.demo.IncidentDemo;
import io.ipnpipeline.localstack.ipn.IpnSender;
import io.ipnpipeline.localstack.stack.LocalStack;
import io.ipnpipeline.localstack.stack.StackEnvironment;
import java.io.PrintWriter;
import java.util.Map;

/** Runs {@link IncidentDemo} against the stack just started, with the secret and topics its services use. */
final class DemoRunner {

    private DemoRunner() {
    }

    static boolean run(LocalStack stack, PrintWriter out) throws Exception {
        Map<String, String> env = stack.serviceEnvironment();
        return new IncidentDemo(stack.endpoints(), IpnSender.signingSecret(env.get(StackEnvironment.IPN_SECRET)),
                TopicNames.fromEnv(env::get), out).run();
    }
}
