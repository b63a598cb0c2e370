package io.ipnpipeline.localstack.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.ipnpipeline.contracts.ipn.IpnBodyBuilder;
import io.ipnpipeline.contracts.serde.Json;
import io.ipnpipeline.contracts.signature.IpnSigner;
import io.ipnpipeline.contracts.signature.SignatureForm;
import io.ipnpipeline.localstack.ipn.IpnSender;
import io.ipnpipeline.localstack.stack.Endpoints;
import io.ipnpipeline.localstack.stack.LocalStack;
import io.ipnpipeline.localstack.stack.StackEnvironment;
import io.ipnpipeline.support.config.Secret;
import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code send-ipn}: signs an IPN as NOWPayments would and posts it to a gateway, for testing one's own
 * setup. The body is a JSON file sent byte for byte, or the incident's payment changed by flags.
 */
@Command(name = "send-ipn", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Signs an IPN with the IPN secret (x-nowpayments-sig, HMAC-SHA512) and POSTs it; prints the answer.",
            "Without --file the body is the incident's payment 4479119533, changed by the flags below.",
            "Exit code 0 for a 2xx answer, 1 otherwise."})
final class SendIpnCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--url", paramLabel = "URL",
            description = "Gateway base URL or full /ipn URL (default: GATEWAY_URL, else the one in"
                    + " <data-dir>/endpoints.env, else http://127.0.0.1:8080).")
    String url;

    @Option(names = "--secret", paramLabel = "SECRET",
            description = "IPN secret (default: NOWPAYMENTS_IPN_SECRET, else <data-dir>/ipn-secret).")
    String secret;

    @Option(names = "--data-dir", defaultValue = ".ipn-pipeline", paramLabel = "DIR",
            description = "A local stack's data dir, for the default URL and secret (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--file", paramLabel = "FILE", description = "JSON body to send as it is.")
    Path file;

    @Option(names = "--payment-id", paramLabel = "ID", description = "payment_id")
    Long paymentId;

    @Option(names = "--status", paramLabel = "WORD",
            description = "payment_status: waiting, confirming, confirmed, sending, partially_paid, finished, ...")
    String status;

    @Option(names = "--order-id", paramLabel = "ORDER", description = "order_id, e.g. 'PGP-6271402111|-1003253338212'")
    String orderId;

    @Option(names = "--price", paramLabel = "USD", description = "price_amount, e.g. 2.50")
    BigDecimal price;

    @Option(names = "--outcome-amount", paramLabel = "AMOUNT", description = "outcome_amount")
    BigDecimal outcomeAmount;

    @Option(names = "--set", paramLabel = "FIELD=JSON",
            description = "Any other field; the value is JSON if it parses (42, null, \"x\"), else a string.")
    List<String> fields = new ArrayList<>();

    @Option(names = "--form", defaultValue = "DEEP_SORTED", paramLabel = "FORM",
            description = "Signature form: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    SignatureForm form;

    @Option(names = "--print-body", description = "Print the body sent.")
    boolean printBody;

    private final Map<String, String> environment;

    SendIpnCommand() {
        this(System.getenv());
    }

    SendIpnCommand(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        byte[] body = body();
        URI target = target();
        String signature = IpnSigner.sign(resolveSecret().reveal(), body, form);
        if (printBody) {
            out.println(new String(body, StandardCharsets.UTF_8));
        }
        IpnSender.Response response = new IpnSender().post(target, body, signature);
        out.println("POST " + target + " -> HTTP " + response.status());
        out.println(response.body());
        out.flush();
        return response.accepted() ? 0 : 1;
    }

    private byte[] body() throws IOException {
        if (file != null) {
            if (paymentId != null || status != null || orderId != null || price != null || outcomeAmount != null
                    || !fields.isEmpty()) {
                throw new ParameterException(spec.commandLine(), "--file is sent as it is; drop the field flags");
            }
            return Files.readAllBytes(file);
        }
        IpnBodyBuilder builder = IpnBodyBuilder.incidentPayment();
        Optional.ofNullable(paymentId).ifPresent(builder::paymentId);
        Optional.ofNullable(status).ifPresent(word -> builder.with("payment_status", word));
        Optional.ofNullable(orderId).ifPresent(builder::orderId);
        Optional.ofNullable(price).ifPresent(value -> builder.with("price_amount", value));
        Optional.ofNullable(outcomeAmount).ifPresent(value -> builder.with("outcome_amount", value));
        for (String field : fields) {
            int equals = field.indexOf('=');
            if (equals <= 0) {
                throw new ParameterException(spec.commandLine(), "--set wants FIELD=VALUE, got '" + field + "'");
            }
            builder.with(field.substring(0, equals), jsonOrText(field.substring(equals + 1)));
        }
        return builder.toBytes();
    }

    private static Object jsonOrText(String value) {
        try {
            JsonNode node = Json.mapper().readTree(value);
            if (node == null || node.isMissingNode()) {
                return value;
            }
            return node.isNumber() ? node.decimalValue() : node;
        } catch (JsonProcessingException e) {
            return value;
        }
    }

    private URI target() {
        String base = Optional.ofNullable(url)
                .or(() -> Optional.ofNullable(environment.get(Endpoints.GATEWAY_URL)).filter(v -> !v.isBlank()))
                .or(() -> endpointsFile().map(values -> values.get(Endpoints.GATEWAY_URL)))
                .orElse("http://127.0.0.1:8080");
        URI uri = URI.create(base);
        return uri.getPath() == null || uri.getPath().isEmpty() || uri.getPath().equals("/")
                ? IpnSender.ipnUrl(base)
                : uri;
    }

    /** Each source may hold the gateway's comma-separated list (current first): the first entry signs. */
    private Secret resolveSecret() throws IOException {
        if (secret != null) {
            return IpnSender.signingSecret(secret);
        }
        String fromEnv = environment.get(StackEnvironment.IPN_SECRET);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return IpnSender.signingSecret(fromEnv);
        }
        // the running stack records here the secret it runs with, whether generated or from its environment
        Path kept = dataDir.resolve(LocalStack.IPN_SECRET_FILE);
        if (Files.isRegularFile(kept)) {
            return IpnSender.signingSecret(Files.readString(kept, StandardCharsets.UTF_8));
        }
        throw new ParameterException(spec.commandLine(),
                "no IPN secret: pass --secret, set NOWPAYMENTS_IPN_SECRET, or point --data-dir at a local stack");
    }

    private Optional<Map<String, String>> endpointsFile() {
        Path endpoints = dataDir.resolve("endpoints.env");
        if (!Files.isRegularFile(endpoints)) {
            return Optional.empty();
        }
        Map<String, String> values = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(endpoints, StandardCharsets.UTF_8)) {
                int equals = line.indexOf('=');
                if (!line.startsWith("#") && equals > 0) {
                    values.put(line.substring(0, equals).trim(), line.substring(equals + 1).trim());
                }
            }
        } catch (IOException e) {
            throw new ParameterException(spec.commandLine(), "cannot read " + endpoints + ": " + e.getMessage());
        }
        return Optional.of(values);
    }
}
