package io.ipnpipeline.sink.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The session's staging tables: a batch is COPied into them, then each upsert is one
 * {@code INSERT .. SELECT .. FROM <stage> ON CONFLICT}. Temporary (private to the connection, never WAL-logged)
 * and emptied at every commit or rollback, so a batch only ever sees its own rows. Their columns have the target
 * columns' types, so COPY does every conversion once.
 */
final class Stage {

    static final String LEDGER = "sink_ledger_stage";
    static final String SUBSCRIPTION = "sink_subscription_stage";
    static final String OUTBOX = "sink_outbox_stage";

    private static final String DDL = "CREATE TEMP TABLE IF NOT EXISTS " + LEDGER + " (wave int4, payment_id int8, "
            + "parent_payment_id int8, invoice_id int8, order_id text, user_id int8, open_channel_id int8, "
            + "private_channel_id int8, status text, status_rank int4, status_word text, review_reason text, "
            + "tier_index int4, subscription_days int4, subscription_price numeric, price_amount numeric, "
            + "price_currency text, pay_amount numeric, pay_currency text, actually_paid numeric, "
            + "outcome_amount numeric, outcome_currency text, pay_address text, client_wallet_address text, "
            + "client_payout_currency text, client_payout_network text, payout_strategy text, last_ipn jsonb, "
            + "finishes bool) ON COMMIT DELETE ROWS;\n"
            + "CREATE TEMP TABLE IF NOT EXISTS " + SUBSCRIPTION + " (user_id int8, private_channel_id int8, "
            + "open_channel_id int8, sub_time int4, sub_price numeric, client_wallet_address text, "
            + "client_payout_currency text, client_payout_network text, nowpayments_payment_id int8, nowpayments_invoice_id int8, "
            + "nowpayments_order_id text, nowpayments_pay_address text, nowpayments_payment_status text, "
            + "nowpayments_pay_amount numeric, nowpayments_pay_currency text, nowpayments_outcome_amount numeric, "
            + "nowpayments_outcome_currency text, nowpayments_price_amount numeric, nowpayments_price_currency text, "
            + "payment_status text, nowpayments_created_at timestamptz, nowpayments_updated_at timestamptz, "
            + "add_days int4, review_only bool, needs_ledger bool) ON COMMIT DELETE ROWS;\n"
            + "CREATE TEMP TABLE IF NOT EXISTS " + OUTBOX + " (command_id text, kind text, message_key text, "
            + "payload jsonb) ON COMMIT DELETE ROWS";

    private Stage() {
    }

    /** Creates the staging tables if this session has none yet (one round trip). */
    static void ensure(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(DDL);
        }
    }
}
