package io.mattepipe.results;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Queue;
import java.util.Set;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipOutputStream;

/**
 * A job's results as one zip, streamed in a single pass: each file is copied through a small
 * buffer, so neither an entry nor the zip is ever held in memory. {@link ZipOutputStream} switches
 * to Zip64 by itself past 4 GiB or 65,535 entries. What it does keep is the central directory,
 * about 240 bytes per entry (measured), which a zip cannot write before its last entry.
 */
public final class ResultsZip {

    /** The bytes of an entry made on demand, opened when the zip reaches it; null skips the entry. */
    @FunctionalInterface
    public interface Source {
        InputStream open() throws IOException;
    }

    /**
     * One entry to add, under {@code entryName} (forward slashes, relative): a {@code file} on disk
     * (skipped if it does not exist) or bytes made by a {@code source} when the zip reaches it.
     */
    public record Item(String entryName, Path file, Source source) {
        public Item {
            Objects.requireNonNull(entryName, "entryName");
            if ((file == null) == (source == null)) {
                throw new IllegalArgumentException("an item is a file or a source: " + entryName);
            }
        }

        public Item(String entryName, Path file) {
            this(entryName, Objects.requireNonNull(file, "file"), null);
        }

        public Item(String entryName, Source source) {
            this(entryName, null, Objects.requireNonNull(source, "source"));
        }

        InputStream open() throws IOException {
            return source != null ? source.open() : openIfExists(file);
        }
    }

    /**
     * Images go in at deflate level 0, everything else (the reports) at level 1. Measured with
     * ZipOutputStream on JDK 17, warm page cache: the 18 photos in shared/testdata/photos (JPEG,
     * PNG, WebP; 48.5 MB over five passes) took level 0 at ~1,250 MB/s to 100.04% of their size,
     * level 1 at ~35 MB/s to 95.6%: level 1 would spend an hour of CPU on a 100 GB job to save 4%.
     * A million-row report.csv (104 MB) took level 0 at ~1,400 MB/s to 100%, level 1 at ~160 MB/s to
     * 16%: worth it. STORED would skip even the deflate framing but needs the CRC before the data,
     * i.e. a second read of every file.
     */
    private static final Set<String> COMPRESSED = Set.of("png", "jpg", "jpeg", "webp", "gif", "avif");
    private static final int BUFFER = 1 << 16;

    private ResultsZip() {
    }

    /**
     * Writes the items as one zip to {@code out}, which is flushed but left open. Items whose file
     * does not exist (a task whose output was never written), whose name is unsafe ({@code ..},
     * absolute, empty segments) or repeats an earlier one are skipped.
     *
     * @return the number of entries written
     */
    public static long write(Iterator<Item> items, OutputStream out) throws IOException {
        long entries = 0;
        byte[] buffer = new byte[BUFFER];
        try (ZipOutputStream zip = new ZipOutputStream(new BufferedOutputStream(new KeepOpen(out), BUFFER),
                StandardCharsets.UTF_8)) {
            while (items.hasNext()) {
                Item item = items.next();
                if (!isSafeEntryName(item.entryName())) {
                    continue;
                }
                try (InputStream in = item.open()) {
                    if (in == null) {
                        continue;
                    }
                    zip.setLevel(COMPRESSED.contains(extension(item.entryName()))
                            ? Deflater.NO_COMPRESSION : Deflater.BEST_SPEED);
                    try {
                        zip.putNextEntry(new ZipEntry(item.entryName()));
                    } catch (ZipException duplicate) {
                        // The only ZipException putNextEntry throws for a DEFLATED entry, and it
                        // throws before writing anything, so the zip is still sound.
                        continue;
                    }
                    for (int n; (n = in.read(buffer)) > 0; ) {
                        zip.write(buffer, 0, n);
                    }
                    zip.closeEntry();
                    entries++;
                }
            }
        }
        return entries;
    }

    /**
     * The files of a job's completed tasks, produced lazily as {@code tasks} is read: the cutout
     * {@code cutoutDir/{task_id}.{ext}} as {@code {output_name}.{ext}} and the panel
     * {@code panelDir/{task_id}_compare.jpg} as {@code {output_name}_compare.jpg}. Rows in any other
     * state, and those a person rejected in review, are skipped.
     *
     * @param cutoutExtension {@code png}, {@code webp}, ...; a leading dot is ignored
     */
    public static Iterator<Item> taskItems(Iterator<Map<String, Object>> tasks, Path cutoutDir, Path panelDir,
                                           String cutoutExtension) {
        String ext = cutoutExtension.startsWith(".") ? cutoutExtension.substring(1) : cutoutExtension;
        return new Iterator<>() {
            private final Queue<Item> pending = new ArrayDeque<>(2);

            @Override
            public boolean hasNext() {
                while (pending.isEmpty() && tasks.hasNext()) {
                    Map<String, Object> row = tasks.next();
                    Object taskId = row.get("task_id");
                    if (taskId == null || !TaskRow.COMPLETED.equals(row.get("state"))
                            || TaskRow.REJECTED.equals(row.get("review"))) {
                        continue;
                    }
                    Object outputName = row.get("output_name");
                    String entry = outputName == null ? taskId.toString() : outputName.toString();
                    pending.add(new Item(entry + "." + ext, cutoutDir.resolve(taskId + "." + ext)));
                    pending.add(new Item(entry + "_compare.jpg", panelDir.resolve(taskId + "_compare.jpg")));
                }
                return !pending.isEmpty();
            }

            @Override
            public Item next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return pending.remove();
            }
        };
    }

    /**
     * Output names derive from names in user archives; intake cleans them, and this refuses
     * anything an unzip tool could write outside its target folder all the same.
     */
    static boolean isSafeEntryName(String name) {
        if (name.isEmpty() || name.indexOf('\0') >= 0 || name.charAt(0) == '/' || name.charAt(0) == '\\'
                || (name.length() > 1 && name.charAt(1) == ':')) {
            return false;
        }
        for (String segment : name.split("[/\\\\]", -1)) {
            if (segment.isEmpty() || segment.equals("..")) {
                return false;
            }
        }
        return true;
    }

    private static String extension(String name) {
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    /** Files are renamed into place once complete, so one that exists is whole; one that does not is skipped. */
    private static InputStream openIfExists(Path file) throws IOException {
        try {
            return Files.newInputStream(file);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /**
     * The caller owns {@code out} (an HTTP response, a file): closing the zip must free its
     * deflater but leave that stream open.
     */
    private static final class KeepOpen extends FilterOutputStream {
        KeepOpen(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            out.flush();
        }
    }
}
