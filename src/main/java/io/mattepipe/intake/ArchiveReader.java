package io.mattepipe.intake;

import org.apache.commons.compress.archivers.ArchiveEntry;
import org.apache.commons.compress.archivers.ArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

/**
 * A zip or tar (plain or gzip) read front to back, one entry at a time, so that an archive of any
 * size costs one buffer. Read errors of the archive surface as {@link ArchiveRefusedException}.
 */
final class ArchiveReader implements Closeable {

    enum Format { ZIP, TAR, TAR_GZ }

    /** Archives we would refuse to open inside an archive: a nested archive multiplies every limit. */
    private static final Set<String> ARCHIVE_EXTENSIONS = Set.of("zip", "tar", "tgz", "gz", "bz2", "xz", "zst", "7z", "rar");
    private static final int EOCD_LENGTH = 22;
    private static final int EOCD_SIGNATURE = 0x06054b50;
    private static final int MAX_ZIP_COMMENT = 0xFFFF;
    private static final int SNIFF_LENGTH = 512;
    private static final int TAR_RECORD = 512;

    private final String name;
    private final CountingInputStream counted;
    private final ArchiveInputStream<?> archive;
    private final InputStream data = new EntryData();
    private long entryStart;

    private ArchiveReader(String name, CountingInputStream counted, ArchiveInputStream<?> archive) {
        this.name = name;
        this.counted = counted;
        this.archive = archive;
    }

    static boolean isArchiveName(String name) {
        return ARCHIVE_EXTENSIONS.contains(SafeNames.extension(name));
    }

    /**
     * The format by the name, else by the first bytes (an upload saved without a telling name);
     * null when the file is none we open.
     */
    static Format formatOf(String name, Path file) throws IOException {
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".zip")) {
            return Format.ZIP;
        } else if (lower.endsWith(".tar")) {
            return Format.TAR;
        } else if (lower.endsWith(".tgz") || lower.endsWith(".tar.gz")) {
            return Format.TAR_GZ;
        }
        byte[] head = new byte[SNIFF_LENGTH];
        int length;
        try (InputStream in = Files.newInputStream(file)) {
            length = in.readNBytes(head, 0, head.length);
        }
        if (ZipArchiveInputStream.matches(head, length)) {
            return Format.ZIP;
        } else if (GzipCompressorInputStream.matches(head, length)) {
            return Format.TAR_GZ;
        } else if (TarArchiveInputStream.matches(head, length)) {
            return Format.TAR;
        }
        return null;
    }

    /** Opens the archive; {@code name} is how messages call it. */
    static ArchiveReader open(Path file, String name, Format format) throws IOException {
        // Streaming readers take a cut at an entry boundary for a normal end; the end record is the
        // only proof that the archive is whole, and checking it first refuses a truncated upload
        // before anything is extracted. (A cut gzip stream fails on its own trailer.)
        if (format == Format.ZIP && !hasEndOfCentralDirectory(file)) {
            throw corrupt(name, "no end of central directory record (truncated?)");
        }
        if (format == Format.TAR && !endsWithZeroRecord(file)) {
            throw corrupt(name, "no end-of-archive record (truncated?)");
        }
        CountingInputStream counted = new CountingInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16));
        try {
            String utf8 = StandardCharsets.UTF_8.name();
            ArchiveInputStream<?> archive = switch (format) {
                // Stored entries with a data descriptor would be buffered whole in memory by the
                // streaming reader: they are refused (as unsupported entries) instead.
                case ZIP -> new ZipArchiveInputStream(counted, utf8, true, false);
                case TAR -> new TarArchiveInputStream(counted, utf8);
                case TAR_GZ -> new TarArchiveInputStream(GzipCompressorInputStream.builder()
                        .setInputStream(counted).setDecompressConcatenated(true).get(), utf8);
            };
            return new ArchiveReader(name, counted, archive);
        } catch (IOException e) {
            counted.close();
            throw corrupt(name, e);
        }
    }

    /** The next entry, or null at the end. */
    ArchiveEntry next() {
        try {
            ArchiveEntry entry = archive.getNextEntry();
            entryStart = counted.count;
            return entry;
        } catch (IOException e) {
            throw corrupt(name, e);
        }
    }

    /** The bytes of the current entry; closing it leaves the archive open. */
    InputStream data() {
        return data;
    }

    /**
     * Compressed bytes consumed for the current entry so far. Counted rather than taken from the
     * entry's header, which a crafted archive can fill with any size.
     */
    long compressedCount() {
        return archive instanceof ZipArchiveInputStream zip ? zip.getCompressedCount() : counted.count - entryStart;
    }

    /** Why the data of this entry is not to be read, or null. */
    String refusal(ArchiveEntry entry, String entryName) {
        boolean special = entry instanceof TarArchiveEntry tar && (tar.isSymbolicLink() || tar.isLink()
                || tar.isCharacterDevice() || tar.isBlockDevice() || tar.isFIFO())
                || entry instanceof ZipArchiveEntry zip && zip.isUnixSymlink();
        if (special) {
            return "not an image: " + entryName + " (link or special file)";
        }
        if (!archive.canReadEntryData(entry)) {
            return "refused: " + entryName + " is encrypted or uses an unsupported compression method";
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        archive.close();
    }

    private static ArchiveRefusedException corrupt(String archiveName, IOException cause) {
        String reason = cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
        return new ArchiveRefusedException("corrupt archive " + archiveName + ": " + reason, cause);
    }

    private static ArchiveRefusedException corrupt(String archiveName, String reason) {
        return new ArchiveRefusedException("corrupt archive " + archiveName + ": " + reason);
    }

    private static boolean hasEndOfCentralDirectory(Path zip) throws IOException {
        ByteBuffer tail = tail(zip, EOCD_LENGTH + MAX_ZIP_COMMENT);
        for (int at = tail.limit() - EOCD_LENGTH; at >= 0; at--) {
            int comment = tail.getShort(at + EOCD_LENGTH - 2) & 0xFFFF;
            if (tail.getInt(at) == EOCD_SIGNATURE && at + EOCD_LENGTH + comment <= tail.limit()) {
                return true;
            }
        }
        return false;
    }

    /** Every tar writer ends the archive with zero-filled records, which no entry header is. */
    private static boolean endsWithZeroRecord(Path tar) throws IOException {
        ByteBuffer tail = tail(tar, TAR_RECORD);
        if (tail.limit() < TAR_RECORD) {
            return false;
        }
        for (int at = 0; at < TAR_RECORD; at++) {
            if (tail.get(at) != 0) {
                return false;
            }
        }
        return true;
    }

    /** The last {@code length} bytes of the file, or all of a shorter one. */
    private static ByteBuffer tail(Path file, int length) throws IOException {
        try (SeekableByteChannel channel = Files.newByteChannel(file)) {
            long size = channel.size();
            ByteBuffer tail = ByteBuffer.allocate((int) Math.min(size, length)).order(ByteOrder.LITTLE_ENDIAN);
            channel.position(size - tail.capacity());
            while (tail.hasRemaining()) {
                if (channel.read(tail) < 0) {
                    break;
                }
            }
            return tail.flip();
        }
    }

    private final class EntryData extends InputStream {

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            try {
                return archive.read(buffer, offset, length);
            } catch (IOException e) {
                throw corrupt(name, e);
            }
        }
    }

    /** Counts the archive's bytes as read from disk; no mark/reset, so that the count never runs back. */
    private static final class CountingInputStream extends FilterInputStream {

        private long count;

        CountingInputStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            count += skipped;
            return skipped;
        }

        @Override
        public boolean markSupported() {
            return false;
        }
    }
}
