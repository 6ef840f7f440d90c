package io.mattepipe.app;

import io.mattepipe.access.ApiKeys;
import io.mattepipe.access.AuditLog;
import io.mattepipe.access.Caller;
import io.mattepipe.access.Credentials;
import io.mattepipe.access.OidcIssuer;
import io.mattepipe.access.Sessions;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;

/**
 * The page's sign-in, on the HTTP edge because it sets cookies and redirects: with a key
 * ({@code POST /auth/session}), or through the issuer ({@code GET /auth/login}, then the issuer
 * sends the browser to {@code GET /auth/callback}: authorization code with PKCE, the state, nonce
 * and verifier kept in a short-lived HttpOnly cookie, so any gateway of a cluster can finish a
 * sign-in another one began). {@code GET /auth/me} says who is signed in, {@code POST /auth/logout}
 * ends the session.
 */
final class SignIn {

    private static final Logger LOG = LoggerFactory.getLogger(SignIn.class);

    private static final String PENDING = "mattepipe_signin";

    private final AccessControl access;
    private final ApiKeys keys;
    private final Sessions sessions;
    private final OidcIssuer issuer;
    private final AuditLog audit;
    private final ClientAddresses clients;
    private final boolean tls;

    SignIn(AccessControl access, ApiKeys keys, Sessions sessions, OidcIssuer issuer, AuditLog audit,
           ClientAddresses clients, boolean tls) {
        this.access = access;
        this.keys = keys;
        this.sessions = sessions;
        this.issuer = issuer;
        this.audit = audit;
        this.clients = clients;
        this.tls = tls;
    }

    void install(Router router) {
        router.route(HttpMethod.GET, "/auth/config").handler(this::config);
        router.route(HttpMethod.GET, "/auth/me").handler(this::me);
        router.route(HttpMethod.POST, "/auth/session").handler(this::withKey);
        router.route(HttpMethod.POST, "/auth/logout").handler(this::logout);
        router.route(HttpMethod.GET, "/auth/login").handler(this::login);
        router.route(HttpMethod.GET, "/auth/callback").handler(this::callback);
    }

    /** What the page offers: a key field always, the issuer's button when one is configured. */
    private void config(RoutingContext context) {
        context.vertx().executeBlocking(() -> new JsonObject().put("sso", issuer != null && issuer.signInEnabled())
                .put("credentials_required", access.credentialsRequired()), false).onComplete(done -> {
            if (done.succeeded()) {
                json(context, 200, done.result());
            } else {
                failed(context, "the sign-in settings could not be read", done.cause());
            }
        });
    }

    /** Who the request's credential names: the page shows it, and asks for a credential on 401. */
    private void me(RoutingContext context) {
        Caller caller = AccessControl.caller(context);
        json(context, 200, new JsonObject().put("name", caller.name()).put("admin", caller.admin()));
    }

    /**
     * Opens a session for the key in {@code Authorization: Bearer} or {@code X-Api-Key}, which
     * {@link AccessControl} has checked (and counted against the client if it was wrong).
     */
    private void withKey(RoutingContext context) {
        Caller caller = AccessControl.caller(context);
        String key = AccessControl.credentialOf(context.request());
        if (caller == null || key == null) {
            AccessControl.refuse(context, 400, "send the key as Authorization: Bearer KEY or X-Api-Key: KEY", null);
            return;
        }
        context.vertx().executeBlocking(() -> {
            String keyName = keys.verify(key).map(ApiKeys.Key::name).orElse(null);
            String token = sessions.open(caller, keyName);
            audit.record(caller.name(), "sign-in", null, keyName == null ? "token" : "key", caller.client());
            return token;
        }, false).onComplete(done -> {
            if (done.succeeded()) {
                context.response().addCookie(sessionCookie(done.result()));
                json(context, 200, new JsonObject().put("name", caller.name()).put("admin", caller.admin()));
            } else {
                failed(context, "the session could not be recorded", done.cause());
            }
        });
    }

    private void logout(RoutingContext context) {
        Cookie session = context.request().getCookie(Sessions.COOKIE);
        context.vertx().executeBlocking(() -> {
            if (session != null) {
                sessions.close(session.getValue());
            }
            return null;
        }, false).onComplete(done -> {
            if (done.failed()) {
                LOG.warn("a session could not be removed from the database: {}", done.cause().toString());
            }
            context.response().addCookie(expired(Sessions.COOKIE, "/"));
            context.response().setStatusCode(204).end();
        });
    }

    private void login(RoutingContext context) {
        if (issuer == null || !issuer.signInEnabled()) {
            AccessControl.refuse(context, 404, "no single sign-on is configured (auth.oidc.issuer, auth.oidc.client-id)", null);
            return;
        }
        String state = Credentials.newSecret("");
        String nonce = Credentials.newSecret("");
        String verifier = Credentials.newSecret("");
        URI redirect = callbackUri(context);
        context.vertx().executeBlocking(() -> issuer.authorization(redirect, state, nonce, verifier), false).onComplete(done -> {
            if (done.failed()) {
                failed(context, "the issuer could not be reached", done.cause());
                return;
            }
            context.response().addCookie(Cookie.cookie(PENDING, state + "." + nonce + "." + verifier).setPath("/auth")
                    .setHttpOnly(true).setSecure(tls).setSameSite(CookieSameSite.LAX).setMaxAge(600));
            context.response().setStatusCode(302).putHeader("Location", done.result().toString()).end();
        });
    }

    private void callback(RoutingContext context) {
        Cookie pending = context.request().getCookie(PENDING);
        String state = context.request().getParam("state");
        String code = context.request().getParam("code");
        String client = clients.client(context.request());
        String[] parts = pending == null ? new String[0] : pending.getValue().split("\\.");
        if (issuer == null || parts.length != 3 || state == null || code == null
                || !Credentials.sameHash(Credentials.hash(parts[0]), Credentials.hash(state))) {
            context.vertx().executeBlocking(() -> {
                audit.record("-", "sign-in-failed", null, "issuer callback without a matching sign-in", client);
                return null;
            }, false);
            AccessControl.refuse(context, 400, "this sign-in was not started here or has expired; start again from the page", null);
            return;
        }
        URI redirect = callbackUri(context);
        context.vertx().executeBlocking(() -> {
            Caller caller;
            try {
                caller = issuer.exchange(code, redirect, parts[2], parts[1], client);
            } catch (Exception refused) {
                audit.record("-", "sign-in-failed", null, "issuer: " + refused.getMessage(), client);
                throw new AccessControl.Unauthorized("the issuer's sign-in was not accepted: " + refused.getMessage(), true);
            }
            String token = sessions.open(caller, null);
            audit.record(caller.name(), "sign-in", null, "issuer", client);
            return token;
        }, false).onComplete(done -> {
            context.response().addCookie(expired(PENDING, "/auth"));
            if (done.succeeded()) {
                context.response().addCookie(sessionCookie(done.result()));
                context.response().setStatusCode(303).putHeader("Location", "/").end();
            } else {
                answerFailure(context, done.cause());
            }
        });
    }

    private URI callbackUri(RoutingContext context) {
        return URI.create(clients.origin(context.request()) + "/auth/callback");
    }

    private Cookie sessionCookie(String token) {
        return Cookie.cookie(Sessions.COOKIE, token).setPath("/").setHttpOnly(true).setSecure(tls)
                .setSameSite(CookieSameSite.LAX).setMaxAge(sessions.lifetime().toSeconds());
    }

    private Cookie expired(String name, String path) {
        return Cookie.cookie(name, "").setPath(path).setHttpOnly(true).setSecure(tls)
                .setSameSite(CookieSameSite.LAX).setMaxAge(0);
    }

    private static void answerFailure(RoutingContext context, Throwable failure) {
        if (failure instanceof AccessControl.Throttled throttled) {
            AccessControl.refuse(context, 429, throttled.getMessage(), String.valueOf(Math.max(1, throttled.wait.toSeconds())));
        } else if (failure instanceof AccessControl.Unauthorized) {
            context.response().putHeader("WWW-Authenticate", "Bearer realm=\"mattepipe\", error=\"invalid_token\"");
            AccessControl.refuse(context, 401, failure.getMessage(), null);
        } else {
            failed(context, "the sign-in could not be recorded", failure);
        }
    }

    private static void failed(RoutingContext context, String what, Throwable failure) {
        LOG.error("{} {}: {}", context.request().method(), context.request().path(), what, failure);
        AccessControl.refuse(context, 503, what + "; try again shortly", "5");
    }

    private static void json(RoutingContext context, int status, JsonObject body) {
        context.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                .putHeader("Cache-Control", "no-store").end(body.encode());
    }
}
