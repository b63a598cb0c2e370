-- Run by io.ipnpipeline.schema.adopt.BotSchemaAdoption, never by Flyway: V1__core_schema.sql with IF NOT EXISTS.
-- By the time this runs, the bot's tables already hold every column below (added or converted) and their unique
-- keys, so for them it does nothing; a table the bot does not have yet, and the pipeline's own ledger, are
-- created exactly as V1 creates them. The schema is then baselined at version 1, so V1 itself never runs here.
-- Keep this in step with V1 (AdoptionIT compares an adopted schema with a freshly migrated one).

-- The channel registry the Telegram bot writes.
CREATE TABLE IF NOT EXISTS main_clients_database (
    open_channel_id        BIGINT PRIMARY KEY,
    closed_channel_id      BIGINT NOT NULL UNIQUE,
    client_wallet_address  TEXT NOT NULL,
    client_payout_currency TEXT NOT NULL,
    client_payout_network  TEXT NOT NULL,
    sub_1_price            NUMERIC(12, 2) NOT NULL,
    sub_1_time             INT NOT NULL,
    sub_2_price            NUMERIC(12, 2),
    sub_2_time             INT,
    sub_3_price            NUMERIC(12, 2),
    sub_3_time             INT,
    payout_strategy        TEXT NOT NULL DEFAULT 'instant'
                           CONSTRAINT main_clients_payout_strategy_check CHECK (payout_strategy IN ('instant', 'threshold')),
    payout_threshold_usd   NUMERIC(12, 2),
    updated_at             TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT main_clients_open_channel_negative CHECK (open_channel_id < 0),
    CONSTRAINT main_clients_closed_channel_negative CHECK (closed_channel_id < 0)
);

-- One row per (user, private channel): the subscription and the latest payment's NOWPayments fields.
CREATE TABLE IF NOT EXISTS private_channel_users_database (
    id                           BIGSERIAL PRIMARY KEY,
    user_id                      BIGINT NOT NULL,
    private_channel_id           BIGINT NOT NULL,
    sub_time                     INT,
    sub_price                    NUMERIC(12, 2),
    expires_at                   TIMESTAMPTZ,
    is_active                    BOOLEAN NOT NULL DEFAULT FALSE,
    client_wallet_address        TEXT,
    client_payout_currency       TEXT,
    client_payout_network        TEXT,
    nowpayments_payment_id       BIGINT,
    nowpayments_invoice_id       BIGINT,
    nowpayments_order_id         TEXT,
    nowpayments_pay_address      TEXT,
    nowpayments_payment_status   TEXT,
    nowpayments_pay_amount       NUMERIC,
    nowpayments_pay_currency     TEXT,
    nowpayments_outcome_amount   NUMERIC,
    nowpayments_outcome_currency TEXT,
    nowpayments_price_amount     NUMERIC,
    nowpayments_price_currency   TEXT,
    -- the status API's word (design.md); 'pending' is what the bot writes before any IPN
    payment_status               TEXT NOT NULL
                                 CONSTRAINT private_channel_users_payment_status_check CHECK (payment_status IN (
                                     'pending', 'processing', 'confirmed', 'awaiting_mapping', 'needs_review',
                                     'partially_paid', 'failed', 'expired', 'refunded')),
    nowpayments_created_at       TIMESTAMPTZ,
    nowpayments_updated_at       TIMESTAMPTZ,
    created_at                   TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at                   TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT unique_user_channel UNIQUE (user_id, private_channel_id)
);

-- The payments ledger: one row per payment_id, only ever moved forward.
CREATE TABLE IF NOT EXISTS payments (
    payment_id             BIGINT PRIMARY KEY,
    parent_payment_id      BIGINT,
    invoice_id             BIGINT,
    order_id               TEXT,
    user_id                BIGINT,
    open_channel_id        BIGINT,
    private_channel_id     BIGINT,
    -- NOWPayments' payment_status
    status                 TEXT NOT NULL,
    -- io.ipnpipeline.contracts.status.Progress: status rank * 10 + pipeline phase
    status_rank            INT NOT NULL,
    -- the status API's word
    status_word            TEXT NOT NULL,
    review_reason          TEXT,
    tier_index             INT,
    subscription_days      INT,
    subscription_price     NUMERIC(12, 2),
    price_amount           NUMERIC,
    price_currency         TEXT,
    pay_amount             NUMERIC,
    pay_currency           TEXT,
    actually_paid          NUMERIC,
    outcome_amount         NUMERIC,
    outcome_currency       TEXT,
    pay_address            TEXT,
    client_wallet_address  TEXT,
    client_payout_currency TEXT,
    client_payout_network  TEXT,
    payout_strategy        TEXT,
    last_ipn               JSONB NOT NULL,
    first_seen_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at             TIMESTAMPTZ NOT NULL DEFAULT now(),
    finished_at            TIMESTAMPTZ,
    -- when the invite and payout commands were put in the outbox (same transaction as finished_at)
    invite_issued_at       TIMESTAMPTZ,
    payout_issued_at       TIMESTAMPTZ
);

-- the status API looks payments up by the parsed order id, newest first
CREATE INDEX IF NOT EXISTS payments_user_channel_idx ON payments (user_id, open_channel_id, first_seen_at DESC);
CREATE INDEX IF NOT EXISTS payments_order_id_idx ON payments (order_id);
-- operators' "stuck" query
CREATE INDEX IF NOT EXISTS payments_unsettled_idx ON payments (updated_at)
    WHERE status_word IN ('processing', 'awaiting_mapping', 'needs_review');
