package io.mattepipe.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Uploads are streamed to disk: 300 MB through a JVM whose whole heap is 256 MB. */
class LargeUploadTest {

    private static final long PADDING = 300L << 20;

    @TempDir
    Path root;

    @Test
    void anUploadLargerThanTheHeapIsStreamedToDisk() throws Exception {
        Path upload = root.resolve("big.zip");
        writeZipWithIncompressiblePadding(upload);
        Path data = root.resolve("data");
        try (ChildApp app = ChildApp.start(data, "256m", root.resolve("app.log"))) {
            HttpResponse<String> accepted = app.http.send(HttpRequest.newBuilder(app.uri("/upload?filename=big.zip"))
                    .header("Content-Type", "application/zip").timeout(Duration.ofMinutes(5))
                    .POST(HttpRequest.BodyPublishers.ofFile(upload)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(202, accepted.statusCode(), accepted.body());
            String job = new ObjectMapper().readTree(accepted.body()).get("job_id").asText();
            JsonNode done = app.awaitStatus(job, s -> s.get("state").asText().startsWith("completed"), Duration.ofMinutes(3));
            // two photos done; the padding is not an image
            assertEquals(2, done.get("completed").asInt(), done.toString());
            assertEquals(1, done.get("failed").asInt(), done.toString());
        }
        try (var raw = Files.list(data.resolve("input"))) {
            Path received = raw.findFirst().orElseThrow().resolve("raw").resolve("big.zip");
            assertEquals(Files.size(upload), Files.size(received));
        }
    }

    /** Random bytes do not compress, so the request body really is 300 MB. */
    private static void writeZipWithIncompressiblePadding(Path file) throws Exception {
        byte[] block = new byte[1 << 20];
        CRC32 crc = new CRC32();
        SplittableRandom random = new SplittableRandom(7);
        for (long written = 0; written < PADDING; written += block.length) {
            fill(block, random);
            crc.update(block);
        }
        try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry("a.png"));
            zip.write(TestArchives.image("png", 64, 64));
            ZipEntry padding = new ZipEntry("padding.bin");
            padding.setMethod(ZipEntry.STORED);
            padding.setSize(PADDING);
            padding.setCrc(crc.getValue());
            zip.putNextEntry(padding);
            random = new SplittableRandom(7);
            for (long written = 0; written < PADDING; written += block.length) {
                fill(block, random);
                zip.write(block);
            }
            zip.putNextEntry(new ZipEntry("b.jpg"));
            zip.write(TestArchives.image("jpg", 64, 64));
            zip.closeEntry();
        }
    }

    private static void fill(byte[] block, SplittableRandom random) {
        for (int i = 0; i < block.length; i += 8) {
            long value = random.nextLong();
            for (int b = 0; b < 8; b++) {
                block[i + b] = (byte) (value >>> (8 * b));
            }
        }
    }
}
