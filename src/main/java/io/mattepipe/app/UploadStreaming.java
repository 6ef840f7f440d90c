package io.mattepipe.app;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.support.RoutePolicySupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * Serves {@code POST /upload} on platform-http's Vert.x server while the upload route runs: the
 * {@link UploadReceiver} streams the body to disk, then the route (whose endpoint is a
 * {@code direct:}) records the job, on a thread of Camel's, and its message is the answer. A route
 * policy, so that the upload route's YAML names it.
 *
 * <p>Not a platform-http consumer: platform-http holds a Vert.x worker thread for the whole
 * exchange, and its request-body handlers cannot start a route on a body that was already read.
 */
public final class UploadStreaming extends RoutePolicySupport {

    private static final Logger LOG = LoggerFactory.getLogger(UploadStreaming.class);

    private final UploadReceiver receiver;
    private final String path;
    private Route vertxRoute;

    public UploadStreaming(UploadReceiver receiver, String path) {
        this.receiver = receiver;
        this.path = path;
    }

    @Override
    public synchronized void onStart(org.apache.camel.Route route) {
        VertxPlatformHttpRouter router = RequestHygiene.mainRouter(route.getCamelContext());
        if (router == null) {
            throw new IllegalStateException("route " + route.getRouteId() + " needs the platform-http server (camel.server.enabled=true)");
        }
        Endpoint endpoint = route.getEndpoint();
        ProducerTemplate template = route.getCamelContext().createProducerTemplate();
        UploadReceiver.Recorder recorder = job -> record(template, endpoint, job);
        vertxRoute = router.route(HttpMethod.POST, path).handler(context -> receiver.handle(context, recorder));
    }

    @Override
    public synchronized void onStop(org.apache.camel.Route route) {
        if (vertxRoute != null) {
            vertxRoute.remove();
            vertxRoute = null;
        }
    }

    private static CompletionStage<UploadReceiver.Answer> record(ProducerTemplate template, Endpoint endpoint,
                                                                 Map<String, Object> job) {
        Exchange exchange = endpoint.createExchange();
        exchange.getIn().setBody(job);
        return template.asyncSend(endpoint, exchange).thenApply(done -> {
            if (done.getException() != null) {
                LOG.error("upload of job {}: the upload route failed", job.get("jobId"), done.getException());
                return new UploadReceiver.Answer(500, "application/json", null,
                        "{\"error\":\"internal error; the server log has the details\"}");
            }
            Message answer = done.getMessage();
            return new UploadReceiver.Answer(answer.getHeader(Exchange.HTTP_RESPONSE_CODE, 200, Integer.class),
                    answer.getHeader(Exchange.CONTENT_TYPE, "application/json", String.class),
                    answer.getHeader("Retry-After", String.class), answer.getBody(String.class));
        });
    }
}
