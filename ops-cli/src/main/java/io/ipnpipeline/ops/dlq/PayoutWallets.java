package io.ipnpipeline.ops.dlq;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ipnpipeline.ops.cli.OpsException;
import io.ipnpipeline.ops.db.Database;
import io.ipnpipeline.support.db.DatabaseConfig;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An enriched payment carries the payout wallet the processor found when it placed the payment; a sink dead letter
 * may be redriven days later, after the channel's owner replaced that wallet (e.g. a compromised one). This finds
 * the letters whose wallet is no longer the channel's {@code client_wallet_address} in {@code main_clients_database}.
 *
 * <p>Wallets are shown by their last {@value #SHOWN} characters only: enough to tell two apart with the owner, while
 * this output is pasted into tickets and chats, where a full payout address invites a copy-paste mistake or worse.
 */
final class PayoutWallets {

    static final int SHOWN = 6;
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String CURRENT = "SELECT client_wallet_address FROM main_clients_database"
            + " WHERE open_channel_id = ?";

    private PayoutWallets() {
    }

    /** A letter whose payout wallet differs from the channel's current one (current empty: the channel is gone). */
    record Changed(DeadLetter letter, String letterWallet, Optional<String> currentWallet) {

        String describe() {
            return "dead letter " + letter.number() + " (payment " + letter.key() + ") pays out to wallet "
                    + tail(letterWallet) + ", but the channel's wallet is now " + currentWallet.map(PayoutWallets::tail)
                    .orElse("(none: the channel is no longer in main_clients_database)");
        }
    }

    /** Connects to PostgreSQL only when some letter carries a wallet; letters without one pay nobody. */
    static List<Changed> changed(List<DeadLetter> letters, DatabaseConfig database) {
        List<Placed> placed = new ArrayList<>();
        for (DeadLetter letter : letters) {
            placed(letter).ifPresent(placed::add);
        }
        List<Changed> changed = new ArrayList<>();
        if (placed.isEmpty()) {
            return changed;
        }
        try (Connection connection = Database.connect(database);
                PreparedStatement statement = connection.prepareStatement(CURRENT)) {
            for (Placed letter : placed) {
                Optional<String> current = current(statement, letter.openChannelId);
                if (current.isEmpty() || !current.get().equals(letter.wallet)) {
                    changed.add(new Changed(letter.letter, letter.wallet, current));
                }
            }
        } catch (SQLException e) {
            throw new OpsException("PostgreSQL: " + e.getMessage(), e);
        }
        return changed;
    }

    static String tail(String wallet) {
        return "..." + wallet.substring(Math.max(0, wallet.length() - SHOWN));
    }

    private record Placed(DeadLetter letter, Long openChannelId, String wallet) {
    }

    /**
     * The letter's channel and wallet, if it has a wallet. A body that is not JSON is not checked: the sink cannot
     * apply it, so it dead-letters it again and pays nobody.
     */
    private static Optional<Placed> placed(DeadLetter letter) {
        if (letter.value() == null) {
            return Optional.empty();
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(letter.value());
        } catch (IOException notJson) {
            return Optional.empty();
        }
        JsonNode wallet = root == null ? null : root.get("client_wallet_address");
        if (wallet == null || !wallet.isTextual() || wallet.textValue().isEmpty()) {
            return Optional.empty();
        }
        JsonNode channel = root.get("open_channel_id");
        return Optional.of(new Placed(letter, channel != null && channel.canConvertToLong() ? channel.longValue()
                : null, wallet.textValue()));
    }

    private static Optional<String> current(PreparedStatement statement, Long openChannelId) throws SQLException {
        if (openChannelId == null) {
            return Optional.empty();
        }
        statement.setLong(1, openChannelId);
        try (ResultSet row = statement.executeQuery()) {
            return row.next() ? Optional.ofNullable(row.getString(1)) : Optional.empty();
        }
    }
}
