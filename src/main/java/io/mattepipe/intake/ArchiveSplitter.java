package io.mattepipe.intake;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Splits an upload into one file per image, one entry at a time.
 *
 * <p>The upload is a folder (walked depth first, sorted by name in each folder) or a single file.
 * Each file is a zip, a tar or a gzipped tar (known by its extension, else by its first bytes),
 * opened and read entry by entry, or an image, or rejected. Entries of an archive are named as in
 * the archive, so {@code gt/} means the archive's top-level folder; files of the folder are named
 * relative to it. Names are never used as paths: images go to {@code chunksDir/{taskId}.{ext}},
 * ground truth to {@code gtDir/{name without extension}.alpha.png}.
 *
 * <p>An entry that cannot be an image, or breaks a per-entry limit, becomes a REJECTED entry with
 * its reason and the split goes on; a corrupt archive or a job-wide limit ends it with an
 * {@link ArchiveRefusedException}.
 */
public final class ArchiveSplitter {

    private final IntakeLimits limits;

    public ArchiveSplitter(IntakeLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    /**
     * Starts splitting; nothing is read before the first {@code hasNext()}/{@code next()}.
     * The same input always gives the same entries with the same sequence numbers, and a re-run
     * into the same folders replaces the files of the earlier run.
     *
     * @param raw       the upload: a folder or one file
     * @param chunksDir where images go (created if needed)
     * @param gtDir     where ground-truth mattes go (created if needed)
     */
    public CloseableIterator<SplitEntry> split(Path raw, Path chunksDir, Path gtDir) throws IOException {
        if (!Files.exists(raw)) {
            throw new NoSuchFileException(raw.toString());
        }
        if (Files.isDirectory(raw) && (inside(chunksDir, raw) || inside(gtDir, raw))) {
            // The walk would find this run's own output.
            throw new IllegalArgumentException("output folders must lie outside the upload " + raw);
        }
        Files.createDirectories(chunksDir);
        Files.createDirectories(gtDir);
        try {
            return new SplitIterator(raw, chunksDir, gtDir, limits);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** The task id of a sequence number: {@code 000042}. */
    public static String taskId(long seq) {
        // once per image: String.format parses its pattern at every call
        String digits = Long.toString(seq);
        return digits.length() >= 6 ? digits : "000000".substring(digits.length()) + digits;
    }

    private static boolean inside(Path folder, Path raw) {
        return folder.toAbsolutePath().normalize().startsWith(raw.toAbsolutePath().normalize());
    }

    /** Whether a file of this name (a path inside the input, with '/') is split as an image to matte. */
    public static boolean isInputImage(String name) {
        return SplitIterator.isImage(name) && !SplitIterator.isGroundTruth(name);
    }

    /** Whether a file of this name is ground truth ({@code NAME.alpha.png}, or under {@code gt/}). */
    public static boolean isGroundTruth(String name) {
        return SplitIterator.isGroundTruth(name);
    }
}
