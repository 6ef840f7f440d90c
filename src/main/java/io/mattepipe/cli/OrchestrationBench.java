package io.mattepipe.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * The cost of everything around the model: N small images through the running service, upload →
 * split → matting → comparison → results zip, over real HTTP, with a model so small that the
 * queues, SQLite, files and zips are what is measured.
 */
final class OrchestrationBench {

    private static final ObjectMapper JSON = new ObjectMapper();

    private OrchestrationBench() {
    }

    static Map<String, Object> run(int tasks, Path dataDir, Map<String, String> settings) throws Exception {
        Path upload = dataDir.resolveSibling(dataDir.getFileName() + "-" + tasks + "-images.zip");
        if (!Files.isRegularFile(upload)) {
            Files.createDirectories(upload.toAbsolutePath().getParent());
            writeZip(upload, tasks);
        }
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Map<String, String> overrides = new LinkedHashMap<>(settings);
        overrides.put("camel.server.port", String.valueOf(port));
        overrides.put("inbox.enabled", "false");
        HttpClient http = HttpClient.newHttpClient();
        Map<String, Object> result = new LinkedHashMap<>();
        StageSamples stages = new StageSamples();
        try (JobRunner runner = JobRunner.start(dataDir, true, overrides, Map.of("stageTimer", stages))) {
            long start = System.nanoTime();
            HttpResponse<String> accepted = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/upload?filename=bench.zip"))
                    .header("Content-Type", "application/zip").POST(HttpRequest.BodyPublishers.ofFile(upload)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (accepted.statusCode() != 202) {
                throw new IllegalStateException("upload refused: " + accepted.statusCode() + " " + accepted.body());
            }
            String job = JSON.readTree(accepted.body()).get("job_id").asText();
            long uploaded = System.nanoTime();
            JsonNode status;
            do {
                // as often as a person's browser asks: /status counts the job's tasks, O(n) per call
                Thread.sleep(1000);
                status = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/status/" + job)).build(),
                        HttpResponse.BodyHandlers.ofString()).body());
            } while (!status.get("state").asText().startsWith("completed"));
            long processed = System.nanoTime();
            long entries;
            try (InputStream zip = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/download/" + job)).build(),
                    HttpResponse.BodyHandlers.ofInputStream()).body()) {
                entries = countEntries(zip);
            }
            long downloaded = System.nanoTime();
            List<Instant> ends = completionTimes(runner.queries().tasks(job));
            int tenth = Math.max(1, ends.size() / 10);
            double first = rate(ends.subList(0, tenth + 1));
            double last = rate(ends.subList(ends.size() - tenth - 1, ends.size()));
            result.put("tasks", tasks);
            result.put("completed", status.get("completed").asInt());
            result.put("zip_entries", entries);
            result.put("tasks_per_s", BenchCommand.round(tasks / seconds(start, downloaded), 3));
            result.put("upload_s", BenchCommand.round(seconds(start, uploaded), 3));
            result.put("processing_s", BenchCommand.round(seconds(uploaded, processed), 3));
            result.put("download_s", BenchCommand.round(seconds(processed, downloaded), 3));
            result.put("first_10pct_tasks_per_s", BenchCommand.round(first, 3));
            result.put("last_10pct_tasks_per_s", BenchCommand.round(last, 3));
            result.put("last_over_first", BenchCommand.round(last / first, 3));
            result.put("stage_median_ms", stages.medianMillis());
        }
        return result;
    }

    /** Small PNGs, each a different colour so the encoders cannot cheat. */
    private static void writeZip(Path file, int count) throws IOException {
        SplittableRandom random = new SplittableRandom(42);
        try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
            for (int i = 0; i < count; i++) {
                BufferedImage image = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
                Graphics2D g = image.createGraphics();
                g.setColor(new Color(random.nextInt(1 << 24)));
                g.fillRect(0, 0, 64, 64);
                g.setColor(new Color(random.nextInt(1 << 24)));
                g.fillOval(8 + random.nextInt(16), 8 + random.nextInt(16), 32, 32);
                g.dispose();
                ByteArrayOutputStream png = new ByteArrayOutputStream();
                ImageIO.write(image, "png", png);
                zip.putNextEntry(new ZipEntry(String.format("img/%07d.png", i)));
                zip.write(png.toByteArray());
                zip.closeEntry();
            }
        }
    }

    private static long countEntries(InputStream in) throws IOException {
        long entries = 0;
        try (ZipInputStream zip = new ZipInputStream(in)) {
            byte[] buffer = new byte[1 << 16];
            while (zip.getNextEntry() != null) {
                while (zip.read(buffer) >= 0) {
                    // drained: a real client reads every byte
                }
                entries++;
            }
        }
        return entries;
    }

    private static List<Instant> completionTimes(Iterator<Map<String, Object>> tasks) {
        List<Instant> ends = new ArrayList<>();
        while (tasks.hasNext()) {
            Object end = tasks.next().get("end_time");
            if (end != null) {
                ends.add(Instant.parse(end.toString()));
            }
        }
        Collections.sort(ends);
        return ends;
    }

    /** Tasks per second between the first and the last completion of a slice. */
    private static double rate(List<Instant> slice) {
        double seconds = Duration.between(slice.get(0), slice.get(slice.size() - 1)).toNanos() / 1e9;
        return (slice.size() - 1) / Math.max(seconds, 1e-3);
    }

    private static double seconds(long from, long to) {
        return (to - from) / 1e9;
    }
}
