package io.ipnpipeline.ops.reconcile;

import io.ipnpipeline.ops.cli.OpsException;

/** The NOWPayments API did not give a usable answer; the message says what came back, never the key. */
public final class NowPaymentsException extends OpsException {
    private static final long serialVersionUID = 1L;

    public NowPaymentsException(String message) {
        super(OpsException.FAILED, message);
    }
}
