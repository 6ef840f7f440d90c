package io.mattepipe.app;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.mattepipe.app.AccessTestClient.JSON;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Single sign-on against a real OpenID Connect issuer (mock-oauth2-server, started here): its
 * bearer JWTs name the owner and, through a group, an admin; every other token is refused.
 */
class OidcAccessTest {

    static final String AUDIENCE = "mattepipe";
    static final String ADMINS = "mattepipe-admins";

    @TempDir
    static Path root;

    private static MockOAuth2Server issuer;
    private static RunningApp app;
    private static AccessTestClient client;

    @BeforeAll
    static void start() throws Exception {
        issuer = new MockOAuth2Server();
        issuer.start();
        app = RunningApp.start(root.resolve("data"), settings(issuer));
        client = new AccessTestClient(app, "198.51.100.30");
    }

    /** The service's settings for single sign-on through {@code issuer}'s issuer "default". */
    static Map<String, String> settings(MockOAuth2Server issuer) {
        return Map.of("inbox.enabled", "false", "http.trusted-proxies", "127.0.0.1",
                "auth.oidc.issuer", issuer.issuerUrl("default").toString(), "auth.oidc.audience", AUDIENCE,
                "auth.oidc.client-id", "mattepipe-page", "auth.oidc.admin-role", ADMINS, "auth.max-failures", "100");
    }

    @AfterAll
    static void stop() {
        app.close();
        issuer.shutdown();
    }

    private static String token(String subject, String audience, Map<String, Object> claims, long expirySeconds) {
        return issuer.issueToken("default", subject, audience, claims, expirySeconds).serialize();
    }

    @Test
    void theIssuersTokensNameTheOwnerAndOnlyTheOwnerSeesTheJob() throws Exception {
        String alice = token("alice", AUDIENCE, Map.of(), 3600);
        String bob = token("bob", AUDIENCE, Map.of(), 3600);
        String boss = token("boss", AUDIENCE, Map.of("groups", List.of(ADMINS)), 3600);
        String job = client.finishedJob(client.upload(alice, "sso.png"), alice);
        assertEquals("alice", JSON.readTree(client.get("/status/" + job, alice).body()).get("owner").asText());
        assertEquals(404, client.get("/status/" + job, bob).statusCode());
        assertFalse(client.get("/jobs", bob).body().contains(job));
        assertEquals(200, client.get("/status/" + job, boss).statusCode(), "the admin group sees every job");
        assertEquals(403, client.get("/metrics", alice).statusCode());
        assertEquals(200, client.get("/metrics", boss).statusCode());
        assertEquals(401, client.send("GET", "/jobs").statusCode(), "an issuer alone makes credentials necessary");
    }

    @Test
    void forgedExpiredMisdirectedAndUnsignedTokensAreRefused() throws Exception {
        SignedJWT genuine = issuer.issueToken("default", "mallory", AUDIENCE, Map.of("groups", List.of(ADMINS)), 3600);
        RSAKey ours = new RSAKeyGenerator(2048).keyID(genuine.getHeader().getKeyID()).generate();
        SignedJWT forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(ours.getKeyID())
                .type(JOSEObjectType.JWT).build(), genuine.getJWTClaimsSet());
        forged.sign(new RSASSASigner(ours));
        Map<String, String> refused = Map.of(
                "forged (signed with another key)", forged.serialize(),
                "expired", token("mallory", AUDIENCE, Map.of(), -600),
                "for another audience", token("mallory", "another-app", Map.of(), 3600),
                "of another issuer", issuer.issueToken("elsewhere", "mallory", AUDIENCE, Map.of(), 3600).serialize(),
                "alg none", new PlainJWT(genuine.getJWTClaimsSet()).serialize(),
                "truncated", genuine.serialize().substring(0, genuine.serialize().length() - 5));
        for (Map.Entry<String, String> token : refused.entrySet()) {
            HttpResponse<String> answer = client.get("/jobs", token.getValue());
            assertEquals(401, answer.statusCode(), token.getKey() + ": " + answer.body());
            assertTrue(answer.headers().firstValue("WWW-Authenticate").orElse("").contains("invalid_token"), token.getKey());
        }
        assertEquals(200, client.get("/jobs", genuine.serialize()).statusCode(), "the genuine token works");
    }
}
