package io.replaybuffer.platform.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.replaybuffer.testing.StandardWebhooksVerifier;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The signer against the Standard Webhooks specification's published test vector, and the tests' own verifier against
 * the same vector, so the receiver in the delivery tests checks signatures by the specification and not by our code.
 */
class WebhookSignerTest {

    // The vector every library of the specification is tested with: standard-webhooks/standard-webhooks,
    // libraries/go/webhook_test.go TestWebhookSign (the same in libraries/javascript/src/webhook.test.ts,
    // libraries/php/tests/WebhookTest.php and libraries/csharp/StandardWebhooks.Tests/WebhookTest.cs).
    static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    static final String ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    static final long TIMESTAMP = 1614265330;
    static final String PAYLOAD = "{\"test\": 2432232314}";
    static final String SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    @Test
    void signsThePublishedVector() {
        assertThat(WebhookSigner.of(SECRET).sign(ID, TIMESTAMP, PAYLOAD)).isEqualTo(SIGNATURE);
    }

    @Test
    void theTestVerifierAcceptsThePublishedVectorAndNothingElse() {
        StandardWebhooksVerifier verifier = new StandardWebhooksVerifier(SECRET);
        Instant then = Instant.ofEpochSecond(TIMESTAMP);
        assertThat(verifier.signature(ID + "." + TIMESTAMP + "." + PAYLOAD)).isEqualTo(SIGNATURE.substring(3));
        assertThat(verifier.verify(ID, Long.toString(TIMESTAMP), PAYLOAD, SIGNATURE, then)).isTrue();
        assertThat(verifier.verify(ID, Long.toString(TIMESTAMP), PAYLOAD, "v1a,xyz " + SIGNATURE, then)).isTrue();
        assertThat(verifier.verify(ID, Long.toString(TIMESTAMP), PAYLOAD + " ", SIGNATURE, then)).isFalse();
        assertThat(verifier.verify(ID, Long.toString(TIMESTAMP + 1), PAYLOAD, SIGNATURE, then)).isFalse();
        assertThat(verifier.verify(ID, Long.toString(TIMESTAMP), PAYLOAD, SIGNATURE, then.plusSeconds(301)))
                .as("older than the five-minute tolerance").isFalse();
    }

    @Test
    void aSecretMustBeWhsecBase64OfAtLeast16Bytes() {
        assertThatThrownBy(() -> WebhookSigner.of("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"))
                .isInstanceOf(InvalidWebhookSettingsException.class).hasMessageContaining("whsec_");
        assertThatThrownBy(() -> WebhookSigner.of("whsec_not*base64"))
                .isInstanceOf(InvalidWebhookSettingsException.class).hasMessageContaining("base64");
        assertThatThrownBy(() -> WebhookSigner.of("whsec_c2hvcnQ="))
                .isInstanceOf(InvalidWebhookSettingsException.class).hasMessageContaining("16 bytes");
        assertThatThrownBy(() -> WebhookSigner.of(null)).isInstanceOf(InvalidWebhookSettingsException.class);
    }
}
