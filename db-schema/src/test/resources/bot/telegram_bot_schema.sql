-- A plausible schema of the Telegram bot's database before the pipeline arrives, built from the columns the
-- incident report (docs/incident-no-payment-record-found.md) shows the bot using: channel ids compared as quoted
-- strings (text ids), payout currency and network read with ::text (enums), bounded varchars, a serial id, a
-- timestamp without time zone, and no updated_at, expires_at, payout_strategy or UNIQUE (user_id, private_channel_id).
CREATE TYPE currency_type AS ENUM ('eth', 'usdt', 'btc', 'ltc');
CREATE TYPE network_type AS ENUM ('eth', 'trx', 'btc', 'ltc');

CREATE TABLE main_clients_database (
    id                     SERIAL PRIMARY KEY,
    open_channel_id        VARCHAR(30) NOT NULL,
    open_channel_title     VARCHAR(255),
    closed_channel_id      VARCHAR(30) NOT NULL,
    closed_channel_title   VARCHAR(255),
    sub_1_price            NUMERIC(10, 2),
    sub_1_time             SMALLINT,
    sub_2_price            NUMERIC(10, 2),
    sub_2_time             SMALLINT,
    sub_3_price            NUMERIC(10, 2),
    sub_3_time             SMALLINT,
    client_wallet_address  VARCHAR(110) NOT NULL,
    client_payout_currency currency_type NOT NULL,
    client_payout_network  network_type NOT NULL
);

CREATE TABLE private_channel_users_database (
    id                           SERIAL PRIMARY KEY,
    private_channel_id           VARCHAR(30) NOT NULL,
    user_id                      BIGINT NOT NULL,
    sub_time                     SMALLINT,
    sub_price                    NUMERIC(10, 2),
    is_active                    BOOLEAN DEFAULT TRUE,
    client_wallet_address        VARCHAR(110),
    client_payout_currency       currency_type,
    client_payout_network        network_type,
    nowpayments_payment_id       BIGINT,
    nowpayments_invoice_id       BIGINT,
    nowpayments_order_id         VARCHAR(100),
    nowpayments_pay_address      VARCHAR(255),
    nowpayments_payment_status   VARCHAR(50),
    nowpayments_pay_amount       NUMERIC(30, 18),
    nowpayments_pay_currency     VARCHAR(20),
    nowpayments_outcome_amount   NUMERIC(30, 18),
    nowpayments_outcome_currency VARCHAR(20),
    nowpayments_price_amount     NUMERIC(20, 8),
    nowpayments_price_currency   VARCHAR(10),
    payment_status               VARCHAR(20) DEFAULT 'pending',
    nowpayments_created_at       TIMESTAMPTZ,
    nowpayments_updated_at       TIMESTAMPTZ,
    created_at                   TIMESTAMP DEFAULT now()
);

-- the incident's channel, a pending row the bot wrote for another user, and last month's paid row
INSERT INTO main_clients_database (open_channel_id, open_channel_title, closed_channel_id, closed_channel_title,
        sub_1_price, sub_1_time, client_wallet_address, client_payout_currency, client_payout_network)
VALUES ('-1003253338212', 'Open', '-1003016667267', 'Closed', 2.50, 30,
        '0xD031Cb94c419A5D7AA4BA5FDBc9Cc82138651083', 'eth', 'eth');

INSERT INTO private_channel_users_database (private_channel_id, user_id, sub_time, sub_price, is_active,
        client_wallet_address, client_payout_currency, client_payout_network, payment_status)
VALUES ('-1003016667267', 5000000001, 30, 2.50, FALSE, '0xD031Cb94c419A5D7AA4BA5FDBc9Cc82138651083', 'eth', 'eth',
        'pending');

INSERT INTO private_channel_users_database (private_channel_id, user_id, sub_time, sub_price, is_active,
        nowpayments_payment_id, nowpayments_pay_amount, nowpayments_payment_status, payment_status)
VALUES ('-1003016667267', 5000000002, 30, 2.50, TRUE, 4400000001, 0.000769670000000001, 'finished', 'confirmed');
