package io.mattepipe.app;

import org.apache.camel.CamelExchangeException;
import org.apache.camel.RuntimeCamelException;

import java.nio.file.Path;

/** What a user is told about a failure: the message of its cause, not of Camel's wrappers around it. */
final class ErrorText {

    private ErrorText() {
    }

    static String of(Throwable failure) {
        Throwable cause = failure;
        while (cause != null && cause.getCause() != null
                && (cause instanceof RuntimeCamelException || cause instanceof CamelExchangeException
                    || cause.getMessage() == null)) {
            cause = cause.getCause();
        }
        if (cause == null) {
            return "unknown error";
        }
        String message = cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
        // said first: "cutout.png: No space left on device" hides the reason at the end
        return DiskSpace.isFull(failure) ? "the disk is full: " + message : message;
    }

    /**
     * The decoder and the model only see a task's stored copy ({@code chunks/000004.jpg}); people
     * know the file by the name it was uploaded under, so that is the name their error shows.
     */
    static String ofTask(Throwable failure, String chunk, String name) {
        String error = of(failure);
        if (chunk == null || name == null) {
            return error;
        }
        return error.replace(Path.of(chunk).getFileName().toString(), name);
    }
}
