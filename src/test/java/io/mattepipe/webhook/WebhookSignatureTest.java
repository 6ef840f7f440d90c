package io.mattepipe.webhook;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class WebhookSignatureTest {

    @Test
    void theHeaderIsTheHmacSha256OfTheTimeStampADotAndTheBody() {
        // printf '%s' '1700000000.{"id":"e1"}' | openssl dgst -sha256 -hmac whsec_vector
        assertEquals("t=1700000000,v1=e83a81c5bad2b8079f88b054e02e7770589284b430b74a7c8774bd9af0fae2fc",
                new WebhookSignature("whsec_vector").header(1_700_000_000L, "{\"id\":\"e1\"}"));
    }

    @Test
    void aBlankSecretIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new WebhookSignature(" "));
    }

    @Test
    void theWaitDoublesAfterEachFailedCallUpToTheMaximum() {
        WebhookDeliveries deliveries = new WebhookDeliveries(null, null, new WebhookDeliveries.Policy(100,
                Duration.ofSeconds(10), Duration.ofHours(1), Duration.ofMinutes(1), 100), null);
        assertEquals(Duration.ofSeconds(10), deliveries.backoff(1));
        assertEquals(Duration.ofSeconds(20), deliveries.backoff(2));
        assertEquals(Duration.ofSeconds(2560), deliveries.backoff(9));
        assertEquals(Duration.ofHours(1), deliveries.backoff(10));
        assertEquals(Duration.ofHours(1), deliveries.backoff(100), "no overflow past the maximum");
    }
}
