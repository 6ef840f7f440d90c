package io.mattepipe.access;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * An OpenID Connect issuer: bearer JWTs checked against its published keys (signature, issuer,
 * audience, expiry), and the page's sign-in through it (authorization code with PKCE). The
 * issuer's discovery document is read when it is first needed, so the service starts even while
 * the issuer does not answer yet.
 */
public final class OidcIssuer {

    /** What {@code auth.oidc.*} sets. */
    public record Settings(String issuer, String audience, String clientId, String clientSecret,
                           String ownerClaim, String rolesClaim, String adminRole) {
    }

    /** The parts of the discovery document used here. */
    private record Endpoints(URI authorization, URI token, DefaultJWTProcessor<SecurityContext> accessTokens,
                             DefaultJWTProcessor<SecurityContext> idTokens) {
    }

    private static final Set<JWSAlgorithm> SIGNATURES = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384,
            JWSAlgorithm.RS512, JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512, JWSAlgorithm.ES256,
            JWSAlgorithm.ES384, JWSAlgorithm.ES512, JWSAlgorithm.EdDSA);

    private final Settings settings;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private final ObjectMapper json = new ObjectMapper();
    private volatile Endpoints endpoints;

    public OidcIssuer(Settings settings) {
        if (settings.clientId().isBlank() && settings.audience().isBlank()) {
            throw new IllegalArgumentException("auth.oidc.issuer is set: set auth.oidc.audience (what its access tokens are for)"
                    + " or auth.oidc.client-id (the page's sign-in)");
        }
        this.settings = settings;
    }

    /** Whether the page can sign in through the issuer (a client id is configured). */
    public boolean signInEnabled() {
        return !settings.clientId().isBlank();
    }

    /** The caller a bearer JWT stands for; an exception says why it is not accepted. */
    public Caller verify(String jwt, String client) throws Exception {
        return caller(endpoints().accessTokens().process(jwt, null), client);
    }

    /** Where to send the browser to sign in: the authorization endpoint with PKCE's S256 challenge. */
    public URI authorization(URI redirect, String state, String nonce, String verifier) throws IOException, InterruptedException {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("response_type", "code");
        query.put("client_id", settings.clientId());
        query.put("redirect_uri", redirect.toString());
        query.put("scope", "openid profile email");
        query.put("state", state);
        query.put("nonce", nonce);
        query.put("code_challenge", challenge(verifier));
        query.put("code_challenge_method", "S256");
        URI endpoint = endpoints().authorization();
        return URI.create(endpoint + (endpoint.getRawQuery() == null ? "?" : "&") + form(query));
    }

    /** Exchanges the code of a finished sign-in for its ID token and the caller it names. */
    public Caller exchange(String code, URI redirect, String verifier, String nonce, String client) throws Exception {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("grant_type", "authorization_code");
        fields.put("code", code);
        fields.put("redirect_uri", redirect.toString());
        fields.put("client_id", settings.clientId());
        fields.put("code_verifier", verifier);
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoints().token()).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(fields)));
        if (!settings.clientSecret().isBlank()) {
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    (encode(settings.clientId()) + ":" + encode(settings.clientSecret())).getBytes(StandardCharsets.UTF_8)));
        }
        HttpResponse<String> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 200) {
            throw new IOException("the issuer's token endpoint answered " + answer.statusCode());
        }
        JsonNode tokens = json.readTree(answer.body());
        if (!tokens.hasNonNull("id_token")) {
            throw new IOException("the issuer's answer has no id_token");
        }
        JWTClaimsSet claims = endpoints().idTokens().process(tokens.get("id_token").asText(), null);
        if (!nonce.equals(claims.getStringClaim("nonce"))) {
            throw new SecurityException("the ID token's nonce is not the one this sign-in sent");
        }
        return caller(claims, client);
    }

    private Caller caller(JWTClaimsSet claims, String client) {
        Object owner = claims.getClaim(settings.ownerClaim());
        if (owner == null || owner.toString().isBlank()) {
            throw new SecurityException("the token has no claim '" + settings.ownerClaim() + "' (auth.oidc.owner-claim) to name its owner");
        }
        return new Caller(owner.toString(), !settings.adminRole().isBlank() && roles(claims).contains(settings.adminRole()), client);
    }

    /** The roles or groups at {@code auth.oidc.roles-claim}, a dotted path such as Keycloak's {@code realm_access.roles}. */
    private Set<String> roles(JWTClaimsSet claims) {
        Object value = claims.getClaims();
        for (String part : settings.rolesClaim().split("\\.")) {
            value = value instanceof Map<?, ?> map ? map.get(part) : null;
        }
        if (value instanceof Collection<?> list) {
            return list.stream().map(String::valueOf).collect(Collectors.toSet());
        }
        return value == null ? Set.of() : Set.of(value.toString().split("[ ,]+"));
    }

    private Endpoints endpoints() throws IOException, InterruptedException {
        Endpoints known = endpoints;
        if (known != null) {
            return known;
        }
        String issuer = settings.issuer().replaceAll("/+$", "");
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(issuer + "/.well-known/openid-configuration"))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 200) {
            throw new IOException("the issuer's discovery document answered " + answer.statusCode());
        }
        JsonNode document = json.readTree(answer.body());
        if (!settings.issuer().equals(document.path("issuer").asText()) && !issuer.equals(document.path("issuer").asText())) {
            throw new IOException("the discovery document names issuer '" + document.path("issuer").asText()
                    + "', not auth.oidc.issuer=" + settings.issuer());
        }
        JWKSource<SecurityContext> keys = JWKSourceBuilder.create(URI.create(document.path("jwks_uri").asText()).toURL()).build();
        String tokenIssuer = document.path("issuer").asText();
        String audience = settings.audience().isBlank() ? settings.clientId() : settings.audience();
        known = new Endpoints(URI.create(document.path("authorization_endpoint").asText()),
                URI.create(document.path("token_endpoint").asText()),
                processor(keys, tokenIssuer, audience), processor(keys, tokenIssuer, settings.clientId()));
        endpoints = known;
        return known;
    }

    private static DefaultJWTProcessor<SecurityContext> processor(JWKSource<SecurityContext> keys, String issuer, String audience) {
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(SIGNATURES, keys));
        processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(audience,
                new JWTClaimsSet.Builder().issuer(issuer).build(), new HashSet<>(List.of("sub", "exp", "iat"))));
        return processor;
    }

    private static String challenge(String verifier) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Credentials.sha256(verifier));
    }

    private static String form(Map<String, String> fields) {
        return fields.entrySet().stream().map(field -> encode(field.getKey()) + "=" + encode(field.getValue()))
                .collect(Collectors.joining("&"));
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
