package io.mattepipe.intake;

/**
 * Caps on what one job may extract, so that a hostile or broken upload fails with a reason
 * instead of filling the disk.
 *
 * @param maxEntryBytes       largest single extracted file
 * @param maxTotalBytes       all bytes extracted for one job
 * @param maxEntries          entries (images, ground truth, rejects) one job may produce
 * @param maxCompressionRatio uncompressed/compressed ratio above which an entry, once past
 *                            1 MiB uncompressed, is taken for a decompression bomb
 */
public record IntakeLimits(long maxEntryBytes, long maxTotalBytes, long maxEntries, int maxCompressionRatio) {

    public IntakeLimits {
        if (maxEntryBytes <= 0 || maxTotalBytes <= 0 || maxEntries <= 0 || maxCompressionRatio <= 0) {
            throw new IllegalArgumentException("intake limits must be positive: " + maxEntryBytes + ", "
                    + maxTotalBytes + ", " + maxEntries + ", " + maxCompressionRatio);
        }
    }

    /** 2 GiB per file, 1 TiB per job, ten million files, 200:1. */
    public static IntakeLimits defaults() {
        return new IntakeLimits(2L << 30, 1L << 40, 10_000_000L, 200);
    }
}
