package io.mattepipe.app;

import io.vertx.core.http.HttpServerRequest;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Where a request comes from, and which origin it was sent to: the peer's address, or behind a
 * reverse proxy whose address {@code http.trusted-proxies} names, what the proxy forwarded
 * ({@code X-Forwarded-For}, {@code -Proto}, {@code -Host}). Forwarded headers from anyone else are
 * ignored: a client could otherwise claim to be loopback, or someone else to the limits and audit.
 */
public final class ClientAddresses {

    private final Set<String> trustedProxies;
    private final boolean tls;

    /** @param trustedProxies comma-separated IP addresses; blank for none */
    public ClientAddresses(String trustedProxies, boolean tls) {
        this.trustedProxies = Arrays.stream(trustedProxies.split(",")).map(String::trim).filter(a -> !a.isEmpty())
                .map(ClientAddresses::normal).collect(Collectors.toUnmodifiableSet());
        this.tls = tls;
    }

    /** The client's address: the nearest forwarded address that is not a trusted proxy's. */
    public String client(HttpServerRequest request) {
        String peer = request.remoteAddress() == null ? "unknown" : normal(request.remoteAddress().hostAddress());
        if (!trustedProxies.contains(peer)) {
            return peer;
        }
        List<String> forwarded = request.headers().getAll("X-Forwarded-For").stream()
                .flatMap(value -> Arrays.stream(value.split(","))).map(String::trim).filter(a -> !a.isEmpty()).toList();
        for (int i = forwarded.size() - 1; i >= 0; i--) {
            String hop = normal(forwarded.get(i));
            if (!trustedProxies.contains(hop)) {
                return hop;
            }
        }
        return peer;
    }

    /** {@code scheme://host[:port]} the client addressed: what an {@code Origin} of the same site says. */
    public String origin(HttpServerRequest request) {
        boolean proxied = request.remoteAddress() != null && trustedProxies.contains(normal(request.remoteAddress().hostAddress()));
        String scheme = proxied && request.getHeader("X-Forwarded-Proto") != null
                ? request.getHeader("X-Forwarded-Proto").split(",")[0].trim() : (tls ? "https" : "http");
        String host = proxied && request.getHeader("X-Forwarded-Host") != null
                ? request.getHeader("X-Forwarded-Host").split(",")[0].trim() : request.getHeader("Host");
        return (scheme + "://" + host).toLowerCase(Locale.ROOT);
    }

    public static boolean isLoopback(String address) {
        try {
            return isLiteral(address) && InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** One spelling per address ({@code ::ffff:127.0.0.1} is 127.0.0.1), without a DNS look-up. */
    private static String normal(String address) {
        String bare = address.startsWith("[") && address.endsWith("]") ? address.substring(1, address.length() - 1) : address;
        if (!isLiteral(bare)) {
            return bare;
        }
        try {
            return InetAddress.getByName(bare).getHostAddress();
        } catch (UnknownHostException e) {
            return bare;
        }
    }

    private static boolean isLiteral(String address) {
        return address.matches("[0-9.]+") || (address.contains(":") && address.matches("[0-9A-Fa-f:.%a-z]+"));
    }
}
