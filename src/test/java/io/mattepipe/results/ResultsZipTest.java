package io.mattepipe.results;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultsZipTest {

    @TempDir
    Path dir;

    @Test
    void holdsExactlyTheItemsWithTheirBytes() throws IOException {
        Path png = file("a.png", random(50_000, 1));
        Path jpg = file("b_compare.jpg", random(20_000, 2));
        Path csv = file("report.csv", "name,state\r\n".repeat(2_000).getBytes(StandardCharsets.UTF_8));

        Path zip = dir.resolve("out.zip");
        long written;
        try (OutputStream out = Files.newOutputStream(zip)) {
            written = ResultsZip.write(List.of(
                    new ResultsZip.Item("a.png", png),
                    new ResultsZip.Item("sub/b_compare.jpg", jpg),
                    new ResultsZip.Item("report.csv", csv)).iterator(), out);
        }

        assertEquals(3, written);
        Map<String, byte[]> entries = read(zip);
        assertEquals(List.of("a.png", "sub/b_compare.jpg", "report.csv"), new ArrayList<>(entries.keySet()));
        assertArrayEquals(Files.readAllBytes(png), entries.get("a.png"));
        assertArrayEquals(Files.readAllBytes(jpg), entries.get("sub/b_compare.jpg"));
        assertArrayEquals(Files.readAllBytes(csv), entries.get("report.csv"));
        try (ZipFile file = new ZipFile(zip.toFile())) {
            ZipEntry image = file.getEntry("a.png");
            assertTrue(image.getCompressedSize() >= image.getSize(), "images are not deflated again");
            ZipEntry text = file.getEntry("report.csv");
            assertTrue(text.getCompressedSize() < text.getSize() / 10, "text is deflated");
        }
    }

    @Test
    void skipsMissingFilesUnsafeNamesAndRepeatedNames() throws IOException {
        Path ok = file("ok.png", random(100, 3));
        List<ResultsZip.Item> items = List.of(
                new ResultsZip.Item("missing.png", dir.resolve("never-written.png")),
                new ResultsZip.Item("../evil.png", ok),
                new ResultsZip.Item("a/../../evil.png", ok),
                new ResultsZip.Item("..\\evil.png", ok),
                new ResultsZip.Item("/etc/evil.png", ok),
                new ResultsZip.Item("\\evil.png", ok),
                new ResultsZip.Item("C:/evil.png", ok),
                new ResultsZip.Item("a//evil.png", ok),
                new ResultsZip.Item("dir/", ok),
                new ResultsZip.Item("", ok),
                new ResultsZip.Item("dir/ok.png", ok),
                new ResultsZip.Item("dir/ok.png", ok),
                new ResultsZip.Item("..names..are fine.png", ok));

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(2, ResultsZip.write(items.iterator(), out));
        Path zip = Files.write(dir.resolve("out.zip"), out.toByteArray());
        assertEquals(List.of("dir/ok.png", "..names..are fine.png"), new ArrayList<>(read(zip).keySet()));
    }

    @Test
    void leavesTheCallersStreamOpen() throws IOException {
        Path ok = file("ok.jpg", random(10, 4));
        AtomicInteger closes = new AtomicInteger();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        OutputStream out = new FilterOutputStream(bytes) {
            @Override
            public void close() {
                closes.incrementAndGet();
            }
        };

        assertEquals(1, ResultsZip.write(List.of(new ResultsZip.Item("ok.jpg", ok)).iterator(), out));

        assertEquals(0, closes.get());
        assertEquals(1, read(Files.write(dir.resolve("out.zip"), bytes.toByteArray())).size());
    }

    @Test
    void taskItemsMapCompletedTasksLazily() throws IOException {
        Path cutouts = Files.createDirectories(dir.resolve("cutouts"));
        Path panels = Files.createDirectories(dir.resolve("panels"));
        List<Map<String, Object>> rows = List.of(
                ReportWriterTest.task("t1", "one.jpg", "completed"),
                ReportWriterTest.task("t2", "two.jpg", "permanently_failed"),
                ReportWriterTest.task("t3", "three.jpg", "processing"),
                ReportWriterTest.task(4L, "four.jpg", "completed"));
        AtomicInteger pulled = new AtomicInteger();
        Iterator<Map<String, Object>> counting = new Iterator<>() {
            private final Iterator<Map<String, Object>> inner = rows.iterator();

            @Override
            public boolean hasNext() {
                return inner.hasNext();
            }

            @Override
            public Map<String, Object> next() {
                pulled.incrementAndGet();
                return inner.next();
            }
        };

        Iterator<ResultsZip.Item> items = ResultsZip.taskItems(counting, cutouts, panels, ".png");

        assertEquals(0, pulled.get());
        assertEquals(new ResultsZip.Item("one_jpg.png", cutouts.resolve("t1.png")), items.next());
        assertEquals(1, pulled.get());
        assertEquals(new ResultsZip.Item("one_jpg_compare.jpg", panels.resolve("t1_compare.jpg")), items.next());
        assertEquals(1, pulled.get());
        assertEquals(new ResultsZip.Item("four_jpg.png", cutouts.resolve("4.png")), items.next());
        assertEquals(4, pulled.get());
        assertEquals(new ResultsZip.Item("four_jpg_compare.jpg", panels.resolve("4_compare.jpg")), items.next());
        assertFalse(items.hasNext());
    }

    /** Rows, files and report all come from generators: nothing is listed up front. */
    @Test
    void zipsTwoThousandFilesAndAThreeThousandRowReportFromGeneratedRows() throws IOException {
        Path cutouts = Files.createDirectories(dir.resolve("matting_output"));
        Path results = Files.createDirectories(dir.resolve("final_results"));
        int tasks = 3_000;
        for (int i = 0; i < 1_000; i++) {
            Files.write(cutouts.resolve("t" + i + ".png"), random(200 + i, i));
            Files.write(results.resolve("t" + i + "_compare.jpg"), random(100 + i, -i));
        }
        new ReportWriter().write(ReportWriterTest.job(tasks), generatedRows(tasks), results);

        Iterator<ResultsZip.Item> reports = Stream.of(ReportWriter.JSON_FILE, ReportWriter.CSV_FILE, ReportWriter.HTML_FILE)
                .map(name -> new ResultsZip.Item(name, results.resolve(name))).iterator();
        Iterator<ResultsZip.Item> items = concat(
                ResultsZip.taskItems(generatedRows(tasks), cutouts, results, "png"), reports);
        Path zip = dir.resolve("results.zip");
        long written;
        try (OutputStream out = Files.newOutputStream(zip)) {
            written = ResultsZip.write(items, out);
        }

        // Tasks 1,000 and beyond have no files: skipped, not an error.
        assertEquals(2_003, written);
        try (ZipFile file = new ZipFile(zip.toFile())) {
            assertEquals(2_003, file.size());
            assertArrayEquals(random(200 + 999, 999), bytes(file, "photo_999_jpg.png"));
            assertArrayEquals(random(100 + 7, -7), bytes(file, "photo_7_jpg_compare.jpg"));
            assertArrayEquals(Files.readAllBytes(results.resolve("report.csv")), bytes(file, "report.csv"));
            assertEquals(tasks + 1, new String(bytes(file, "report.csv"), StandardCharsets.UTF_8).split("\r\n").length);
        }
    }

    /** Past 65,535 entries the zip needs Zip64 records; readers must still see every entry. */
    @Test
    void writesMoreEntriesThanPlainZipAllows() throws IOException {
        Path small = file("small.jpg", random(16, 5));
        int count = 70_000;
        Iterator<ResultsZip.Item> items = new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < count;
            }

            @Override
            public ResultsZip.Item next() {
                return new ResultsZip.Item("img_" + next++ + ".jpg", small);
            }
        };
        Path zip = dir.resolve("many.zip");
        try (OutputStream out = Files.newOutputStream(zip)) {
            assertEquals(count, ResultsZip.write(items, out));
        }
        try (ZipFile file = new ZipFile(zip.toFile())) {
            assertEquals(count, file.size());
            assertArrayEquals(random(16, 5), bytes(file, "img_69999.jpg"));
        }
    }

    private static Iterator<Map<String, Object>> generatedRows(int count) {
        return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < count;
            }

            @Override
            public Map<String, Object> next() {
                if (next >= count) {
                    throw new NoSuchElementException();
                }
                int i = next++;
                return ReportWriterTest.task("t" + i, "photo_" + i + ".jpg", "completed")
                        .with("iou", (i % 100) / 100.0).with("matting_ms", 900 + i % 200);
            }
        };
    }

    @SafeVarargs
    private static <T> Iterator<T> concat(Iterator<T>... parts) {
        return new Iterator<>() {
            private int part;

            @Override
            public boolean hasNext() {
                while (part < parts.length && !parts[part].hasNext()) {
                    part++;
                }
                return part < parts.length;
            }

            @Override
            public T next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return parts[part].next();
            }
        };
    }

    private Path file(String name, byte[] content) throws IOException {
        return Files.write(dir.resolve(name), content);
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static byte[] bytes(ZipFile file, String entry) throws IOException {
        ZipEntry found = file.getEntry(entry);
        assertTrue(found != null, "entry " + entry);
        try (InputStream in = file.getInputStream(found)) {
            return in.readAllBytes();
        }
    }

    /** Entries in zip order, with their bytes. */
    private static Map<String, byte[]> read(Path zip) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipFile file = new ZipFile(zip.toFile())) {
            for (ZipEntry entry : Collections.list(file.entries())) {
                try (InputStream in = file.getInputStream(entry)) {
                    entries.put(entry.getName(), in.readAllBytes());
                }
            }
        }
        return entries;
    }
}
