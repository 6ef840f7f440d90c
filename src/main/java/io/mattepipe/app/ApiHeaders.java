package io.mattepipe.app;

import org.apache.camel.Exchange;
import org.apache.camel.http.base.HttpHeaderFilterStrategy;

import java.util.Locale;
import java.util.Set;

/**
 * What goes out as HTTP response headers: the documented ones only. Camel copies every message
 * header to the response, and the request's own headers and query parameters are message headers,
 * so without this {@code ?Set-Cookie=...} or {@code ?Location=...} came back as real headers.
 * Incoming headers are filtered as platform-http does by default (no {@code Camel*} from outside).
 */
public final class ApiHeaders extends HttpHeaderFilterStrategy {

    /**
     * README, "HTTP API": the headers a response may carry from a route. Not {@code Content-Length}:
     * Vert.x sets it from the body itself, and a message's {@code Content-Length} is the request's
     * (Java's client sends {@code Content-Length: 0} with a GET), which cut the answer to nothing.
     */
    static final Set<String> DOCUMENTED = Set.of("content-type", "content-disposition",
            "cache-control", "etag", "last-modified", "retry-after");

    @Override
    public boolean applyFilterToCamelHeaders(String headerName, Object headerValue, Exchange exchange) {
        return !DOCUMENTED.contains(headerName.toLowerCase(Locale.ROOT));
    }
}
