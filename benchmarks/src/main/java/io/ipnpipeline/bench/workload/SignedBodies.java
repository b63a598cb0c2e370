package io.ipnpipeline.bench.workload;

import io.ipnpipeline.bench.gateway.HttpLoad.SignedBody;
import io.ipnpipeline.contracts.signature.IpnSigner;
import io.ipnpipeline.contracts.signature.SignatureForm;
import java.util.ArrayList;
import java.util.List;

/** IPN bodies signed as NOWPayments signs them (the official SDK's deep-sorted form). */
public final class SignedBodies {

    private SignedBodies() {
    }

    public static SignedBody sign(Ipns.Ipn ipn, String secret) {
        return new SignedBody(ipn.paymentId(), ipn.body(), IpnSigner.sign(secret, ipn.body(), SignatureForm.DEEP_SORTED));
    }

    /** {@code count} signed IPNs: five statuses per payment, no duplicates, every channel mapped. */
    public static List<SignedBody> lifecycle(int count, int channels, long firstPaymentId, String secret) {
        List<SignedBody> bodies = new ArrayList<>(count);
        Ipns.generate(new Ipns.Spec(count, 0, 0, channels, firstPaymentId, firstPaymentId),
                ipn -> bodies.add(sign(ipn, secret)));
        return bodies;
    }
}
