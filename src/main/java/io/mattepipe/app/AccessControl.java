package io.mattepipe.app;

import io.mattepipe.access.ApiKeys;
import io.mattepipe.access.AuditLog;
import io.mattepipe.access.Caller;
import io.mattepipe.access.OidcIssuer;
import io.mattepipe.access.Sessions;
import io.mattepipe.access.SignInThrottle;
import io.mattepipe.results.ReportWriter;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.User;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Who may use the HTTP API, decided once per request before any route runs: the second handler
 * on platform-http's router, installed by {@link RequestHygiene} after its own. A request carries an API key
 * ({@code Authorization: Bearer KEY} or {@code X-Api-Key}), a bearer JWT of the configured
 * issuer, or the page's session cookie; the caller it names reaches the routes as the request's
 * Vert.x user (Camel's {@code CamelVertxPlatformHttpAuthenticatedUser} header, converted to a
 * {@link Caller}). With no key and no issuer yet, loopback clients are served as the local admin
 * and no one else is. State-changing requests from another site are refused whatever they carry,
 * and every answer carries the page's security headers.
 */
public final class AccessControl {

    private static final Logger LOG = LoggerFactory.getLogger(AccessControl.class);

    /** Where the caller is kept on the routing context, for the upload receiver and the sign-in handlers. */
    static final String CALLER = "mattepipe.caller";

    /** The page and what it loads: served to anyone once credentials are needed, so that it can ask for one. */
    private static final Set<String> PAGE = Set.of("/", "/index.html", "/openapi.json", "/auth/config", "/auth/login",
            "/auth/callback", "/auth/session");

    private static final Set<String> ADMIN_ONLY = Set.of("/metrics", "/audit");

    /** The job report, whose HTML carries its own script and style (it is read from the zip as well). */
    private static final Pattern REPORT = Pattern.compile("/jobs/[^/]+/report");

    private static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self';"
            + " img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none';"
            + " form-action 'self'; frame-ancestors 'none'";

    /** Answered 401, with why. */
    static final class Unauthorized extends Exception {
        final boolean credentialSent;

        Unauthorized(String message, boolean credentialSent) {
            super(message);
            this.credentialSent = credentialSent;
        }
    }

    /** Answered 429: too many failed credentials from this client. */
    static final class Throttled extends Exception {
        final Duration wait;

        Throttled(Duration wait) {
            super("too many failed credentials from this address; try again in " + Math.max(1, wait.toSeconds()) + " s");
            this.wait = wait;
        }
    }

    private final ApiKeys keys;
    private final Sessions sessions;
    private final OidcIssuer issuer;
    private final SignInThrottle throttle;
    private final AuditLog audit;
    private final ClientAddresses clients;
    private final SignIn signIn;
    private final boolean tls;

    /** @param issuer null without single sign-on */
    public AccessControl(ApiKeys keys, Sessions sessions, OidcIssuer issuer, SignInThrottle throttle, AuditLog audit,
                         ClientAddresses clients, boolean tls) {
        this.keys = keys;
        this.sessions = sessions;
        this.issuer = issuer;
        this.throttle = throttle;
        this.audit = audit;
        this.clients = clients;
        this.tls = tls;
        this.signIn = new SignIn(this, keys, sessions, issuer, audit, clients, tls);
    }

    /** Installs the check on the main HTTP server's router, after {@link RequestHygiene}'s, and the sign-in calls. */
    void install(VertxPlatformHttpRouter router) {
        router.route().order(Integer.MIN_VALUE + 1).handler(this::handle);
        signIn.install(router);
    }

    /** The caller of a request that passed this handler. */
    static Caller caller(RoutingContext context) {
        return context.get(CALLER);
    }

    /** Whether every request needs a credential: a key exists or an issuer is configured. */
    boolean credentialsRequired() throws SQLException {
        return issuer != null || keys.any();
    }

    private void handle(RoutingContext context) {
        HttpServerRequest request = context.request();
        HttpServerResponse response = context.response();
        String path = request.path();
        context.addHeadersEndHandler(v -> securityHeaders(response, REPORT.matcher(path).matches()
                ? ReportWriter.HTML_CONTENT_SECURITY_POLICY : CONTENT_SECURITY_POLICY));
        if (path.equals("/health")) {
            context.next();
            return;
        }
        if (isStateChanging(request.method()) && isCrossSite(request)) {
            refuse(context, 403, "a state-changing request from another site is refused", null);
            return;
        }
        String client = clients.client(request);
        request.pause();
        context.vertx().executeBlocking(() -> authenticate(context, client, path), false).onComplete(done -> {
            if (done.succeeded()) {
                Caller caller = done.result();
                if (ADMIN_ONLY.contains(path) && (caller == null || !caller.admin())) {
                    refuse(context, 403, path + " is for admins", null);
                    return;
                }
                if (caller != null) {
                    context.put(CALLER, caller);
                    context.setUser(User.create(new JsonObject().put("name", caller.name())
                            .put("admin", caller.admin()).put("client", caller.client())));
                }
                context.next();
            } else if (done.cause() instanceof Throttled throttled) {
                refuse(context, 429, throttled.getMessage(), String.valueOf(Math.max(1, throttled.wait.toSeconds())));
            } else if (done.cause() instanceof Unauthorized unauthorized) {
                response.putHeader("WWW-Authenticate", "Bearer realm=\"mattepipe\""
                        + (unauthorized.credentialSent ? ", error=\"invalid_token\"" : ""));
                refuse(context, 401, unauthorized.getMessage(), null);
            } else {
                LOG.error("{} {}: the credential could not be checked", request.method(), path, done.cause());
                refuse(context, 503, "the credential could not be checked now; try again shortly", "5");
            }
        });
    }

    /**
     * The caller a request stands for; null for the page's files, which anyone may load once
     * credentials are needed (they hold nothing of anyone's).
     */
    private Caller authenticate(RoutingContext context, String client, String path) throws Exception {
        HttpServerRequest request = context.request();
        String credential = credentialOf(request);
        Cookie session = request.getCookie(Sessions.COOKIE);
        if (credential != null) {
            return verify(credential, client);
        }
        if (!credentialsRequired()) {
            if (ClientAddresses.isLoopback(client)) {
                return Caller.local(client);
            }
            throw new Unauthorized("this service answers its own host only until it has an API key or an issuer"
                    + " (java -jar mattepipe.jar keys create NAME, or auth.oidc.issuer)", false);
        }
        boolean page = PAGE.contains(path) || path.startsWith("/web/");
        Caller signedIn = session == null ? null : sessions.find(session.getValue(), client).orElse(null);
        if (signedIn != null || page) {
            return signedIn;
        }
        throw session != null ? new Unauthorized("the session has ended; sign in again", true)
                : new Unauthorized("a credential is needed: Authorization: Bearer KEY, X-Api-Key: KEY, or a token of the issuer", false);
    }

    /** The caller of a key or a bearer JWT; failures count against the client, which is then slowed down. */
    Caller verify(String credential, String client) throws Exception {
        Duration wait = throttle.waitFor(client);
        if (!wait.isZero()) {
            throw new Throttled(wait);
        }
        Caller caller = null;
        String reason = "unknown or revoked key";
        if (credential.startsWith("mp_") || issuer == null) {
            caller = keys.verify(credential).map(key -> new Caller(key.name(), key.admin(), client)).orElse(null);
        } else {
            try {
                caller = issuer.verify(credential, client);
            } catch (Exception rejected) {
                reason = "token refused: " + rejected.getMessage();
            }
        }
        if (caller == null) {
            throttle.failed(client);
            audit.record("-", "sign-in-failed", null, reason, client);
            throw new Unauthorized("the credential is not valid", true);
        }
        return caller;
    }

    /** The key or token of {@code Authorization: Bearer} or {@code X-Api-Key}; null without one. */
    static String credentialOf(HttpServerRequest request) {
        String authorization = request.getHeader("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return authorization.substring(7).trim();
        }
        String key = request.getHeader("X-Api-Key");
        return key == null || key.isBlank() ? null : key.trim();
    }

    private static boolean isStateChanging(HttpMethod method) {
        return !(method == HttpMethod.GET || method == HttpMethod.HEAD || method == HttpMethod.OPTIONS);
    }

    /**
     * A browser's request from another site: Fetch Metadata where the browser sends it, else an
     * {@code Origin} other than this service's. Clients that send neither (curl, SDKs) are no
     * browser acting for someone else.
     */
    boolean isCrossSite(HttpServerRequest request) {
        String site = request.getHeader("Sec-Fetch-Site");
        if (site != null) {
            return !site.equalsIgnoreCase("same-origin") && !site.equalsIgnoreCase("none");
        }
        String origin = request.getHeader("Origin");
        return origin != null && !origin.toLowerCase(Locale.ROOT).equals(clients.origin(request));
    }

    private void securityHeaders(HttpServerResponse response, String policy) {
        response.headers().set("X-Content-Type-Options", "nosniff")
                .set("Content-Security-Policy", policy)
                .set("X-Frame-Options", "DENY")
                .set("Referrer-Policy", "no-referrer");
        if (tls) {
            response.headers().set("Strict-Transport-Security", "max-age=31536000");
        }
    }

    static void refuse(RoutingContext context, int status, String message, String retryAfter) {
        HttpServerResponse response = context.response();
        if (response.ended() || response.closed()) {
            return;
        }
        response.setStatusCode(status).putHeader("Content-Type", "application/json");
        HttpServerRequest request = context.request();
        if (!request.isEnded()) {
            // a refused upload's body is not read: drop what comes, and end the connection with the answer
            request.handler(dropped -> { });
            request.resume();
            response.putHeader("Connection", "close");
        }
        if (retryAfter != null) {
            response.putHeader("Retry-After", retryAfter);
        }
        if (request.method() == HttpMethod.HEAD) {
            response.end();
        } else {
            response.end(new JsonObject().put("error", message).encode());
        }
    }
}
