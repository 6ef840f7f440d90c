package io.mattepipe.intake;

import io.mattepipe.app.TestArchives;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Archives a hostile or careless client sends: hard links and special files in tars, names that
 * repeat or are spelt in any script, a million entries. Each is split without reading outside the
 * archive, writing outside the job, or holding the archive in memory.
 */
class HostileArchiveTest {

    @TempDir
    Path root;

    @Test
    void tarHardLinksAndSpecialFilesAreRejectedAndNeverFollowed() throws IOException {
        Path tar = root.resolve("links.tar");
        try (OutputStream out = Files.newOutputStream(tar); TarArchiveOutputStream archive = new TarArchiveOutputStream(out)) {
            byte[] png = TestArchives.image("png", 4, 4);
            TarArchiveEntry file = new TarArchiveEntry("a.png");
            file.setSize(png.length);
            archive.putArchiveEntry(file);
            archive.write(png);
            archive.closeArchiveEntry();
            for (Object[] special : new Object[][] {{"hard.png", TarArchiveEntry.LF_LINK, "/etc/passwd"},
                    {"hard-inside.png", TarArchiveEntry.LF_LINK, "a.png"}, {"fifo.png", TarArchiveEntry.LF_FIFO, null},
                    {"chr.png", TarArchiveEntry.LF_CHR, null}, {"sym.png", TarArchiveEntry.LF_SYMLINK, "../../../etc/shadow"}}) {
                TarArchiveEntry entry = new TarArchiveEntry((String) special[0], (byte) special[1]);
                if (special[2] != null) {
                    entry.setLinkName((String) special[2]);
                }
                archive.putArchiveEntry(entry);
                archive.closeArchiveEntry();
            }
        }
        List<SplitEntry> split = split(tar);
        assertEquals(6, split.size());
        assertEquals(SplitEntry.Kind.IMAGE, split.get(0).kind());
        for (SplitEntry special : split.subList(1, split.size())) {
            assertEquals(SplitEntry.Kind.REJECTED, special.kind(), special.toString());
            assertTrue(special.error().contains("link or special file"), special.toString());
        }
        assertOnlyChunksWritten(1);
    }

    @Test
    void duplicateAndUnicodeNamesEachBecomeATaskOfTheirOwn() throws IOException {
        byte[] png = TestArchives.image("png", 4, 4);
        List<String> names = List.of("same.png", "same.png", "Same.PNG", "фото/ünïcödé 写真.png",
                "cafe\u0301.png", "caf\u00e9.png", "emoji/\uD83D\uDCF7.png", "\u202Egnp.exe.png");
        Path zip = root.resolve("names.zip");
        // commons-compress writes a name twice where java.util.zip refuses to
        try (ZipArchiveOutputStream archive = new ZipArchiveOutputStream(zip.toFile())) {
            for (String name : names) {
                archive.putArchiveEntry(new ZipArchiveEntry(name));
                archive.write(png);
                archive.closeArchiveEntry();
            }
        }
        List<SplitEntry> split = split(zip);
        assertEquals(names.size(), split.size(), split.toString());
        Set<String> taskIds = new TreeSet<>();
        for (SplitEntry entry : split) {
            taskIds.add(entry.taskId());
            if (entry.kind() == SplitEntry.Kind.REJECTED) {
                // only the right-to-left override, a control character that would disguise the name
                assertTrue(entry.name().contains("202e") || entry.name().contains("202E"), entry.toString());
            }
        }
        assertEquals(names.size(), taskIds.size(), "one task each, none overwriting another");
        assertTrue(split.stream().filter(e -> e.kind() == SplitEntry.Kind.IMAGE).count() >= names.size() - 1, split.toString());
    }

    /** Written as it is generated, and split as it is read: a million entries are never in memory or a list. */
    @Test
    void aMillionEntryArchiveIsSplitStreaming() throws IOException {
        int entries = 1_000_000;
        Path zip = writeEmptyEntries(root.resolve("million.zip"), entries);
        long seen = 0;
        long rejected = 0;
        long lastSeq = -1;
        try (CloseableIterator<SplitEntry> it = new ArchiveSplitter(IntakeLimits.defaults())
                .split(zip, root.resolve("chunks"), root.resolve("gt"))) {
            while (it.hasNext()) {
                SplitEntry entry = it.next();
                seen++;
                if (entry.kind() == SplitEntry.Kind.REJECTED) {
                    rejected++;
                }
                assertEquals(lastSeq + 1, entry.seq());
                lastSeq = entry.seq();
            }
        }
        assertEquals(entries, seen);
        assertEquals(entries, rejected, "none of them is an image");
    }

    /**
     * A zip of {@code count} empty stored files {@code dN/nI.txt}, written byte by byte (ZipOutputStream
     * takes minutes for a million): local headers, the central directory, and ZIP64 end records, as
     * more than 65,535 entries need.
     */
    private static Path writeEmptyEntries(Path file, int count) throws IOException {
        try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            ByteBuffer header = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
            long offset = 0;
            for (int i = 0; i < count; i++) {
                byte[] name = entryName(i);
                header.clear();
                header.putInt(0x04034b50).putShort((short) 10).putShort((short) 0).putShort((short) 0)
                        .putShort((short) 0).putShort((short) 0x21).putInt(0).putInt(0).putInt(0)
                        .putShort((short) name.length).putShort((short) 0);
                out.write(header.array(), 0, header.position());
                out.write(name);
                offset += header.position() + name.length;
            }
            long directory = offset;
            long localOffset = 0;
            for (int i = 0; i < count; i++) {
                byte[] name = entryName(i);
                header.clear();
                header.putInt(0x02014b50).putShort((short) 20).putShort((short) 10).putShort((short) 0)
                        .putShort((short) 0).putShort((short) 0).putShort((short) 0x21).putInt(0).putInt(0).putInt(0)
                        .putShort((short) name.length).putShort((short) 0).putShort((short) 0).putShort((short) 0)
                        .putShort((short) 0).putInt(0).putInt((int) localOffset);
                out.write(header.array(), 0, header.position());
                out.write(name);
                offset += header.position() + name.length;
                localOffset += 30 + name.length;
            }
            long directorySize = offset - directory;
            ByteBuffer end = ByteBuffer.allocate(56 + 20 + 22).order(ByteOrder.LITTLE_ENDIAN);
            end.putInt(0x06064b50).putLong(44).putShort((short) 45).putShort((short) 45).putInt(0).putInt(0)
                    .putLong(count).putLong(count).putLong(directorySize).putLong(directory);
            end.putInt(0x07064b50).putInt(0).putLong(offset).putInt(1);
            end.putInt(0x06054b50).putShort((short) 0).putShort((short) 0).putShort((short) 0xffff).putShort((short) 0xffff)
                    .putInt((int) directorySize).putInt((int) directory).putShort((short) 0);
            out.write(end.array());
        }
        return file;
    }

    private static byte[] entryName(int i) {
        return ("d" + (i % 1000) + "/n" + i + ".txt").getBytes(StandardCharsets.US_ASCII);
    }

    private List<SplitEntry> split(Path archive) throws IOException {
        List<SplitEntry> all = new ArrayList<>();
        try (CloseableIterator<SplitEntry> it = new ArchiveSplitter(IntakeLimits.defaults())
                .split(archive, root.resolve("chunks"), root.resolve("gt"))) {
            it.forEachRemaining(all::add);
        }
        return all;
    }

    private void assertOnlyChunksWritten(int chunks) throws IOException {
        try (var files = Files.walk(root)) {
            List<Path> written = files.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().endsWith(".tar")).toList();
            assertEquals(chunks, written.size(), written.toString());
            assertTrue(written.stream().allMatch(p -> p.startsWith(root.resolve("chunks"))), written.toString());
        }
    }
}
