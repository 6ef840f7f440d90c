package io.mattepipe.image;

import java.io.IOException;

/**
 * The file cannot become an image: not an image at all, corrupt, truncated, or larger than the
 * configured pixel limit. Retrying cannot help, so the pipeline fails such a task at once.
 */
public class ImageDecodeException extends IOException {

    public ImageDecodeException(String message) {
        super(message);
    }

    public ImageDecodeException(String message, Throwable cause) {
        super(message, cause);
    }
}
