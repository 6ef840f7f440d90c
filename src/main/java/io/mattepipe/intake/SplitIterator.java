package io.mattepipe.intake;

import org.apache.commons.compress.archivers.ArchiveEntry;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.StringJoiner;
import java.util.function.LongSupplier;

/**
 * One run of {@link ArchiveSplitter#split}: reads ahead by at most one entry. A failure found
 * while looking ahead is kept and thrown by the {@link #next()} that would have returned the
 * entry, so that {@link #hasNext()} never throws and everything before the failure is delivered.
 */
final class SplitIterator implements CloseableIterator<SplitEntry> {

    private static final Set<String> IMAGE_EXTENSIONS = Set.of("jpg", "jpeg", "png", "webp", "tif", "tiff", "bmp", "gif");
    private static final String ALPHA_SUFFIX = ".alpha.png";
    private static final String GT_FOLDER = "gt";

    private final Path root;
    private final Path chunksDir;
    private final Path gtDir;
    private final IntakeLimits limits;
    private final FileWalk files;
    private final EntryWriter writer;
    private ArchiveReader archive;
    private long nextSeq;
    private long entries;
    private SplitEntry pending;
    private RuntimeException failure;
    private boolean finished;

    SplitIterator(Path raw, Path chunksDir, Path gtDir, IntakeLimits limits) {
        this.root = raw;
        this.chunksDir = chunksDir;
        this.gtDir = gtDir.normalize();
        this.limits = limits;
        this.files = new FileWalk(raw);
        this.writer = new EntryWriter(limits);
    }

    @Override
    public boolean hasNext() {
        if (pending == null && failure == null && !finished) {
            try {
                pending = advance();
            } catch (ArchiveRefusedException | UncheckedIOException e) {
                failure = e;
            } catch (IOException e) {
                failure = new UncheckedIOException(e.getMessage(), e);
            }
            if (pending == null) {
                release();
            }
        }
        return pending != null || failure != null;
    }

    /**
     * @throws ArchiveRefusedException where the upload is corrupt or exceeds a job-wide limit
     * @throws UncheckedIOException    where the disk fails
     */
    @Override
    public SplitEntry next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        if (failure != null) {
            RuntimeException thrown = failure;
            failure = null;
            throw thrown;
        }
        SplitEntry entry = pending;
        pending = null;
        return entry;
    }

    @Override
    public void close() {
        pending = null;
        failure = null;
        release();
    }

    private void release() {
        finished = true;
        if (archive != null) {
            try {
                archive.close();
            } catch (IOException e) {
                // Only read from: nothing is lost when closing fails.
            }
            archive = null;
        }
    }

    private SplitEntry advance() throws IOException {
        while (true) {
            SplitEntry entry;
            if (archive != null) {
                entry = nextFromArchive();
            } else if (files.hasNext()) {
                entry = fromFile(files.next());
            } else {
                return null;
            }
            if (entry != null) {
                return entry;
            }
        }
    }

    /** The next entry of the open archive; null (and the archive closed) at its end. */
    private SplitEntry nextFromArchive() throws IOException {
        ArchiveEntry entry;
        while ((entry = archive.next()) != null) {
            if (entry.isDirectory()) {
                continue;
            }
            String name;
            try {
                name = SafeNames.sanitize(entry.getName());
            } catch (UnsafeNameException e) {
                return rejected(SafeNames.printable(entry.getName()), e.getMessage());
            }
            if (SafeNames.isJunk(name)) {
                continue;
            }
            String refusal = archive.refusal(entry, name);
            if (refusal != null) {
                return rejected(name, refusal);
            }
            if (ArchiveReader.isArchiveName(name)) {
                return rejected(name, "not an image: nested archive");
            }
            if (!isImage(name)) {
                return rejected(name, notAnImage(name));
            }
            return extract(name, archive.data(), archive::compressedCount);
        }
        ArchiveReader finishedArchive = archive;
        archive = null;
        finishedArchive.close();
        return null;
    }

    /** The entry for a file of the upload; null where it is junk or an archive now opened. */
    private SplitEntry fromFile(Path file) throws IOException {
        String relative = relativeName(file);
        String name;
        try {
            name = SafeNames.sanitize(relative);
        } catch (UnsafeNameException e) {
            return rejected(SafeNames.printable(relative), e.getMessage());
        }
        if (SafeNames.isJunk(name)) {
            return null;
        }
        // The upload itself may be a link the operator made; links inside it are not followed.
        LinkOption[] links = file.equals(root) ? new LinkOption[0] : new LinkOption[] {LinkOption.NOFOLLOW_LINKS};
        if (!Files.isRegularFile(file, links)) {
            return rejected(name, "not an image: " + name + " (link or special file)");
        }
        if (!isImage(name)) {
            ArchiveReader.Format format = ArchiveReader.formatOf(name, file);
            if (format == null) {
                return rejected(name, notAnImage(name));
            }
            archive = ArchiveReader.open(file, name, format);
            return null;
        }
        try (InputStream in = Files.newInputStream(file)) {
            return extract(name, in, null);
        }
    }

    private SplitEntry extract(String name, InputStream in, LongSupplier compressed) throws IOException {
        countEntry();
        if (isGroundTruth(name)) {
            return groundTruth(name, in, compressed);
        }
        long seq = nextSeq++;
        Path target = chunksDir.resolve(ArchiveSplitter.taskId(seq) + "." + SafeNames.extension(name));
        String refusal = writer.write(in, compressed, target, name);
        return refusal == null ? SplitEntry.image(seq, name, target) : SplitEntry.rejected(seq, name, refusal);
    }

    private SplitEntry groundTruth(String name, InputStream in, LongSupplier compressed) throws IOException {
        String refusal;
        Path target;
        try {
            target = gtDir.resolve(SafeNames.stem(matteName(name)) + ALPHA_SUFFIX).normalize();
            if (!target.startsWith(gtDir)) {
                throw new IllegalStateException("ground truth " + name + " would leave " + gtDir);
            }
            Files.createDirectories(target.getParent());
            refusal = writer.write(in, compressed, target, name);
        } catch (InvalidPathException | FileSystemException e) {
            // A name this file system cannot hold (too long, a folder where a file is): this entry's
            // problem, not the job's.
            return SplitEntry.rejected(nextSeq++, name, "refused: cannot store ground truth " + name + " (" + e.getMessage() + ")");
        }
        return refusal == null ? SplitEntry.groundTruth(name, target) : SplitEntry.rejected(nextSeq++, name, refusal);
    }

    private SplitEntry rejected(String name, String error) {
        countEntry();
        return SplitEntry.rejected(nextSeq++, name, error);
    }

    /** Called once for every entry the split produces, before any of its bytes are written. */
    private void countEntry() {
        if (++entries > limits.maxEntries()) {
            throw new ArchiveRefusedException("refused: the job exceeds maxEntries (" + limits.maxEntries() + " files)");
        }
    }

    private String relativeName(Path file) {
        if (file.equals(root)) {
            return file.getFileName().toString();
        }
        StringJoiner name = new StringJoiner("/");
        root.relativize(file).forEach(part -> name.add(part.toString()));
        return name.toString();
    }

    /** Whether a file of this name (a path inside the input, with '/') would be split as an image. */
    static boolean isImage(String name) {
        return IMAGE_EXTENSIONS.contains(SafeNames.extension(name));
    }

    private static String notAnImage(String name) {
        String extension = SafeNames.extension(name);
        return "not an image: " + name + (extension.isEmpty() ? " (no extension)" : " (unsupported extension ." + extension + ")");
    }

    /** Whether a file of this name is ground truth ({@code NAME.alpha.png}, or under {@code gt/}) rather than an input. */
    static boolean isGroundTruth(String name) {
        return inGtFolder(name) || name.toLowerCase(Locale.ROOT).endsWith(ALPHA_SUFFIX);
    }

    private static boolean inGtFolder(String name) {
        int slash = name.indexOf('/');
        return slash > 0 && name.substring(0, slash).equalsIgnoreCase(GT_FOLDER);
    }

    /** The image name a ground-truth file belongs to: gt/a/cat.png and a/cat.alpha.png give a/cat.png. */
    private static String matteName(String name) {
        String matte = inGtFolder(name) ? name.substring(name.indexOf('/') + 1) : name;
        if (matte.toLowerCase(Locale.ROOT).endsWith(ALPHA_SUFFIX)) {
            matte = matte.substring(0, matte.length() - ALPHA_SUFFIX.length()) + ".png";
        }
        return matte;
    }
}
