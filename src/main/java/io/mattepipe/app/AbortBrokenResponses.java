package io.mattepipe.app;

import org.apache.camel.CamelContext;
import org.apache.camel.ExtendedStartupListener;
import org.apache.camel.component.platform.http.main.MainHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A streamed response (the results zip) that fails after its status and first bytes were sent
 * must not end like a complete one: Vert.x's own handling ends the chunked body cleanly, and the
 * client keeps a short file with status 200. This failure handler resets the connection instead,
 * so the client sees an error; a failure before the head was sent goes on to the usual error answer.
 */
final class AbortBrokenResponses implements ExtendedStartupListener {

    private static final Logger LOG = LoggerFactory.getLogger(AbortBrokenResponses.class);

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        // the HTTP server is a service of the context, started with it: see below
    }

    @Override
    public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
        MainHttpServer server = context.hasService(MainHttpServer.class);
        if (server == null) {
            return; // no HTTP server (batch, evaluate)
        }
        // the router the platform-http consumers add their routes to, as they look it up
        VertxPlatformHttpRouter router = VertxPlatformHttpRouter.lookup(context,
                VertxPlatformHttpRouter.getRouterNameFromPort(server.getPort()));
        router.route().failureHandler(routing -> {
            if (routing.response().headWritten()) {
                LOG.warn("{} {}: failed after the response began; connection reset so the client sees the failure: {}",
                        routing.request().method(), routing.request().path(), ErrorText.of(routing.failure()));
                routing.response().reset();
            } else {
                routing.next();
            }
        });
    }
}
