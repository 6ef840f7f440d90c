package io.mattepipe.app;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;

import java.util.Map;

/**
 * The first handler of every HTTP request, on platform-http's Vert.x router: a path or query
 * parameter with a NUL, CR or LF byte is refused (400) before any route sees it, and HEAD is
 * answered as the GET of the same path without its body (Camel's REST endpoints accept GET only;
 * {@link HeadRequests} drops the body); then {@link AccessControl} decides who is asking. Installed
 * when the routes start, once the HTTP server exists.
 */
public final class RequestHygiene extends EventNotifierSupport {

    private final HeadRequests heads;
    private final AccessControl access;

    public RequestHygiene(HeadRequests heads, AccessControl access) {
        this.heads = heads;
        this.access = access;
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        return event instanceof CamelEvent.CamelContextRoutesStartingEvent;
    }

    @Override
    public void notify(CamelEvent event) {
        CamelContext context = ((CamelEvent.CamelContextRoutesStartingEvent) event).getContext();
        VertxPlatformHttpRouter router = mainRouter(context);
        if (router != null) {
            router.route().order(Integer.MIN_VALUE).handler(this::handle);
            access.install(router);
        }
    }

    /** The router of the main HTTP server, the one platform-http's consumers use; null without HTTP. */
    static VertxPlatformHttpRouter mainRouter(CamelContext context) {
        return context.getRegistry().findByType(VertxPlatformHttpRouter.class).stream()
                .filter(VertxPlatformHttpRouter::isMainServer).findFirst().orElse(null);
    }

    private void handle(RoutingContext context) {
        HttpServerRequest request = context.request();
        String bad = badByteIn(request);
        if (bad != null) {
            context.response().setStatusCode(400).putHeader("Content-Type", "application/json")
                    .end(new JsonObject().put("error", bad + " holds a NUL, CR or LF character").encode());
            return;
        }
        if (request.method() == HttpMethod.HEAD && !context.get("rerouted", false)) {
            context.put("rerouted", true);
            HttpServerResponse response = context.response();
            heads.add(response);
            context.addEndHandler(ended -> heads.remove(response));
            context.reroute(HttpMethod.GET, request.uri());
            return;
        }
        context.next();
    }

    /** Which part of the request holds a control byte that must never reach a header, a log line or SQL. */
    private static String badByteIn(HttpServerRequest request) {
        if (hasBadByte(request.path()) || hasBadByte(context(request))) {
            return "the path";
        }
        for (Map.Entry<String, String> parameter : request.params()) {
            if (hasBadByte(parameter.getKey()) || hasBadByte(parameter.getValue())) {
                return "parameter '" + parameter.getKey().replaceAll("[\\x00\\r\\n]", "?") + "'";
            }
        }
        return null;
    }

    /** The decoded path: {@code %00} is only a NUL once decoded. */
    private static String context(HttpServerRequest request) {
        try {
            return java.net.URLDecoder.decode(request.path().replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
            return "\0";
        }
    }

    private static boolean hasBadByte(String text) {
        return text != null && (text.indexOf('\0') >= 0 || text.indexOf('\r') >= 0 || text.indexOf('\n') >= 0);
    }
}
