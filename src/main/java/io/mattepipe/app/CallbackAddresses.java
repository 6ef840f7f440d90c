package io.mattepipe.app;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * Where a job's {@code callback_url} may point. The service POSTs to it from inside the network it
 * runs in, so by default only public addresses are allowed: a host that resolves to a loopback,
 * link-local (169.254.169.254 is a cloud's metadata service), private, unique-local, carrier-grade
 * NAT, unspecified or multicast address is refused, checking every address it resolves to.
 * {@code callback.allow-private=true} lifts that for deployments whose receivers are internal.
 * Checked when a job is submitted (400) and again before each call (a name can resolve elsewhere later).
 */
public final class CallbackAddresses {

    private final boolean allowPrivate;

    public CallbackAddresses(boolean allowPrivate) {
        this.allowPrivate = allowPrivate;
    }

    /** The URL, normalised; an {@link IllegalArgumentException} saying why when it may not be called. */
    public String check(String url) {
        URI uri;
        try {
            uri = URI.create(url.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("callback_url must be an http(s) URL, got '" + url + "'");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
            throw new IllegalArgumentException("callback_url must be an http(s) URL, got '" + url + "'");
        }
        if (uri.getUserInfo() != null) {
            throw new IllegalArgumentException("callback_url must not carry a user name or password");
        }
        if (!allowPrivate) {
            String host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1) : uri.getHost();
            InetAddress[] addresses;
            try {
                addresses = InetAddress.getAllByName(host);
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("callback_url host '" + host + "' does not resolve");
            }
            for (InetAddress address : addresses) {
                String kind = nonPublic(address);
                if (kind != null) {
                    throw new IllegalArgumentException("callback_url host '" + host + "' is " + kind + " ("
                            + address.getHostAddress() + "); only public addresses are called unless callback.allow-private=true");
                }
            }
        }
        return uri.toString();
    }

    /** What kind of non-public address this is, or null for a public one. */
    static String nonPublic(InetAddress address) {
        byte[] b = address.getAddress();
        if (address.isLoopbackAddress()) {
            return "a loopback address";
        } else if (address.isLinkLocalAddress()) {
            return "a link-local address";
        } else if (address.isSiteLocalAddress()) {
            return "a private address";
        } else if (address.isAnyLocalAddress()) {
            return "the unspecified address";
        } else if (address.isMulticastAddress()) {
            return "a multicast address";
        } else if (address instanceof Inet6Address && (b[0] & 0xfe) == 0xfc) {
            return "a unique-local address";
        } else if (b.length == 4 && (b[0] & 0xff) == 100 && (b[1] & 0xc0) == 64) {
            return "a carrier-grade NAT address";
        } else if (b.length == 4 && ((b[0] & 0xff) == 0 || (b[0] & 0xff) == 255)) {
            return "a reserved address";
        }
        return null;
    }
}
