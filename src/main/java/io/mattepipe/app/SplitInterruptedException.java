package io.mattepipe.app;

/**
 * A split cut short on purpose: by the application's stop (the job stays {@code splitting} and
 * recovery resumes it), by a cancel (the job is {@code cancelled}), or by a broker that could not
 * take its messages (the split fails, and the broker delivers it again).
 */
public final class SplitInterruptedException extends RuntimeException {
    public SplitInterruptedException(String message) {
        super(message);
    }
}
