package io.mattepipe.intake;

import io.mattepipe.intake.SplitEntry.Kind;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ArchiveSplitterTest {

    @TempDir
    Path tmp;

    private Path raw;
    private Path chunks;
    private Path gt;
    private final ArchiveSplitter splitter = new ArchiveSplitter(IntakeLimits.defaults());

    @BeforeEach
    void folders() throws IOException {
        raw = Files.createDirectories(tmp.resolve("raw"));
        chunks = tmp.resolve("chunks");
        gt = tmp.resolve("gt");
    }

    @Test
    void taskIdsAreTheSequenceNumberZeroPaddedToSixDigits() {
        assertEquals(List.of("000000", "000042", "999999", "1000000"),
                List.of(ArchiveSplitter.taskId(0), ArchiveSplitter.taskId(42), ArchiveSplitter.taskId(999_999),
                        ArchiveSplitter.taskId(1_000_000)));
    }

    @Test
    void zipEntriesBecomeImagesGroundTruthAndRejects() throws IOException {
        byte[] cat = png(3, 2);
        byte[] catMatte = png(3, 2);
        byte[] dogMatte = png(5, 5);
        byte[] dog = png(4, 4);
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("photos/", new byte[0]);
        entries.put("photos/cat.jpg", cat);
        entries.put("../evil.jpg", png(1, 1));
        entries.put("/etc/x.jpg", png(1, 1));
        entries.put("bad\u0001name.jpg", png(1, 1));
        entries.put("readme.txt", text("hello"));
        entries.put("__MACOSX/._a.jpg", png(1, 1));
        entries.put("photos/.DS_Store", text("junk"));
        entries.put("photos/cat.alpha.png", catMatte);
        entries.put("gt/dog.png", dogMatte);
        entries.put("dog.PNG", dog);
        entries.put("inner.zip", zipBytes(Map.of("x.png", png(1, 1))));
        Path zip = zip(raw.resolve("upload.zip"), entries);

        List<SplitEntry> split = splitAll(zip);

        assertEquals(List.of(
                "IMAGE 0 000000 photos/cat.jpg",
                "REJECTED 1 000001 ../evil.jpg unsafe path in archive: ../evil.jpg",
                "REJECTED 2 000002 /etc/x.jpg unsafe path in archive: /etc/x.jpg",
                "REJECTED 3 000003 bad\\u0001name.jpg unsafe path in archive: bad\\u0001name.jpg",
                "REJECTED 4 000004 readme.txt not an image: readme.txt (unsupported extension .txt)",
                "GROUND_TRUTH -1 null photos/cat.alpha.png",
                "GROUND_TRUTH -1 null gt/dog.png",
                "IMAGE 5 000005 dog.PNG",
                "REJECTED 6 000006 inner.zip not an image: nested archive"), describe(split));
        assertEquals(chunks.resolve("000000.jpg"), split.get(0).file());
        assertArrayEquals(cat, Files.readAllBytes(chunks.resolve("000000.jpg")));
        assertArrayEquals(dog, Files.readAllBytes(chunks.resolve("000005.png")));
        assertEquals(gt.resolve("photos/cat.alpha.png"), split.get(5).file());
        assertArrayEquals(catMatte, Files.readAllBytes(gt.resolve("photos/cat.alpha.png")));
        assertArrayEquals(dogMatte, Files.readAllBytes(gt.resolve("dog.alpha.png")));
        split.stream().filter(e -> e.kind() == Kind.REJECTED).forEach(e -> assertNull(e.file()));
        assertEquals(List.of("000000.jpg", "000005.png"), fileNames(chunks));
        assertWrittenOnlyToOutputs();
    }

    @Test
    void tarEntriesAreSplitLikeZipEntries() throws IOException {
        assertTarSplit(raw.resolve("upload.tar"), false);
    }

    @Test
    void gzippedTarEntriesAreSplitLikeZipEntries() throws IOException {
        assertTarSplit(raw.resolve("upload.tar.gz"), true);
    }

    @Test
    void anArchiveIsKnownByItsBytesWhenItsNameSaysNothing() throws IOException {
        Path upload = tar(raw.resolve("upload.bin"), true, Map.of("a.png", png(2, 2)));
        assertEquals(List.of("IMAGE 0 000000 a.png"), describe(splitAll(upload)));
    }

    @Test
    void aFolderIsWalkedInSortedOrderWithRelativeNames() throws IOException {
        write(raw.resolve("b/2.png"), png(1, 1));
        write(raw.resolve("a/sub/0.png"), png(1, 1));
        write(raw.resolve("a/1.png"), png(1, 1));
        write(raw.resolve("c.png"), png(1, 1));
        write(raw.resolve(".DS_Store"), text("junk"));
        write(raw.resolve("notes.txt"), text("notes"));
        write(raw.resolve("gt/c.png"), png(1, 1));
        Map<String, byte[]> inZip = new LinkedHashMap<>();
        inZip.put("inner/x.png", png(1, 1));
        inZip.put("gt/inner/x.png", png(1, 1));
        zip(raw.resolve("z.zip"), inZip);

        assertEquals(List.of(
                "IMAGE 0 000000 a/1.png",
                "IMAGE 1 000001 a/sub/0.png",
                "IMAGE 2 000002 b/2.png",
                "IMAGE 3 000003 c.png",
                "GROUND_TRUTH -1 null gt/c.png",
                "REJECTED 4 000004 notes.txt not an image: notes.txt (unsupported extension .txt)",
                "IMAGE 5 000005 inner/x.png",
                "GROUND_TRUTH -1 null gt/inner/x.png"), describe(splitAll(raw)));
        assertTrue(Files.isRegularFile(gt.resolve("c.alpha.png")));
        assertTrue(Files.isRegularFile(gt.resolve("inner/x.alpha.png")));
        assertWrittenOnlyToOutputs();
    }

    @Test
    void aSingleFileIsNamedByItsFileName() throws IOException {
        byte[] image = png(2, 2);
        Path file = write(raw.resolve("Cat.JPG"), image);
        List<SplitEntry> split = splitAll(file);
        assertEquals(List.of("IMAGE 0 000000 Cat.JPG"), describe(split));
        assertArrayEquals(image, Files.readAllBytes(chunks.resolve("000000.jpg")));

        Path notes = write(raw.resolve("notes.txt"), text("notes"));
        assertEquals(List.of("REJECTED 0 000000 notes.txt not an image: notes.txt (unsupported extension .txt)"),
                describe(splitAll(notes)));
    }

    @Test
    void aDecompressionBombIsRejectedAndTheArchiveGoesOn() throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("bomb.png", new byte[50 << 20]);
        entries.put("after.png", png(2, 2));
        Path zip = zip(raw.resolve("upload.zip"), entries);
        assertTrue(Files.size(zip) < 100 << 10, "the fixture deflates 50 MiB to " + Files.size(zip) + " bytes");

        List<SplitEntry> split = splitAll(zip);

        assertEquals(Kind.REJECTED, split.get(0).kind());
        assertEquals("refused: bomb.png exceeds maxCompressionRatio (200:1, a likely decompression bomb)", split.get(0).error());
        assertEquals("IMAGE 1 000001 after.png", describe(split).get(1));
        assertEquals(List.of("000001.png"), fileNames(chunks));
        assertWrittenOnlyToOutputs();
    }

    @Test
    void anEntryOverTheSizeLimitIsRejectedAndTheArchiveGoesOn() throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("big.png", random(5000));
        entries.put("small.png", random(100));
        Path zip = zip(raw.resolve("upload.zip"), entries);
        ArchiveSplitter small = new ArchiveSplitter(new IntakeLimits(1000, 1L << 30, 100, 200));

        List<SplitEntry> split = splitAll(small, zip);

        assertEquals(List.of(
                "REJECTED 0 000000 big.png refused: big.png exceeds maxEntryBytes (1000 bytes)",
                "IMAGE 1 000001 small.png"), describe(split));
        assertEquals(List.of("000001.png"), fileNames(chunks));
    }

    @Test
    void tooManyBytesInAllRefuseTheJob() throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        for (int i = 0; i < 3; i++) {
            entries.put(i + ".png", random(1000));
        }
        Path zip = zip(raw.resolve("upload.zip"), entries);
        ArchiveSplitter small = new ArchiveSplitter(new IntakeLimits(1L << 20, 1500, 100, 200));

        try (CloseableIterator<SplitEntry> it = small.split(zip, chunks, gt)) {
            assertEquals(Kind.IMAGE, it.next().kind());
            ArchiveRefusedException e = assertThrows(ArchiveRefusedException.class, it::next);
            assertEquals("refused: the job exceeds maxTotalBytes (1500 bytes) at 1.png", e.getMessage());
            assertFalse(it.hasNext());
        }
        assertEquals(List.of("000000.png"), fileNames(chunks));
        assertWrittenOnlyToOutputs();
    }

    @Test
    void tooManyEntriesRefuseTheJobFromNext() throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        for (int i = 0; i < 5; i++) {
            entries.put(i + ".png", png(1, 1));
        }
        Path zip = zip(raw.resolve("upload.zip"), entries);
        ArchiveSplitter small = new ArchiveSplitter(new IntakeLimits(1L << 20, 1L << 30, 3, 200));

        try (CloseableIterator<SplitEntry> it = small.split(zip, chunks, gt)) {
            for (int i = 0; i < 3; i++) {
                assertEquals(i, it.next().seq());
            }
            assertTrue(it.hasNext(), "the failure is delivered by next(), not by hasNext()");
            ArchiveRefusedException e = assertThrows(ArchiveRefusedException.class, it::next);
            assertEquals("refused: the job exceeds maxEntries (3 files)", e.getMessage());
            assertFalse(it.hasNext());
        }
    }

    @Test
    void eachNextReadsOnlyAsFarAsOneEntry() throws IOException {
        byte[] tiny = text("x");
        Map<String, byte[]> entries = new LinkedHashMap<>();
        for (int i = 0; i < 10_000; i++) {
            entries.put(String.format("img%05d.png", i), tiny);
        }
        Path zip = zip(raw.resolve("upload.zip"), entries);

        try (CloseableIterator<SplitEntry> it = splitter.split(zip, chunks, gt)) {
            assertEquals("img00000.png", it.next().name());
            assertEquals(List.of("000000.png"), fileNames(chunks));
        }
    }

    @Test
    void aTruncatedZipIsRefusedAsCorrupt() throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        for (int i = 0; i < 3; i++) {
            entries.put(i + ".png", random(100_000));
        }
        byte[] whole = zipBytes(entries);
        Path zip = write(raw.resolve("upload.zip"), Arrays.copyOf(whole, whole.length / 2));

        try (CloseableIterator<SplitEntry> it = splitter.split(zip, chunks, gt)) {
            ArchiveRefusedException e = assertThrows(ArchiveRefusedException.class, it::next);
            assertTrue(e.getMessage().startsWith("corrupt archive upload.zip: "), e.getMessage());
        }
        assertEquals(List.of(), fileNames(chunks));
        assertWrittenOnlyToOutputs();
    }

    @Test
    void corruptionMidwayKeepsTheEntriesBeforeIt() throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        for (int i = 0; i < 3; i++) {
            entries.put(i + ".png", random(1000));
        }
        byte[] bytes = zipBytes(entries);
        int third = nthLocalHeader(bytes, 2);
        bytes[third] = 'X';
        Path zip = write(raw.resolve("upload.zip"), bytes);

        try (CloseableIterator<SplitEntry> it = splitter.split(zip, chunks, gt)) {
            assertEquals("0.png", it.next().name());
            assertEquals("1.png", it.next().name());
            ArchiveRefusedException e = assertThrows(ArchiveRefusedException.class, it::next);
            assertTrue(e.getMessage().startsWith("corrupt archive upload.zip: "), e.getMessage());
        }
        assertEquals(List.of("000000.png", "000001.png"), fileNames(chunks));
    }

    @Test
    void aTruncatedTarGzIsRefusedAsCorrupt() throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        for (int i = 0; i < 3; i++) {
            entries.put(i + ".png", random(100_000));
        }
        Path whole = tar(tmp.resolve("whole.tar.gz"), true, entries);
        byte[] bytes = Files.readAllBytes(whole);
        Path cut = write(raw.resolve("upload.tar.gz"), Arrays.copyOf(bytes, bytes.length / 2));

        try (CloseableIterator<SplitEntry> it = splitter.split(cut, chunks, gt)) {
            assertEquals("0.png", it.next().name());
            ArchiveRefusedException e = assertThrows(ArchiveRefusedException.class, () -> {
                while (it.hasNext()) {
                    it.next();
                }
            });
            assertTrue(e.getMessage().startsWith("corrupt archive upload.tar.gz: "), e.getMessage());
        }
        assertFalse(listAll(chunks).stream().anyMatch(name -> name.endsWith(".part")));
    }

    @Test
    void aTarCutBetweenEntriesIsRefusedAsCorrupt() throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        for (int i = 0; i < 3; i++) {
            entries.put(i + ".png", random(1000));
        }
        byte[] bytes = Files.readAllBytes(tar(tmp.resolve("whole.tar"), false, entries));
        // one header record and two data records: the cut falls just before the second header
        Path cut = write(raw.resolve("upload.tar"), Arrays.copyOf(bytes, 3 * 512));

        try (CloseableIterator<SplitEntry> it = splitter.split(cut, chunks, gt)) {
            ArchiveRefusedException e = assertThrows(ArchiveRefusedException.class, it::next);
            assertEquals("corrupt archive upload.tar: no end-of-archive record (truncated?)", e.getMessage());
        }
    }

    @Test
    void aRerunGivesTheSameTaskIdsAndReplacesTheFiles() throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("b.png", png(1, 1));
        entries.put("notes.txt", text("n"));
        entries.put("a/c.jpg", png(2, 1));
        entries.put("a/c.alpha.png", png(2, 1));
        Path zip = zip(raw.resolve("upload.zip"), entries);

        List<SplitEntry> first = splitAll(zip);
        List<SplitEntry> second = splitAll(zip);

        assertEquals(first, second);
        assertEquals(List.of("000000.png", "000002.jpg"), fileNames(chunks));
        assertWrittenOnlyToOutputs();
    }

    @Test
    void outputFoldersInsideTheUploadAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> splitter.split(raw, raw.resolve("chunks"), gt));
    }

    private void assertTarSplit(Path archive, boolean gzip) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        byte[] a = png(2, 3);
        entries.put("./photos/", new byte[0]);
        entries.put("./photos/a.png", a);
        entries.put("../evil.png", png(1, 1));
        entries.put("/abs.png", png(1, 1));
        entries.put("photos/a.alpha.png", png(2, 3));
        entries.put("link.png", null);
        entries.put("photos/b.tif", png(1, 1));
        tar(archive, gzip, entries);

        List<SplitEntry> split = splitAll(archive);

        assertEquals(List.of(
                "IMAGE 0 000000 photos/a.png",
                "REJECTED 1 000001 ../evil.png unsafe path in archive: ../evil.png",
                "REJECTED 2 000002 /abs.png unsafe path in archive: /abs.png",
                "GROUND_TRUTH -1 null photos/a.alpha.png",
                "REJECTED 3 000003 link.png not an image: link.png (link or special file)",
                "IMAGE 4 000004 photos/b.tif"), describe(split));
        assertArrayEquals(a, Files.readAllBytes(chunks.resolve("000000.png")));
        assertTrue(Files.isRegularFile(gt.resolve("photos/a.alpha.png")));
        assertWrittenOnlyToOutputs();
    }

    private List<SplitEntry> splitAll(Path input) throws IOException {
        return splitAll(splitter, input);
    }

    private List<SplitEntry> splitAll(ArchiveSplitter with, Path input) throws IOException {
        List<SplitEntry> all = new ArrayList<>();
        try (CloseableIterator<SplitEntry> it = with.split(input, chunks, gt)) {
            it.forEachRemaining(all::add);
        }
        return all;
    }

    private static List<String> describe(List<SplitEntry> entries) {
        return entries.stream().map(e -> e.kind() + " " + e.seq() + " " + e.taskId() + " " + e.name()
                + (e.error() == null ? "" : " " + e.error())).toList();
    }

    /** Every file under the temp folder is the upload or lies in chunks/ or gt/, and none is a part file. */
    private void assertWrittenOnlyToOutputs() throws IOException {
        try (Stream<Path> all = Files.walk(tmp)) {
            all.filter(Files::isRegularFile).forEach(file -> {
                assertTrue(file.startsWith(raw) || file.startsWith(chunks) || file.startsWith(gt)
                        || file.getParent().equals(tmp), "written outside the outputs: " + file);
                assertFalse(file.getFileName().toString().endsWith(".part"), "left behind: " + file);
            });
        }
    }

    private static List<String> fileNames(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static List<String> listAll(Path folder) throws IOException {
        try (Stream<Path> files = Files.walk(folder)) {
            return files.map(Path::toString).toList();
        }
    }

    private static byte[] png(int width, int height) throws IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        image.setRGB(0, 0, 0x336699);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    private static byte[] text(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] random(int length) {
        byte[] bytes = new byte[length];
        new Random(length).nextBytes(bytes);
        return bytes;
    }

    private static Path write(Path file, byte[] bytes) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.write(file, bytes);
    }

    private static Path zip(Path file, Map<String, byte[]> entries) throws IOException {
        return write(file, zipBytes(entries));
    }

    /** Entry names go in unchecked, as a hostile archiver would write them; a name ending in / is a folder. */
    private static byte[] zipBytes(Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(entry.getKey()));
                zip.write(entry.getValue());
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    /** A null value is a symbolic link to /etc/passwd; absolute names are kept as given. */
    private static Path tar(Path file, boolean gzip, Map<String, byte[]> entries) throws IOException {
        Files.createDirectories(file.getParent());
        try (OutputStream out = gzip ? new GzipCompressorOutputStream(Files.newOutputStream(file)) : Files.newOutputStream(file);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
                TarArchiveEntry header;
                if (entry.getValue() == null) {
                    header = new TarArchiveEntry(entry.getKey(), TarArchiveEntry.LF_SYMLINK);
                    header.setLinkName("/etc/passwd");
                } else {
                    header = new TarArchiveEntry(entry.getKey(), true);
                    header.setSize(entry.getValue().length);
                }
                tar.putArchiveEntry(header);
                if (entry.getValue() != null) {
                    tar.write(entry.getValue());
                }
                tar.closeArchiveEntry();
            }
        }
        return file;
    }

    private static int nthLocalHeader(byte[] zip, int n) {
        int found = -1;
        for (int at = 0; at + 4 <= zip.length; at++) {
            if (zip[at] == 'P' && zip[at + 1] == 'K' && zip[at + 2] == 3 && zip[at + 3] == 4 && ++found == n) {
                return at;
            }
        }
        throw new IllegalStateException("no local header " + n);
    }
}
