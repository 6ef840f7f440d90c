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

    /** README, "HTTP API": the headers a response may carry. */
    static final Set<String> DOCUMENTED = Set.of("content-type", "content-disposition", "content-length",
            "cache-control", "etag", "last-modified", "retry-after");

    @Override
    public boolean applyFilterToCamelHeaders(String headerName, Object headerValue, Exchange exchange) {
        return !DOCUMENTED.contains(headerName.toLowerCase(Locale.ROOT));
    }
}
