package io.ipnpipeline.contracts.topic;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipnpipeline.contracts.signature.SignatureForm;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class IpnProvenanceTest {

    @ParameterizedTest
    @EnumSource(SignatureForm.class)
    void gatewayRecordsWithAVerifiedFormAreTrusted(SignatureForm form) {
        assertThat(IpnProvenance.untrustedReason(IpnProvenance.verifiedByGateway(form, "current")::get)).isEmpty();
    }

    @Test
    void reconciliationRecordsNeedNoSignature() {
        assertThat(IpnProvenance.untrustedReason(IpnProvenance.fromReconciliation()::get)).isEmpty();
    }

    @Test
    void aGatewayClaimWithoutASignatureFormIsNotTrusted() {
        Map<String, String> headers = new HashMap<>(IpnProvenance.verifiedByGateway(SignatureForm.DEEP_SORTED, "x"));
        headers.remove(HeaderNames.IPN_SIGNATURE_FORM);
        assertThat(IpnProvenance.untrustedReason(headers::get)).contains("gateway record without a verified signature form");
        headers.put(HeaderNames.IPN_SIGNATURE_FORM, "made-up");
        assertThat(IpnProvenance.untrustedReason(headers::get)).isPresent();
    }

    @Test
    void noOrAnotherSourceIsNotTrusted() {
        assertThat(IpnProvenance.untrustedReason(Map.<String, String>of()::get)).isPresent();
        assertThat(IpnProvenance.untrustedReason(Map.of(HeaderNames.IPN_SOURCE, "manual")::get)).isPresent();
        // a signature form alone does not make an unknown source trusted
        assertThat(IpnProvenance.untrustedReason(Map.of(HeaderNames.IPN_SIGNATURE_FORM, "deep-sorted")::get))
                .isPresent();
    }

    @Test
    void aRedriveOrAReconciliationIsARetryOnPurposeAndAFirstGatewayDeliveryIsNot() {
        Map<String, String> redriven = new HashMap<>(IpnProvenance.verifiedByGateway(SignatureForm.DEEP_SORTED, "x"));
        assertThat(IpnProvenance.retriedOnPurpose(redriven::get)).isFalse();
        redriven.put(HeaderNames.IPN_REDRIVEN_AT, "2025-06-02T00:00:00Z");
        assertThat(IpnProvenance.retriedOnPurpose(redriven::get)).isTrue();
        assertThat(IpnProvenance.retriedOnPurpose(IpnProvenance.fromReconciliation()::get)).isTrue();
        assertThat(IpnProvenance.retriedOnPurpose(Map.<String, String>of()::get)).isFalse();
    }

    @Test
    void onlyAReconciliationRecordNamingThisPaymentAcceptsARepeatedDeposit() {
        assertThat(IpnProvenance.repeatedDepositAccepted(IpnProvenance.acceptingRepeatedDeposit(42)::get, 42)).isTrue();
        // another payment's decision decides nothing for this one
        assertThat(IpnProvenance.repeatedDepositAccepted(IpnProvenance.acceptingRepeatedDeposit(41)::get, 42))
                .isFalse();
        assertThat(IpnProvenance.repeatedDepositAccepted(IpnProvenance.fromReconciliation()::get, 42)).isFalse();
        // a gateway record never carries the decision, whatever its headers say
        Map<String, String> gateway = new HashMap<>(IpnProvenance.verifiedByGateway(SignatureForm.DEEP_SORTED, "x"));
        gateway.put(HeaderNames.IPN_ACCEPT_REPEATED_DEPOSIT, "42");
        assertThat(IpnProvenance.repeatedDepositAccepted(gateway::get, 42)).isFalse();
    }
}
