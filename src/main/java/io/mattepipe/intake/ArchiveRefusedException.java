package io.mattepipe.intake;

/**
 * The whole upload is refused from this point on: it is corrupt, or it exceeds a job-wide limit.
 * Entries produced before it stay valid.
 */
public final class ArchiveRefusedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ArchiveRefusedException(String message) {
        super(message);
    }

    public ArchiveRefusedException(String message, Throwable cause) {
        super(message, cause);
    }
}
