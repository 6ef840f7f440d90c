package io.mattepipe.app;

/**
 * Start-up cannot go on (a setting out of range, the port taken, the model or the database
 * unusable): the command exits 1 with this message alone, which names the setting and its value.
 */
public final class StartupException extends RuntimeException {

    public StartupException(String message) {
        super(message);
    }

    public StartupException(String message, Throwable cause) {
        super(message, cause);
    }
}
