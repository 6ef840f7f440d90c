package io.mattepipe.app;

import java.util.Locale;

/** Tells a full disk from other failures, whether a file write or SQLite met it. */
final class DiskSpace {

    private DiskSpace() {
    }

    /** True when {@code failure} or one of its causes says the disk (or the quota) is full. */
    static boolean isFull(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            String message = cause.getMessage() == null ? "" : cause.getMessage().toLowerCase(Locale.ROOT);
            if (message.contains("no space left on device") || message.contains("disk quota exceeded")
                    || message.contains("sqlite_full") || message.contains("database or disk is full")) {
                return true;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return false;
    }
}
