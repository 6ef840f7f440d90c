package io.mattepipe.intake;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.function.LongSupplier;

/**
 * Copies the bytes of one entry to their file under the limits of one job. The bytes go to a
 * hidden part file beside the target and are renamed into place, so that a crash never leaves a
 * partial file under a final name, and a re-run replaces what an earlier run left.
 */
final class EntryWriter {

    private static final long RATIO_FREE_BYTES = 1L << 20;

    private final IntakeLimits limits;
    private final byte[] buffer = new byte[1 << 16];
    private long totalBytes;

    EntryWriter(IntakeLimits limits) {
        this.limits = limits;
    }

    /**
     * @param compressed compressed bytes consumed for this entry so far; null where the bytes are
     *                   not compressed (a plain file)
     * @return null when {@code target} holds the bytes, else why the entry was refused, with
     * nothing left on disk
     * @throws ArchiveRefusedException when the job goes past {@link IntakeLimits#maxTotalBytes()}
     */
    String write(InputStream in, LongSupplier compressed, Path target, String name) throws IOException {
        Path part = target.resolveSibling("." + target.getFileName() + ".part");
        boolean kept = false;
        try {
            String refusal;
            try (OutputStream out = Files.newOutputStream(part)) {
                refusal = copy(in, out, compressed, name);
            }
            if (refusal == null) {
                Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                kept = true;
            }
            return refusal;
        } finally {
            if (!kept) {
                Files.deleteIfExists(part);
            }
        }
    }

    private String copy(InputStream in, OutputStream out, LongSupplier compressed, String name) throws IOException {
        long written = 0;
        int n;
        while ((n = in.read(buffer)) != -1) {
            written += n;
            if (written > limits.maxEntryBytes()) {
                return "refused: " + name + " exceeds maxEntryBytes (" + limits.maxEntryBytes() + " bytes)";
            }
            // Checked while copying, not after, so that a bomb is stopped a megabyte in.
            if (compressed != null && written > RATIO_FREE_BYTES
                    && written > limits.maxCompressionRatio() * Math.max(1, compressed.getAsLong())) {
                return "refused: " + name + " exceeds maxCompressionRatio (" + limits.maxCompressionRatio()
                        + ":1, a likely decompression bomb)";
            }
            totalBytes += n;
            if (totalBytes > limits.maxTotalBytes()) {
                throw new ArchiveRefusedException("refused: the job exceeds maxTotalBytes ("
                        + limits.maxTotalBytes() + " bytes) at " + name);
            }
            out.write(buffer, 0, n);
        }
        return null;
    }
}
