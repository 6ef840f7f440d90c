package io.mattepipe.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * kill -9 at the boundaries of the stages a job goes through (the matting stage is
 * {@link CrashRecoveryTest}'s): an upload, the split, the comparison, the outbox zip, an inbox drop.
 * After a restart nothing is lost, nothing is done twice, and nothing half-written is left.
 */
class StageKillTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path root;

    /** Killed while an upload's body streams in: no job, and its bytes are gone after the restart. */
    @Test
    void killedDuringAnUploadLeavesNoJobAndNoBytes() throws Exception {
        Path data = root.resolve("data");
        Path log = root.resolve("app.log");
        ChildApp first = ChildApp.start(data, "256m", log);
        try (Socket socket = new Socket("localhost", first.port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /upload?filename=cut.zip HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(new byte[300_000]);
            out.flush();
            awaitFile(data.resolve("uploads"), p -> p.toString().endsWith("cut.zip"));
            first.kill();
        } finally {
            first.kill();
        }
        try (ChildApp second = ChildApp.start(data, "256m", log)) {
            assertEquals(0, second.getJson("/jobs").get("jobs").size());
            try (Stream<Path> left = Files.walk(data.resolve("uploads"))) {
                assertEquals(1, left.count(), "only the empty uploads folder is left");
            }
        }
    }

    /** Killed while the archive is split (a one-slot matting queue holds the split open). */
    @Test
    void killedDuringTheSplitFinishesWithEveryImageOnce() throws Exception {
        killAndFinish(Map.of("matting.queue-size", "1", "matting.workers", "1"), 24, 200,
                status -> "splitting".equals(status.get("state").asText()) && status.get("total").asInt() > 2);
    }

    /** Killed while tasks are between matting and comparison, or being compared (big panels slow it down). */
    @Test
    void killedDuringComparisonFinishesWithEveryImageOnce() throws Exception {
        killAndFinish(Map.of("compare.panel-width", "2400"), 16, 600, status -> {
            JsonNode counts = status.get("counts");
            return counts.path("comparing").asInt() + counts.path("dispatched_comparison").asInt()
                    + counts.path("matting_done").asInt() > 0 && status.get("completed").asInt() >= 1;
        });
    }

    /**
     * Killed while the outbox zip of an inbox job is written (the moment its {@code .part} appears):
     * after the restart the outbox gets the whole zip, every entry intact and equal to the
     * download's, and no {@code .part} is left. Noisy images make cutouts big enough that the zip
     * takes a while to write.
     */
    @Test
    void killedWhileTheOutboxZipIsWrittenGetsAWholeZipAfterTheRestart() throws Exception {
        Path data = root.resolve("data");
        Path log = root.resolve("app.log");
        Path outbox = Files.createDirectories(data.resolve("outbox"));
        Path inbox = Files.createDirectories(data.resolve("inbox"));
        int images = 12;
        Map<String, byte[]> entries = new LinkedHashMap<>();
        for (int i = 0; i < images; i++) {
            entries.put(String.format("noise%02d.bmp", i), noise(800, 600, i));
        }
        Path made = root.resolve("shoot.zip");
        TestArchives.zip(made, entries);
        ChildApp first = ChildApp.start(data, "512m", log);
        try (WatchService watch = FileSystems.getDefault().newWatchService()) {
            outbox.register(watch, StandardWatchEventKinds.ENTRY_CREATE);
            Files.move(Files.copy(made, root.resolve("shoot.zip.copy")), inbox.resolve("shoot.zip"));
            awaitEvent(watch, outbox, name -> name.endsWith(".zip.part"), Duration.ofSeconds(240));
            first.kill();
        } finally {
            first.kill();
        }
        assertEquals(List.of(), outboxFiles(outbox, name -> name.endsWith("-results.zip")), "killed too late: the zip was whole");
        assertEquals(1, outboxFiles(outbox, name -> name.endsWith(".part")).size(), "the kill left no .part to clean up");

        Path zip;
        try (WatchService watch = FileSystems.getDefault().newWatchService()) {
            outbox.register(watch, StandardWatchEventKinds.ENTRY_CREATE);
            try (ChildApp second = ChildApp.start(data, "512m", log)) {
                zip = outbox.resolve(awaitEvent(watch, outbox, name -> name.endsWith("-results.zip"), Duration.ofSeconds(120)));
                String job = second.getJson("/jobs").get("jobs").get(0).get("job_id").asText();
                JsonNode status = second.getJson("/status/" + job);
                assertEquals("completed", status.get("state").asText(), status.toString());
                assertEquals(images, status.get("completed").asInt(), status.toString());
                Map<String, byte[]> outboxZip = readEveryEntry(Files.readAllBytes(zip));
                assertEquals(2 * images + 3, outboxZip.size(), outboxZip.keySet().toString());
                Map<String, byte[]> download = readEveryEntry(second.http.send(HttpRequest.newBuilder(second.uri("/download/" + job)).build(),
                        HttpResponse.BodyHandlers.ofByteArray()).body());
                assertEquals(download.keySet(), outboxZip.keySet());
                for (Map.Entry<String, byte[]> entry : download.entrySet()) {
                    assertArrayEquals(entry.getValue(), outboxZip.get(entry.getKey()), entry.getKey());
                }
            }
        }
        assertEquals(List.of(), outboxFiles(outbox, name -> name.endsWith(".part")), "a .part left by the kill");
        assertEquals(List.of(zip.getFileName().toString()), outboxFiles(outbox, name -> true), "one zip in the outbox, nothing else");
    }

    /**
     * A folder dropped into the inbox as the service is killed (the moment the inbox moves it out,
     * into its job): after the restart it is exactly one job, every image done once.
     */
    @Test
    void aFolderDroppedAsTheServiceIsKilledBecomesExactlyOneJob() throws Exception {
        Path data = root.resolve("data");
        Path log = root.resolve("app.log");
        Path inbox = Files.createDirectories(data.resolve("inbox"));
        int images = 6;
        ChildApp first = ChildApp.start(data, "256m", log);
        try (WatchService watch = FileSystems.getDefault().newWatchService()) {
            inbox.register(watch, StandardWatchEventKinds.ENTRY_DELETE);
            Path folder = Files.createDirectories(inbox.resolve("shoot"));
            for (int i = 0; i < images; i++) {
                Files.write(folder.resolve("p" + i + ".png"), TestArchives.image("png", 300, 200));
            }
            Files.createFile(folder.resolve("READY"));
            awaitEvent(watch, inbox, "shoot"::equals, Duration.ofSeconds(120));
            first.kill();
        } finally {
            first.kill();
        }
        try (ChildApp second = ChildApp.start(data, "256m", log)) {
            long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
            JsonNode jobs = second.getJson("/jobs").get("jobs");
            // none yet when the kill came before the row: the inbox takes the folder again after its read lock
            while (jobs.size() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(100);
                jobs = second.getJson("/jobs").get("jobs");
            }
            assertEquals(1, jobs.size(), jobs.toString());
            String job = jobs.get(0).get("job_id").asText();
            JsonNode done = second.awaitStatus(job, s -> s.get("state").asText().startsWith("completed"), Duration.ofSeconds(120));
            assertEquals("completed", done.get("state").asText(), done.toString());
            assertEquals(images, done.get("completed").asInt(), done.toString());
            assertEquals(images, done.get("total").asInt(), "READY is no task: " + done);
            assertEquals(1, second.getJson("/jobs").get("jobs").size(), "one drop, one job");
        }
        assertTrue(Files.notExists(inbox.resolve("shoot")), "left in the inbox");
    }

    /** Waits for a watched event on a name in {@code dir} that {@code which} accepts; returns the name. */
    static String awaitEvent(WatchService watch, Path dir, Predicate<String> which, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            WatchKey key = watch.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (key == null) {
                break;
            }
            for (WatchEvent<?> event : key.pollEvents()) {
                if (event.context() instanceof Path name && which.test(name.toString())) {
                    return name.toString();
                }
            }
            key.reset();
        }
        throw new AssertionError("no such event in " + dir + " within " + timeout);
    }

    private static List<String> outboxFiles(Path outbox, Predicate<String> which) throws Exception {
        try (Stream<Path> files = Files.list(outbox)) {
            return files.map(p -> p.getFileName().toString()).filter(which).sorted().toList();
        }
    }

    /** Every entry of a zip read to its end, so that each one's CRC is checked (ZipInputStream does). */
    private static Map<String, byte[]> readEveryEntry(byte[] zip) throws Exception {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                assertNull(entries.put(entry.getName(), in.readAllBytes()), "a duplicate entry " + entry.getName());
            }
        }
        return entries;
    }

    /**
     * A BMP of random pixels (uncompressed, so cheap to make): its cutout compresses badly, and is
     * as big as a cutout gets.
     */
    private static byte[] noise(int width, int height, long seed) throws Exception {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(seed);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, random.nextInt(1 << 24));
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "bmp", out);
        return out.toByteArray();
    }

    private void killAndFinish(Map<String, String> settings, int images, int size, Predicate<JsonNode> killWhen) throws Exception {
        Path data = root.resolve("data");
        Path log = root.resolve("app.log");
        Map<String, byte[]> entries = new LinkedHashMap<>();
        for (int i = 0; i < images; i++) {
            entries.put(String.format("img%02d.png", i), TestArchives.image("png", size, size * 3 / 4));
        }
        Path upload = root.resolve("many.zip");
        TestArchives.zip(upload, entries);
        String job;
        ChildApp first = ChildApp.start(data, "512m", log, settings, List.of());
        try {
            HttpResponse<String> accepted = first.http.send(HttpRequest.newBuilder(first.uri("/upload?filename=many.zip"))
                    .POST(HttpRequest.BodyPublishers.ofFile(upload)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(202, accepted.statusCode(), accepted.body());
            job = JSON.readTree(accepted.body()).get("job_id").asText();
            JsonNode atKill = first.awaitStatus(job, killWhen, Duration.ofSeconds(90));
            first.kill();
            assertTrue(atKill.get("completed").asInt() < images, "killed too late to test anything: " + atKill);
        } finally {
            first.kill();
        }
        try (ChildApp second = ChildApp.start(data, "512m", log, settings, List.of())) {
            JsonNode done = second.awaitStatus(job, s -> s.get("state").asText().startsWith("completed"), Duration.ofSeconds(180));
            assertEquals("completed", done.get("state").asText(), done.toString());
            assertEquals(images, done.get("completed").asInt(), done.toString());
            HttpResponse<byte[]> zip = second.http.send(HttpRequest.newBuilder(second.uri("/download/" + job)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            Map<String, byte[]> results = TestArchives.unzip(zip.body()); // fails on a duplicate entry
            assertEquals(2 * images + 3, results.size(), results.keySet().toString());
        }
        try (Stream<Path> chunks = Files.list(data.resolve("input").resolve(job).resolve("chunks"))) {
            assertEquals(images, chunks.count(), "each image split once, no part file left");
        }
    }

    private static void awaitFile(Path dir, Predicate<Path> which) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.isDirectory(dir)) {
                try (Stream<Path> files = Files.walk(dir)) {
                    if (files.anyMatch(p -> which.test(p) && sizeOf(p) > 0)) {
                        return;
                    }
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no file in " + dir);
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (java.io.IOException gone) {
            return 0;
        }
    }
}
