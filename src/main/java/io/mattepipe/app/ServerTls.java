package io.mattepipe.app;

import org.apache.camel.CamelContext;
import org.apache.camel.support.jsse.KeyManagersParameters;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.apache.camel.support.jsse.SSLContextParameters;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * HTTPS straight from the PEM files operators have ({@code server.tls.cert-file}, a certificate
 * chain, and {@code server.tls.key-file}, a PKCS#8 key): read into a key store in memory and made
 * the context's SSL parameters, which the HTTP server takes
 * ({@code camel.server.useGlobalSslContextParameters}, set by {@link MattepipeApplication}).
 */
final class ServerTls {

    private static final String CERT_FILE = "server.tls.cert-file";

    private ServerTls() {
    }

    /** Adds what the HTTP server needs for TLS to the start-up settings, when the files are set. */
    static void enableIfConfigured(Map<String, String> settings) {
        String cert = settings.containsKey(CERT_FILE) ? settings.get(CERT_FILE) : Settings.load().get(CERT_FILE);
        if (!cert.isBlank()) {
            settings.put("camel.server.useGlobalSslContextParameters", "true");
        }
    }

    /** Makes the PEM files the context's SSL parameters; false when neither is set. */
    static boolean configure(CamelContext context, String certFile, String keyFile) {
        if (certFile.isBlank() && keyFile.isBlank()) {
            return false;
        }
        if (certFile.isBlank() || keyFile.isBlank()) {
            throw new StartupException("server.tls.cert-file and server.tls.key-file go together: set both for HTTPS, or neither");
        }
        KeyStore store;
        try {
            store = keyStore(Path.of(certFile), Path.of(keyFile));
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            throw new StartupException("server.tls.cert-file=" + certFile + ", server.tls.key-file=" + keyFile
                    + ": not a PEM certificate chain and PKCS#8 key (" + ErrorText.of(e) + ")", e);
        }
        KeyStoreParameters storeParameters = new KeyStoreParameters();
        storeParameters.setKeyStore(store);
        KeyManagersParameters keyManagers = new KeyManagersParameters();
        keyManagers.setKeyStore(storeParameters);
        keyManagers.setKeyPassword("");
        SSLContextParameters ssl = new SSLContextParameters();
        ssl.setKeyManagers(keyManagers);
        context.setSSLContextParameters(ssl);
        return true;
    }

    private static KeyStore keyStore(Path certFile, Path keyFile) throws IOException, GeneralSecurityException {
        List<? extends Certificate> chain;
        try (InputStream in = Files.newInputStream(certFile)) {
            chain = List.copyOf(CertificateFactory.getInstance("X.509").generateCertificates(in));
        }
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("no certificate in " + certFile);
        }
        String pem = Files.readString(keyFile);
        if (!pem.contains("-----BEGIN PRIVATE KEY-----")) {
            throw new IllegalArgumentException("the key is not PKCS#8 (BEGIN PRIVATE KEY); convert it with openssl pkcs8 -topk8 -nocrypt");
        }
        byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
        PrivateKey key = privateKey(der, chain.get(0).getPublicKey().getAlgorithm());
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("server", key, new char[0], chain.toArray(new Certificate[0]));
        return store;
    }

    private static PrivateKey privateKey(byte[] der, String algorithm) throws GeneralSecurityException {
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
    }
}
