package io.mattepipe.app;

/**
 * A split cut short on purpose: by the application's stop (the job stays {@code splitting} and
 * recovery resumes it) or by a cancel (the job is {@code cancelled}).
 */
public final class SplitInterruptedException extends RuntimeException {
    public SplitInterruptedException(String message) {
        super(message);
    }
}
