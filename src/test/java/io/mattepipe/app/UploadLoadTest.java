package io.mattepipe.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Many uploads at once, and bodies that trickle in, must not starve the rest of the API: each
 * upload streams to disk without holding one of Vert.x's worker threads, and {@code /health} and
 * {@code /status} keep answering. Latencies are printed (BENCHMARKS.md), never asserted.
 */
class UploadLoadTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CONCURRENT = 30;
    private static final int SLOW = 25;

    @TempDir
    Path root;

    @RegisterExtension
    final RunningApps apps = new RunningApps();

    private RunningApp app;

    @Test
    void thirtyConcurrentUploadsAreAllAcceptedWhileHealthAndStatusKeepAnswering() throws Exception {
        Path data = root.resolve("data");
        app = apps.start(data, Map.of("inbox.enabled", "false"));
        Path zip = paddedZip(root.resolve("load.zip"), 1536 * 1024);
        String first = upload(zip);

        List<CompletableFuture<HttpResponse<String>>> uploads = new ArrayList<>();
        try (LatencyProbe probe = new LatencyProbe(List.of(app.uri("/health"), app.uri("/status/" + first)))) {
            for (int i = 0; i < CONCURRENT; i++) {
                uploads.add(app.http.sendAsync(uploadRequest(zip), HttpResponse.BodyHandlers.ofString()));
            }
            for (CompletableFuture<HttpResponse<String>> upload : uploads) {
                HttpResponse<String> answer = upload.get(120, TimeUnit.SECONDS);
                assertEquals(202, answer.statusCode(), answer.body());
            }
            probe.close();
            System.out.println("/health and /status during " + CONCURRENT + " concurrent 1.5 MB uploads: " + probe.summary());
            assertTrue(probe.failures().isEmpty(), probe.failures().toString());
            assertTrue(probe.calls() > 0, "the probe never ran");
        }
        try (Stream<Path> raw = Files.list(data.resolve("input"))) {
            assertEquals(CONCURRENT + 1, raw.count(), "one input folder per upload");
        }
    }

    @Test
    void slowBodiesNeitherBlockOtherRequestsNorLeaveJobsOrBytesWhenTheyAreCutOff() throws Exception {
        Path data = root.resolve("data");
        app = apps.start(data, Map.of("inbox.enabled", "false"));
        Path zip = paddedZip(root.resolve("small.zip"), 4096);
        String first = upload(zip);

        List<Socket> slow = new ArrayList<>();
        try (LatencyProbe probe = new LatencyProbe(List.of(app.uri("/health"), app.uri("/status/" + first)))) {
            for (int i = 0; i < SLOW; i++) {
                Socket socket = new Socket("localhost", app.port);
                socket.getOutputStream().write(("POST /upload?filename=slow.zip HTTP/1.1\r\nHost: localhost\r\n"
                        + "Content-Type: application/zip\r\nContent-Length: 10000000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                slow.add(socket);
            }
            // 4 s of trickling: a few bytes per body every 200 ms
            for (int round = 0; round < 20; round++) {
                for (Socket socket : slow) {
                    socket.getOutputStream().write(new byte[16]);
                    socket.getOutputStream().flush();
                }
                Thread.sleep(200);
            }
            // a normal upload still goes through beside them
            upload(zip);
            probe.close();
            System.out.println("/health and /status during " + SLOW + " trickling uploads: " + probe.summary());
            assertTrue(probe.failures().isEmpty(), probe.failures().toString());
            assertTrue(probe.calls() > 0, "the probe never ran");
        } finally {
            for (Socket socket : slow) {
                socket.close();
            }
        }
        // the cut-off uploads made no job and left no bytes
        awaitNoStagedUploads(data);
        assertEquals(2, JSON.readTree(app.get("/jobs").body()).get("jobs").size());
    }

    private String upload(Path zip) throws Exception {
        HttpResponse<String> accepted = app.http.send(uploadRequest(zip), HttpResponse.BodyHandlers.ofString());
        assertEquals(202, accepted.statusCode(), accepted.body());
        return JSON.readTree(accepted.body()).get("job_id").asText();
    }

    private HttpRequest uploadRequest(Path zip) throws IOException {
        return HttpRequest.newBuilder(app.uri("/upload?filename=load.zip")).header("Content-Type", "application/zip")
                .timeout(Duration.ofMinutes(2)).POST(HttpRequest.BodyPublishers.ofFile(zip)).build();
    }

    /** Aborted uploads are removed when the server sees the connection close: soon, not at once. */
    static void awaitNoStagedUploads(Path data) throws Exception {
        Path staging = data.resolve("uploads");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (!Files.isDirectory(staging) || isEmpty(staging)) {
                return;
            }
            Thread.sleep(50);
        }
        try (Stream<Path> left = Files.walk(staging)) {
            throw new AssertionError("partial uploads left: " + left.toList());
        }
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        }
    }

    /** A zip of one small photo and {@code padding} bytes that do not compress (not an image: fails its task at once). */
    static Path paddedZip(Path file, int padding) throws IOException {
        byte[] bytes = new byte[padding];
        new SplittableRandom(3).nextBytes(bytes);
        CRC32 crc = new CRC32();
        crc.update(bytes);
        try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry("a.png"));
            zip.write(TestArchives.image("png", 32, 32));
            ZipEntry entry = new ZipEntry("padding.bin");
            entry.setMethod(ZipEntry.STORED);
            entry.setSize(padding);
            entry.setCrc(crc.getValue());
            zip.putNextEntry(entry);
            zip.write(bytes);
            zip.closeEntry();
        }
        return file;
    }

}
