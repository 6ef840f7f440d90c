package io.mattepipe.app;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** HTTPS straight from PEM files: the service answers over TLS with HSTS and Secure cookies. */
class ServerTlsTest {

    @RegisterExtension
    final RunningApps apps = new RunningApps();

    @TempDir
    Path temp;

    @Test
    void servesHttpsFromPemFilesWithStrictTransportSecurity() throws Exception {
        Path cert = temp.resolve("cert.pem");
        Path key = temp.resolve("key.pem");
        selfSigned(cert, key);
        Path data = temp.resolve("data");
        String apiKey = AccessTestClient.keys(data, "create", "erin");
        RunningApp app = apps.start(data, Map.of("inbox.enabled", "false",
                "server.tls.cert-file", cert.toString(), "server.tls.key-file", key.toString()));
        HttpClient https = HttpClient.newBuilder().sslContext(trusting(cert)).build();
        URI base = URI.create("https://localhost:" + app.port);

        HttpResponse<String> health = https.send(HttpRequest.newBuilder(base.resolve("/health")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, health.statusCode());
        assertTrue(health.headers().firstValue("Strict-Transport-Security").orElse("").startsWith("max-age="));
        HttpResponse<String> session = https.send(HttpRequest.newBuilder(base.resolve("/auth/session")).header("X-Api-Key", apiKey)
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, session.statusCode(), session.body());
        assertTrue(session.headers().firstValue("Set-Cookie").orElse("").contains("Secure"), "the session cookie travels over HTTPS only");
        assertThrows(java.io.IOException.class, () -> app.get("/health"), "plain HTTP is not served on the TLS port");
    }

    /** A self-signed certificate for localhost and its PKCS#8 key, by openssl; skipped without it. */
    private static void selfSigned(Path cert, Path key) throws Exception {
        Process openssl;
        try {
            openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost",
                    "-keyout", key.toString(), "-out", cert.toString()).redirectErrorStream(true).start();
        } catch (java.io.IOException absent) {
            String reason = "skipped: openssl is absent (" + absent.getMessage() + ")";
            System.out.println(reason);
            Assumptions.abort(reason);
            return;
        }
        String output = new String(openssl.getInputStream().readAllBytes());
        assertEquals(0, openssl.waitFor(), output);
        assertTrue(Files.readString(key).contains("BEGIN PRIVATE KEY"), "openssl wrote a PKCS#8 key");
    }

    private static SSLContext trusting(Path cert) throws Exception {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        try (InputStream in = Files.newInputStream(cert)) {
            trusted.setCertificateEntry("server", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }
}
