package io.mattepipe.app;

/** A split cut short by the application's stop: its job stays {@code splitting}, and recovery resumes it. */
public final class SplitInterruptedException extends RuntimeException {
    public SplitInterruptedException(String message) {
        super(message);
    }
}
