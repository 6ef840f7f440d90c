package io.mattepipe.access;

/**
 * Who sends a request, and from where: the owner name that jobs are recorded under, whether it
 * may see every owner's jobs, and the client address (the forwarded one behind a trusted proxy).
 */
public record Caller(String name, boolean admin, String client) {

    /** A loopback client of a service that has no key and no issuer yet, as Jupyter's first start. */
    public static Caller local(String client) {
        return new Caller("local", true, client);
    }

    /** Whether this caller may see, change or delete a job of {@code owner}. */
    public boolean mayAccess(Object owner) {
        return admin || name.equals(owner);
    }
}
