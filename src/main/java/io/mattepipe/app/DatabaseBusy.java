package io.mattepipe.app;

import java.sql.SQLException;
import java.util.Locale;

/** Tells a database that is busy or locked by someone else (worth a later try) from other SQL failures. */
final class DatabaseBusy {

    private DatabaseBusy() {
    }

    static boolean isBusy(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            String message = cause.getMessage() == null ? "" : cause.getMessage().toLowerCase(Locale.ROOT);
            if (message.contains("sqlite_busy") || message.contains("sqlite_locked") || message.contains("database is locked")
                    || (cause instanceof SQLException sql && "40001".equals(sql.getSQLState()))
                    || message.contains("connection is not available, request timed out")) {
                return true;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return false;
    }
}
