package io.mattepipe.app;

import java.sql.SQLException;
import java.util.Locale;

/**
 * Tells a database that is busy, locked by someone else or unreachable (worth a later try) from
 * other SQL failures.
 */
final class DatabaseBusy {

    private DatabaseBusy() {
    }

    static boolean isBusy(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            String message = cause.getMessage() == null ? "" : cause.getMessage().toLowerCase(Locale.ROOT);
            if (message.contains("sqlite_busy") || message.contains("sqlite_locked") || message.contains("database is locked")
                    || (cause instanceof SQLException sql && isUnavailable(sql.getSQLState()))
                    || message.contains("connection is not available, request timed out")
                    || message.contains("cannot get a connection") || message.contains("cannot create poolableconnectionfactory")) {
                return true;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return false;
    }

    /**
     * A serialization failure (40001), a connection that failed or was refused (class 08), a server
     * shutting down or starting (57P01-57P03), or one out of connections (53300): PostgreSQL's
     * codes for "not now".
     */
    private static boolean isUnavailable(String state) {
        return state != null && (state.equals("40001") || state.startsWith("08") || state.equals("57P01")
                || state.equals("57P02") || state.equals("57P03") || state.equals("53300"));
    }
}
