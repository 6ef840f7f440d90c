package io.mattepipe.webhook;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;

/**
 * What proves a webhook call came from this service, in Stripe's style: the header
 * {@code X-Mattepipe-Signature: t=UNIX,v1=HEX}, HEX being the HMAC-SHA256 of {@code UNIX + "." + BODY}
 * with the signing secret. The time stamp inside the signed text lets a receiver refuse a replay.
 */
public final class WebhookSignature {

    /** The request header that carries the signature. */
    public static final String HEADER = "X-Mattepipe-Signature";

    private final SecretKeySpec key;

    public WebhookSignature(String secret) {
        if (secret == null || secret.isBlank()) {
            throw new IllegalArgumentException("a webhook signing secret must not be blank");
        }
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    /** The header's value for {@code body} sent at {@code unixSeconds}. */
    public String header(long unixSeconds, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            byte[] digest = mac.doFinal((unixSeconds + "." + body).getBytes(StandardCharsets.UTF_8));
            return "t=" + unixSeconds + ",v1=" + HexFormat.of().formatHex(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
