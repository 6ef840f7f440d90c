package io.mattepipe.app;

import io.mattepipe.access.ApiKeys;
import io.mattepipe.access.AuditLog;

import java.io.PrintStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.sql.SQLException;

/**
 * Jupyter's way to be safe by default: a service that listens beyond loopback with no key and no
 * issuer creates an admin key at start-up, stores its hash and prints the key once, on the
 * console rather than in the log file, with a sign-in link for the page.
 */
final class FirstAdminKey {

    private FirstAdminKey() {
    }

    static void createIfNone(ApiKeys keys, AuditLog audit, String host, int port, boolean tls) {
        try {
            if (keys.any()) {
                return;
            }
            String name = freeName(keys);
            String key = keys.create(name, true);
            audit.record("-", "key-created", null, name + " (admin, first start on " + host + ")", "local");
            print(System.out, name, key, linkHost(host), port, tls);
        } catch (SQLException e) {
            throw new StartupException("the first admin key could not be stored: " + ErrorText.of(e), e);
        }
    }

    private static String freeName(ApiKeys keys) throws SQLException {
        int n = 1;
        while (true) {
            String name = nameFor(n);
            if (keys.list().stream().noneMatch(key -> key.name().equals(name))) {
                return name;
            }
            n++;
        }
    }

    private static String nameFor(int n) {
        return n == 1 ? "admin" : "admin-" + n;
    }

    private static void print(PrintStream out, String name, String key, String host, int port, boolean tls) {
        out.println("mattepipe: listening on every interface with no API key and no issuer, so an admin key '" + name
                + "' was created. It is shown only now. Sign in to the page with");
        out.println("    " + (tls ? "https" : "http") + "://" + host + ":" + port + "/#key=" + key);
        out.println("or send it as Authorization: Bearer KEY; more keys: java -jar mattepipe.jar keys create NAME");
        out.println(key);
        out.flush();
    }

    /** A name the link can be opened with: the host's name when the service listens on every interface. */
    private static String linkHost(String host) {
        if (!host.equals("0.0.0.0") && !host.equals("::")) {
            return host.contains(":") ? "[" + host + "]" : host;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
