package io.mattepipe.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mattepipe.access.ApiKeys;
import io.mattepipe.app.DataLayout;
import io.mattepipe.app.Settings;
import io.mattepipe.state.Clock;
import io.mattepipe.state.Database;
import org.apache.commons.dbcp2.BasicDataSource;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
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

    /**
     * Images in the warm-up job, so that the measured job runs on compiled code, as a running service
     * does. A method run once per image reaches C2's thresholds only after several thousand images:
     * after a warm-up of 3,000 the JIT compilers still took 23 % of the measured 10,000-image job's
     * CPU, after 10,000 they take 14 % (BENCHMARKS.md).
     */
    static final int WARM_UP_TASKS = 10_000;

    /** Requests to {@code GET /auth/me} timed after the measured job: the cost of the access check alone, per request. */
    private static final int CHECKED_REQUESTS = 2_000;

    /** @param withKey the service has an API key and every request sends it; otherwise a loopback client needs none */
    static Map<String, Object> run(int tasks, Path dataDir, Map<String, String> settings, boolean withKey) throws Exception {
        Path upload = generatedUpload(dataDir, tasks);
        Path warmUpload = generatedUpload(dataDir, Math.min(tasks, WARM_UP_TASKS));
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Map<String, String> overrides = new LinkedHashMap<>(settings);
        overrides.put("camel.server.port", String.valueOf(port));
        overrides.put("inbox.enabled", "false");
        Client client = new Client(HttpClient.newHttpClient(), "http://localhost:" + port, withKey ? createKey(dataDir) : null);
        Map<String, Object> result = new LinkedHashMap<>();
        StageSamples stages = new StageSamples();
        try (JobRunner runner = JobRunner.start(dataDir, true, overrides, Map.of("stageTimer", stages))) {
            Map<String, Object> warmUp = client.runJob(warmUpload, runner);
            stages.clear();
            Map<String, Object> measured = client.runJob(upload, runner);
            result.put("tasks", tasks);
            result.putAll(measured);
            result.put("stage_median_ms", stages.medianMillis());
            result.put("warm_up_tasks", warmUp.get("completed"));
            result.put("warm_up_tasks_per_s", warmUp.get("tasks_per_s"));
            result.put("api_key", withKey);
            result.put("access_check_request_median_us", client.medianMicros("/auth/me", CHECKED_REQUESTS));
        }
        return result;
    }

    private static Path generatedUpload(Path dataDir, int tasks) throws IOException {
        Path upload = dataDir.resolveSibling(dataDir.getFileName() + "-" + tasks + "-images.zip");
        if (!Files.isRegularFile(upload)) {
            Files.createDirectories(upload.toAbsolutePath().getParent());
            writeZip(upload, tasks);
        }
        return upload;
    }

    /** An admin key in the data folder's database, as {@code keys create} makes it. */
    private static String createKey(Path dataDir) throws SQLException {
        Settings settings = Settings.load();
        BasicDataSource pool = Database.open(Database.url("", new DataLayout(dataDir).database()), "", "", 1);
        try {
            return new ApiKeys(pool, new Clock(Duration.ofMillis(settings.getLong("task.lease-ms")))).create("bench", true);
        } finally {
            Database.close(pool);
        }
    }

    /** @param key sent as {@code Authorization: Bearer} with every request; null for none */
    private record Client(HttpClient http, String base, String key) {

        private HttpRequest.Builder request(String path) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path));
            return key == null ? request : request.header("Authorization", "Bearer " + key);
        }

        /** The median time of {@code count} requests of {@code path}, one after the other, in microseconds. */
        long medianMicros(String path, int count) throws IOException, InterruptedException {
            long[] micros = new long[count];
            for (int i = 0; i < count; i++) {
                long start = System.nanoTime();
                HttpResponse<Void> answer = http.send(request(path).build(), HttpResponse.BodyHandlers.discarding());
                micros[i] = (System.nanoTime() - start) / 1_000;
                if (answer.statusCode() != 200) {
                    throw new IllegalStateException(path + " answered " + answer.statusCode());
                }
            }
            Arrays.sort(micros);
            return micros[count / 2];
        }

        /** One job through the service: upload, wait, download; its figures. */
        Map<String, Object> runJob(Path upload, JobRunner runner) throws Exception {
            Instant start = Instant.now();
            long cpuStart = processCpuNanos();
            HttpResponse<String> accepted = http.send(request("/upload?filename=bench.zip")
                            .header("Content-Type", "application/zip").POST(HttpRequest.BodyPublishers.ofFile(upload)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (accepted.statusCode() != 202) {
                throw new IllegalStateException("upload refused: " + accepted.statusCode() + " " + accepted.body());
            }
            String job = JSON.readTree(accepted.body()).get("job_id").asText();
            Instant uploaded = Instant.now();
            JsonNode status;
            do {
                // as often as a person's browser asks: /status counts the job's tasks, O(n) per call
                Thread.sleep(1000);
                status = JSON.readTree(http.send(request("/status/" + job).build(),
                        HttpResponse.BodyHandlers.ofString()).body());
            } while (!status.get("state").asText().startsWith("completed"));
            // the moment the job finished, as recorded, not the next poll, up to a second later
            Instant processed = Instant.parse(status.get("finished_at").asText());
            long cpu = processCpuNanos() - cpuStart;
            Instant downloadStart = Instant.now();
            long entries;
            try (InputStream zip = http.send(request("/download/" + job).build(),
                    HttpResponse.BodyHandlers.ofInputStream()).body()) {
                entries = countEntries(zip);
            }
            Duration download = Duration.between(downloadStart, Instant.now());
            List<Instant> ends = completionTimes(runner.queries().tasks(job));
            int tenth = Math.max(1, ends.size() / 10);
            double first = rate(ends.subList(0, tenth + 1));
            double last = rate(ends.subList(ends.size() - tenth - 1, ends.size()));
            double total = seconds(Duration.between(start, processed).plus(download));
            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("completed", status.get("completed").asInt());
            figures.put("zip_entries", entries);
            figures.put("tasks_per_s", BenchCommand.round(status.get("total").asInt() / total, 3));
            figures.put("upload_s", BenchCommand.round(seconds(Duration.between(start, uploaded)), 3));
            figures.put("processing_s", BenchCommand.round(seconds(Duration.between(uploaded, processed)), 3));
            figures.put("download_s", BenchCommand.round(seconds(download), 3));
            figures.put("first_10pct_tasks_per_s", BenchCommand.round(first, 3));
            figures.put("last_10pct_tasks_per_s", BenchCommand.round(last, 3));
            figures.put("last_over_first", BenchCommand.round(last / first, 3));
            // the service and this client are one process: its CPU from upload to the job's end, per task
            figures.put("cpu_ms_per_task", BenchCommand.round(cpu / 1e6 / status.get("total").asInt(), 3));
            return figures;
        }
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
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
            // ZipInputStream stops at the central directory: read it too, as a client saving the
            // file does, or the download ends early and the server logs a broken stream
            in.transferTo(OutputStream.nullOutputStream());
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

    private static double seconds(Duration duration) {
        return duration.toNanos() / 1e9;
    }
}
