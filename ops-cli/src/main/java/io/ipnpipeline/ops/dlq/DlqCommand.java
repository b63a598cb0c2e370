package io.ipnpipeline.ops.dlq;

import io.ipnpipeline.contracts.topic.HeaderNames;
import io.ipnpipeline.ops.cli.OpsCommand;
import io.ipnpipeline.ops.cli.OpsException;
import io.ipnpipeline.ops.config.OpsConfig;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "dlq", description = {"Look at the IPN dead-letter topic (ipn.dlq) and send records back to ipn.raw;"
        + " with --sink, the sink's (payments.enriched.dlq) and back to payments.enriched.",
        "Each dead-letter topic goes back only to the topic its records came from: an enriched payment in ipn.raw"
        + " would be dead-lettered again as no IPN, and an IPN in payments.enriched rejected by the sink."})
public final class DlqCommand {

    private static final Logger LOG = LoggerFactory.getLogger(DlqCommand.class);

    @Mixin
    OpsCommand ops;

    @Option(names = "--sink", description = "the sink's dead letters (SINK_DLQ_TOPIC, records PostgreSQL rejected),"
            + " redriven to payments.enriched (PAYMENTS_ENRICHED_TOPIC); give it before the subcommand")
    boolean sink;

    @Command(name = "list", description = "One line per dead letter: number, position, key, reason.")
    int list() {
        List<DeadLetter> letters = read();
        PrintWriter out = ops.out();
        out.printf("%d dead letter(s) in %s%n", letters.size(), dlqTopic());
        for (DeadLetter letter : letters) {
            out.printf("%4d  %d/%d  key=%s  failed_at=%s  reason=%s%n", letter.number(), letter.partition(),
                    letter.offset(), letter.key(), letter.header(HeaderNames.DLQ_FAILED_AT).orElse(
                            letter.timestamp().toString()), letter.reason());
        }
        return 0;
    }

    @Command(name = "show", description = "Every header and the body of one dead letter.")
    int show(@Parameters(paramLabel = "<n>", description = "number from 'dlq list'") int number) {
        DeadLetter letter = pick(read(), number);
        PrintWriter out = ops.out();
        out.printf("number: %d%npartition/offset: %d/%d%ntimestamp: %s%nkey: %s%nreason: %s%nheaders:%n",
                letter.number(), letter.partition(), letter.offset(), letter.timestamp(), letter.key(),
                letter.reason());
        for (Map.Entry<String, String> header : letter.headers()) {
            out.printf("  %s: %s%n", header.getKey(), header.getValue());
        }
        out.printf("body:%n%s%n", letter.valueText());
        return 0;
    }

    @Command(name = "redrive", description = {"Send dead letters back to ipn.raw (with --sink: payments.enriched) with"
            + " their original key and ipn.* headers. The dead letters are kept.", "Do it once the cause is fixed"
            + " (e.g. a new processor version, a database fix); a record still unusable comes back to the"
            + " dead-letter topic. Refused (exit 3) for a letter whose dlq.source_topic is another topic.",
            "With --sink, also refused (exit 3) for a letter whose payout wallet is no longer the channel's"
            + " client_wallet_address, unless --force-old-wallet."})
    int redrive(@Parameters(paramLabel = "<n|all>", description = "number from 'dlq list', or all") String which,
            @Option(names = "--force-old-wallet", description = "with --sink: send letters whose payout wallet differs"
                    + " from the channel's current one anyway (the payout goes to the letter's wallet)")
            boolean forceOldWallet) {
        OpsConfig config = ops.config();
        List<DeadLetter> letters = read();
        List<DeadLetter> chosen = "all".equalsIgnoreCase(which.strip()) ? letters : List.of(pick(letters, number(which)));
        PrintWriter out = ops.out();
        if (chosen.isEmpty()) {
            out.println("nothing to redrive: the dead-letter topic is empty");
            return 0;
        }
        String target = sink ? config.paymentsEnrichedTopic() : config.ipnRawTopic();
        chosen.forEach(letter -> checkCameFrom(letter, target));
        if (sink) {
            checkWallets(chosen, forceOldWallet);
        }
        List<RecordMetadata> written = new DeadLetters(config.bootstrapServers()).redrive(chosen, target);
        for (int i = 0; i < chosen.size(); i++) {
            out.printf("redriven %d (key=%s) -> %s %d/%d%n", chosen.get(i).number(), chosen.get(i).key(),
                    written.get(i).topic(), written.get(i).partition(), written.get(i).offset());
        }
        out.printf("%d record(s) sent to %s; the dead letters are kept%n", chosen.size(), target);
        return 0;
    }

    private String dlqTopic() {
        return sink ? ops.config().sinkDlqTopic() : ops.config().ipnDlqTopic();
    }

    private List<DeadLetter> read() {
        return new DeadLetters(ops.config().bootstrapServers()).readAll(dlqTopic());
    }

    /**
     * A letter goes back only where it came from: its {@code dlq.source_topic} (written by the processor and the
     * sink) must be the target, when it names one. Checked for every chosen letter before any is sent.
     */
    private void checkCameFrom(DeadLetter letter, String target) {
        String source = letter.header(HeaderNames.DLQ_SOURCE_TOPIC).map(String::strip).orElse("");
        if (!source.isEmpty() && !source.equals("null") && !source.equals(target)) {
            throw new OpsException(OpsException.REFUSED, "dead letter " + letter.number() + " came from " + source
                    + ", not " + target + ": nothing sent" + (sink ? "" : " (the sink's dead letters: dlq --sink)"));
        }
    }

    /**
     * An enriched letter pays out to the wallet the processor found when it placed the payment, maybe days ago; the
     * owner may have replaced it since (e.g. a compromised wallet). Checked for every chosen letter before any is sent.
     */
    private void checkWallets(List<DeadLetter> chosen, boolean force) {
        List<PayoutWallets.Changed> changed = PayoutWallets.changed(chosen, ops.config().database());
        if (changed.isEmpty()) {
            return;
        }
        StringBuilder lines = new StringBuilder();
        changed.forEach(letter -> lines.append("\n  ").append(letter.describe()));
        if (!force) {
            throw new OpsException(OpsException.REFUSED, changed.size() + " letter(s) would pay out to a wallet"
                    + " that is no longer the channel's:" + lines + "\nnothing sent. Ask the owner; to pay the current"
                    + " wallet, see the runbook (README, IpnSinkDeadLettersGrowing); to send them as they are,"
                    + " add --force-old-wallet");
        }
        changed.forEach(letter -> LOG.warn("dlq redrive number={} key={} outcome=forced_old_wallet letter_wallet={}"
                + " current_wallet={}", letter.letter().number(), letter.letter().key(),
                PayoutWallets.tail(letter.letterWallet()), letter.currentWallet().map(PayoutWallets::tail)
                        .orElse("none")));
        ops.out().println("warning: --force-old-wallet: sending anyway:" + lines);
    }

    private static int number(String text) {
        try {
            return Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw new OpsException(2, "'" + text + "' is neither a number from 'dlq list' nor 'all'");
        }
    }

    private static DeadLetter pick(List<DeadLetter> letters, int number) {
        if (number < 1 || number > letters.size()) {
            throw new OpsException(OpsException.NOT_FOUND, "no dead letter number " + number + " (there are "
                    + letters.size() + "; see 'dlq list')");
        }
        return letters.get(number - 1);
    }
}
