package io.mattepipe.app;

import io.mattepipe.access.Caller;
import io.vertx.ext.auth.User;

/**
 * The caller of a request as the routes see it: {@link AccessControl} made it the request's
 * Vert.x user, which platform-http hands on as {@code CamelVertxPlatformHttpAuthenticatedUser}.
 */
public final class Callers {

    /** The caller; null when the request did not pass {@link AccessControl} (then no job is shown). */
    public Caller of(User user) {
        return user == null ? null : new Caller(user.principal().getString("name"),
                user.principal().getBoolean("admin", false), user.principal().getString("client"));
    }

    /** The owner a job list is narrowed to. */
    public String owner(Caller caller) {
        return caller.name();
    }

    /** 1 when the caller sees every owner's jobs (an SQL parameter, the same on SQLite and PostgreSQL). */
    public int seesAll(Caller caller) {
        return caller.admin() ? 1 : 0;
    }
}
