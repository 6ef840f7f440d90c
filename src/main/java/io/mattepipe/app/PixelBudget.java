package io.mattepipe.app;

import java.io.IOException;

/**
 * Admits images into the matting and comparison stages by the pixels they will decode to, so that
 * what is decoded at once fits the heap: a big image waits until enough smaller ones are done,
 * instead of failing with {@code OutOfMemoryError} (or, worse, a decoder's "corrupt image" around
 * it). One budget serves both stages, as they share one heap. An image larger than the whole
 * budget is admitted alone.
 */
public final class PixelBudget {

    /**
     * Bytes of heap a decoded pixel costs while it is in a stage: matting holds the RGB photo, the
     * RGBA cutout, the source raster and the matte; comparison the photo, the matte and the
     * component labels, which is less, so the same figure covers both.
     */
    static final long BYTES_PER_PIXEL = 16;

    private final long budget;
    private long inUse;
    private int waiting;

    public PixelBudget(long budget) {
        if (budget <= 0) {
            throw new IllegalArgumentException("a pixel budget must be positive, got " + budget);
        }
        this.budget = budget;
    }

    /** {@code image.memory-budget-pixels}: the setting, or with 0 what half the heap holds. */
    public static PixelBudget of(long setting) {
        return new PixelBudget(setting > 0 ? setting : Runtime.getRuntime().maxMemory() / 2 / BYTES_PER_PIXEL);
    }

    /** The work of one image in a stage, which decodes it. */
    @FunctionalInterface
    public interface ImageWork<T> {
        T run() throws IOException;
    }

    /**
     * Runs {@code work} once {@code pixels} fit beside the images in flight. Running out of memory
     * anyway is an {@code IOException} that says so (a failed attempt, tried again), never a
     * "corrupt image".
     */
    public <T> T admit(long pixels, ImageWork<T> work) throws IOException, InterruptedException {
        long share = acquire(pixels);
        try {
            return work.run();
        } catch (OutOfMemoryError e) {
            throw new IOException("not enough memory for this image (" + pixels + " pixels) beside the others in flight;"
                    + " lower image.memory-budget-pixels (now " + budget + ") or give the JVM more heap", e);
        } finally {
            release(share);
        }
    }

    /** Waits until {@code pixels} fit beside the images in flight; returns what to {@link #release}. */
    synchronized long acquire(long pixels) throws InterruptedException {
        long share = Math.max(1, Math.min(pixels, budget));
        waiting++;
        try {
            while (inUse + share > budget) {
                wait();
            }
        } finally {
            waiting--;
        }
        inUse += share;
        return share;
    }

    synchronized void release(long share) {
        inUse -= share;
        notifyAll();
    }

    synchronized long inUse() {
        return inUse;
    }

    /** Images waiting for room now. */
    synchronized int waiting() {
        return waiting;
    }
}
