package io.mattepipe.app;

/**
 * Admits images into the matting stage by the pixels they will decode to, so that what is decoded
 * at once fits the heap: a big image waits until enough smaller ones are done, instead of failing
 * with {@code OutOfMemoryError} (or, worse, a decoder's "corrupt image" around it). An image
 * larger than the whole budget is admitted alone.
 */
public final class PixelBudget {

    /** Bytes of heap a decoded pixel costs while it is matted: the RGB photo, the RGBA cutout, the source raster, the matte. */
    static final long BYTES_PER_PIXEL = 16;

    private final long budget;
    private long inUse;

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

    /** Waits until {@code pixels} fit beside the images in flight; returns what to {@link #release}. */
    public synchronized long acquire(long pixels) throws InterruptedException {
        long share = Math.max(1, Math.min(pixels, budget));
        while (inUse + share > budget) {
            wait();
        }
        inUse += share;
        return share;
    }

    public synchronized void release(long share) {
        inUse -= share;
        notifyAll();
    }

    public long budget() {
        return budget;
    }

    synchronized long inUse() {
        return inUse;
    }
}
