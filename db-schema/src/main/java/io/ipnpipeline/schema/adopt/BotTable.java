package io.ipnpipeline.schema.adopt;

import io.ipnpipeline.schema.adopt.PipelineColumn.Kind;
import io.ipnpipeline.schema.adopt.PipelineColumn.Use;
import java.util.List;

/**
 * The two tables the Telegram bot already has, with the columns V1__core_schema.sql gives them and the unique key
 * the pipeline relies on. The bot's {@code id} and other own columns are left alone.
 */
record BotTable(String name, List<PipelineColumn> columns, List<String> uniqueKey, String uniqueName) {

    /** The registry reads every column; the topic is keyed by open_channel_id, so it has to be unique. */
    static final BotTable CHANNELS = new BotTable("main_clients_database", List.of(
            PipelineColumn.key("open_channel_id", Use.READ),
            PipelineColumn.key("closed_channel_id", Use.READ),
            new PipelineColumn("client_wallet_address", Kind.TEXT, Use.READ, "TEXT"),
            new PipelineColumn("client_payout_currency", Kind.TEXT, Use.READ, "TEXT"),
            new PipelineColumn("client_payout_network", Kind.TEXT, Use.READ, "TEXT"),
            new PipelineColumn("sub_1_price", Kind.NUMERIC_2, Use.READ, "NUMERIC(12, 2)"),
            new PipelineColumn("sub_1_time", Kind.INT, Use.READ, "INT"),
            new PipelineColumn("sub_2_price", Kind.NUMERIC_2, Use.READ, "NUMERIC(12, 2)"),
            new PipelineColumn("sub_2_time", Kind.INT, Use.READ, "INT"),
            new PipelineColumn("sub_3_price", Kind.NUMERIC_2, Use.READ, "NUMERIC(12, 2)"),
            new PipelineColumn("sub_3_time", Kind.INT, Use.READ, "INT"),
            new PipelineColumn("payout_strategy", Kind.TEXT, Use.READ, "TEXT NOT NULL DEFAULT 'instant'"),
            new PipelineColumn("payout_threshold_usd", Kind.NUMERIC_2, Use.READ, "NUMERIC(12, 2)"),
            // V2's trigger keeps it current from then on; existing rows start at the adoption's time
            PipelineColumn.changeTime(Use.READ)),
            List.of("open_channel_id"), "main_clients_open_channel_id_key");

    /** The sink's upsert inserts and updates these; ON CONFLICT (user_id, private_channel_id) needs the key. */
    static final BotTable SUBSCRIPTIONS = new BotTable("private_channel_users_database", List.of(
            PipelineColumn.key("user_id", Use.WRITTEN),
            PipelineColumn.key("private_channel_id", Use.WRITTEN),
            new PipelineColumn("sub_time", Kind.INT, Use.WRITTEN_NULLABLE, "INT"),
            new PipelineColumn("sub_price", Kind.NUMERIC_2, Use.WRITTEN_NULLABLE, "NUMERIC(12, 2)"),
            new PipelineColumn("expires_at", Kind.TIMESTAMPTZ, Use.WRITTEN_NULLABLE, "TIMESTAMPTZ"),
            new PipelineColumn("is_active", Kind.BOOLEAN, Use.WRITTEN, "BOOLEAN NOT NULL DEFAULT FALSE"),
            new PipelineColumn("client_wallet_address", Kind.TEXT, Use.WRITTEN_NULLABLE, "TEXT"),
            new PipelineColumn("client_payout_currency", Kind.TEXT, Use.WRITTEN_NULLABLE, "TEXT"),
            new PipelineColumn("client_payout_network", Kind.TEXT, Use.WRITTEN_NULLABLE, "TEXT"),
            new PipelineColumn("nowpayments_payment_id", Kind.BIGINT, Use.WRITTEN, "BIGINT"),
            new PipelineColumn("nowpayments_invoice_id", Kind.BIGINT, Use.WRITTEN_NULLABLE, "BIGINT"),
            new PipelineColumn("nowpayments_order_id", Kind.TEXT, Use.WRITTEN_NULLABLE, "TEXT"),
            new PipelineColumn("nowpayments_pay_address", Kind.TEXT, Use.WRITTEN_NULLABLE, "TEXT"),
            new PipelineColumn("nowpayments_payment_status", Kind.TEXT, Use.WRITTEN, "TEXT"),
            new PipelineColumn("nowpayments_pay_amount", Kind.NUMERIC, Use.WRITTEN_NULLABLE, "NUMERIC"),
            new PipelineColumn("nowpayments_pay_currency", Kind.TEXT, Use.WRITTEN_NULLABLE, "TEXT"),
            new PipelineColumn("nowpayments_outcome_amount", Kind.NUMERIC, Use.WRITTEN_NULLABLE, "NUMERIC"),
            new PipelineColumn("nowpayments_outcome_currency", Kind.TEXT, Use.WRITTEN_NULLABLE, "TEXT"),
            new PipelineColumn("nowpayments_price_amount", Kind.NUMERIC, Use.WRITTEN_NULLABLE, "NUMERIC"),
            new PipelineColumn("nowpayments_price_currency", Kind.TEXT, Use.WRITTEN_NULLABLE, "TEXT"),
            // rows the bot wrote before the pipeline existed read as not paid yet
            new PipelineColumn("payment_status", Kind.TEXT, Use.WRITTEN, "TEXT NOT NULL DEFAULT 'pending'"),
            new PipelineColumn("nowpayments_created_at", Kind.TIMESTAMPTZ, Use.WRITTEN_NULLABLE, "TIMESTAMPTZ"),
            new PipelineColumn("nowpayments_updated_at", Kind.TIMESTAMPTZ, Use.WRITTEN_NULLABLE, "TIMESTAMPTZ"),
            new PipelineColumn("created_at", Kind.TIMESTAMPTZ, Use.UNUSED, "TIMESTAMPTZ NOT NULL DEFAULT now()"),
            // the status API compares it with the ledger's; V5's trigger moves it on the bot's updates
            PipelineColumn.changeTime(Use.WRITTEN)),
            List.of("user_id", "private_channel_id"), "unique_user_channel");

    static final List<BotTable> ALL = List.of(CHANNELS, SUBSCRIPTIONS);

    /** The pipeline inserts rows here (the incident's direct-link payment), so its NOT NULLs matter. */
    boolean pipelineInserts() {
        return columns.stream().anyMatch(PipelineColumn::written);
    }
}
