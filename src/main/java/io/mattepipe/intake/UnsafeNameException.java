package io.mattepipe.intake;

/** A name from an upload that could escape the folder it is meant for, or cannot be shown safely. */
public final class UnsafeNameException extends Exception {

    private static final long serialVersionUID = 1L;

    public UnsafeNameException(String message) {
        super(message);
    }
}
