package io.mattepipe.intake;

import java.util.Iterator;

/** An iterator over an open resource; {@link #close()} releases it early, when the caller stops pulling. */
public interface CloseableIterator<T> extends Iterator<T>, AutoCloseable {

    @Override
    void close();
}
