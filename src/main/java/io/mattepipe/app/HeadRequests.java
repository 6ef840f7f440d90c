package io.mattepipe.app;

import io.vertx.core.http.HttpServerResponse;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.NamedNode;
import org.apache.camel.Route;
import org.apache.camel.component.platform.http.vertx.HttpMessage;
import org.apache.camel.spi.RoutePolicy;
import org.apache.camel.spi.RoutePolicyFactory;
import org.apache.camel.support.RoutePolicySupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Closeable;
import java.io.IOException;
import java.util.Collections;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A HEAD request, which {@link RequestHygiene} serves as the GET of its path, gets that GET's
 * status and headers and no body. Vert.x leaves out a HEAD's body over HTTP/1.1 only; over HTTP/2
 * (h2c) it sends what it is given. So the body is dropped before platform-http writes it, when the
 * route that took the request is done: a streamed one (the results zip) is closed, and its writer
 * stops as when a client goes away.
 */
public final class HeadRequests implements RoutePolicyFactory {

    private static final Logger LOG = LoggerFactory.getLogger(HeadRequests.class);
    private static final String HEAD = "mattepipe.head";

    /** The responses of HEAD requests in progress (removed when each ends). */
    private final Set<HttpServerResponse> heads = Collections.newSetFromMap(new ConcurrentHashMap<>());

    /** A HEAD request's response, until it ends. */
    void add(HttpServerResponse response) {
        heads.add(response);
    }

    void remove(HttpServerResponse response) {
        heads.remove(response);
    }

    @Override
    public RoutePolicy createRoutePolicy(CamelContext context, String routeId, NamedNode route) {
        return new RoutePolicySupport() {
            @Override
            public void onExchangeBegin(Route route, Exchange exchange) {
                if (exchange.getIn() instanceof HttpMessage http && heads.contains(http.getResponse())) {
                    exchange.setProperty(HEAD, true);
                }
            }

            @Override
            public void onExchangeDone(Route route, Exchange exchange) {
                // the route that took the request, not a direct: route it called on the way
                if (!exchange.getProperty(HEAD, false, Boolean.class) || !route.getRouteId().equals(exchange.getFromRouteId())) {
                    return;
                }
                if (exchange.getMessage().getBody() instanceof Closeable stream) {
                    try {
                        stream.close();
                    } catch (IOException e) {
                        LOG.warn("HEAD {}: the GET's streamed body could not be closed: {}", exchange.getFromEndpoint(), e.toString());
                    }
                }
                // without a body and a status platform-http answers 204: the GET's status stands
                if (exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE) == null) {
                    exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
                }
                exchange.getMessage().setBody(null);
            }
        };
    }
}
