package io.mattepipe.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportWriterTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Pattern NAME_CELL = Pattern.compile("<td class=\"name\"[^>]*>(.*?)</td>");

    @TempDir
    Path dir;

    @Test
    void jsonParsesBackWithJobTasksCountsAndMeans() throws IOException {
        List<Map<String, Object>> tasks = List.of(
                task(1, "a.jpg", "completed").with("matting_ms", 1000).with("compare_ms", 250L)
                        .with("iou", 0.9).with("sad", 10.0).with("fg_fraction", 0.25).with("warnings", "soft, fragmented"),
                task(2, "b.jpg", "completed").with("matting_ms", 2000).with("compare_ms", 750L)
                        .with("iou", 0.5).with("sad", 30.0).with("fg_fraction", 0.75),
                task(3, "c.jpg", "completed").with("matting_ms", 3000.0).with("fg_fraction", 0.5),
                task(4, "d.jpg", "permanently_failed").with("error", "decode failed").with("retry_count", 2));

        new ReportWriter().write(job(4), tasks.iterator(), dir);

        JsonNode report = MAPPER.readTree(dir.resolve("report.json").toFile());
        assertEquals(List.of("job", "tasks", "summary"), fieldNames(report));
        assertEquals("job-1", report.at("/job/job_id").asText());
        assertEquals(4, report.at("/job/total").asInt());
        assertEquals(4, report.get("tasks").size());
        JsonNode first = report.at("/tasks/0");
        assertEquals("a.jpg", first.get("name").asText());
        assertEquals(1.0, first.get("matting_s").asDouble());
        assertEquals(0.25, first.get("compare_s").asDouble());
        assertEquals(List.of("soft", "fragmented"), MAPPER.convertValue(first.get("warnings"), List.class));
        assertTrue(report.at("/tasks/2/iou").isNull());

        JsonNode summary = report.get("summary");
        assertEquals(4, summary.get("tasks").asInt());
        assertFalse(summary.get("partial").asBoolean());
        assertEquals(3, summary.at("/states/completed").asInt());
        assertEquals(1, summary.at("/states/permanently_failed").asInt());
        assertEquals(3, summary.get("completed").asInt());
        assertEquals(1, summary.get("permanently_failed").asInt());
        assertEquals(2, summary.get("retries").asInt());
        assertEquals(1, summary.get("tasks_with_warnings").asInt());
        assertEquals(3, summary.at("/stages/matting/tasks").asInt());
        assertEquals(6.0, summary.at("/stages/matting/total_s").asDouble(), 1e-12);
        assertEquals(2.0, summary.at("/stages/matting/mean_s").asDouble(), 1e-12);
        assertEquals(0.5, summary.at("/stages/compare/mean_s").asDouble(), 1e-12);
        assertEquals(2, summary.at("/figures/iou/tasks").asInt());
        assertEquals(0.7, summary.at("/figures/iou/mean").asDouble(), 1e-12);
        assertEquals(20.0, summary.at("/figures/sad/mean").asDouble(), 1e-12);
        assertEquals(0.5, summary.at("/figures/foreground/mean").asDouble(), 1e-12);
        assertTrue(summary.at("/figures/mse/mean").isNull());
    }

    @Test
    void csvQuotesCommasQuotesAndLineBreaksAndFormatsNumbers() throws IOException {
        new ReportWriter().write(job(2), List.<Map<String, Object>>of(
                task(1, "a, \"b\".jpg", "completed").with("output_name", "a_b").with("matting_ms", 1234.5)
                        .with("compare_ms", 7L).with("width", 640).with("height", 480).with("fg_fraction", 0.123456789)
                        .with("uncertain_fraction", 0.15).with("components", 3).with("largest_share", 1.0)
                        .with("warnings", "soft,fragmented").with("iou", 0.9876543)
                        .with("confidence", 0.4215).with("doubts", "undecided,touches_frame").with("review", "rejected")
                        .with("matte_version", 2),
                task(2, "=HYPERLINK(\"x\").jpg", "permanently_failed").with("output_name", null)
                        .with("error", "line one\nline two"))
                .iterator(), dir);

        List<String> lines = List.of(Files.readString(dir.resolve("report.csv")).split("\r\n", -1));
        assertEquals(Csv.HEADER, lines.get(0));
        assertEquals("\"a, \"\"b\"\".jpg\",a_b,completed,,,1.235,0.007,640,480,0.123457,0.15,3,1,\"soft,fragmented\",,,,,0.987654,"
                + "0.4215,,\"undecided,touches_frame\",rejected,2",
                lines.get(1));
        assertEquals("\"'=HYPERLINK(\"\"x\"\").jpg\",,permanently_failed,\"line one\nline two\",,,,,,,,,,,,,,,,,,,,", lines.get(2));
        assertEquals("", lines.get(3));
        assertEquals(4, lines.size());
    }

    @Test
    void htmlEscapesNamesAndErrorsAndLoadsNothingFromOutside() throws IOException {
        String evil = "<script>alert('x')</script>.jpg";
        new ReportWriter().write(job(2), List.<Map<String, Object>>of(
                task(1, evil, "completed").with("output_name", "<script>alert('x')</script>"),
                task(2, "ok.jpg", "permanently_failed").with("error", "<img src=x onerror=alert(1)>"))
                .iterator(), dir);

        String html = Files.readString(dir.resolve("report.html"));
        assertEquals(1, count(html, "<script"), "only the page's own sorting script");
        assertTrue(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;.jpg"));
        assertTrue(html.contains("&lt;img src=x onerror=alert(1)&gt;"));
        assertFalse(html.contains("<img src=x"));
        assertTrue(html.contains("src=\"./%3Cscript%3Ealert%28%27x%27%29%3C/script%3E_compare.jpg\""));
        String linked = html.replace("<link rel=\"icon\" href=\"data:,\">", "");
        assertFalse(linked.contains("http://") || linked.contains("https://") || linked.contains("<link"),
                "self-contained: no external scripts, styles, fonts or images, and an empty icon so none is fetched");
        Matcher script = Pattern.compile("<script>(.*?)</script>", Pattern.DOTALL).matcher(html);
        assertTrue(script.find());
        assertTrue(html.contains("script-src 'sha256-" + sha256(script.group(1)) + "'"),
                "the policy admits the page's own script, or sorting would be blocked");
    }

    @Test
    void panelSourceStaysARelativePath() {
        assertEquals("./photo_1_compare.jpg", HtmlReport.panelSource("photo_1"));
        assertEquals("./dir/a%20b%23c_compare.jpg", HtmlReport.panelSource("dir/a b#c"));
        assertEquals("./http%3A//evil_compare.jpg", HtmlReport.panelSource("http://evil"));
        assertEquals("./%E7%8C%AB_compare.jpg", HtmlReport.panelSource("\u732b"));
    }

    @Test
    void htmlListsFailedFirstThenLowestIouAndCapsTheRows() throws IOException {
        List<Map<String, Object>> tasks = new ArrayList<>();
        double[] ious = {0.95, 0.4, 0.8, 0.1, 0.6, 0.99, 0.3};
        for (int i = 0; i < ious.length; i++) {
            tasks.add(task(i, "iou" + ious[i], "completed").with("iou", ious[i]).with("uncertain_fraction", 0.5));
        }
        tasks.add(task(100, "failed", "permanently_failed").with("error", "corrupt"));
        tasks.add(task(101, "no-truth", "completed").with("warnings", "soft,fragmented").with("uncertain_fraction", 0.9));

        new ReportWriter(4).write(job(tasks.size()), tasks.iterator(), dir);

        String html = Files.readString(dir.resolve("report.html"));
        assertEquals(List.of("failed", "iou0.1", "iou0.3", "iou0.4"), names(html));
        assertTrue(html.contains("5 more tasks in report.csv"));
        assertTrue(html.contains("corrupt"));
        assertEquals(tasks.size(), MAPPER.readTree(dir.resolve("report.json").toFile()).get("tasks").size());
    }

    @Test
    void withoutGroundTruthWorstMeansMoreWarningsThenMoreUncertain() throws IOException {
        List<Map<String, Object>> tasks = List.of(
                task(1, "clean", "completed").with("uncertain_fraction", 0.01),
                task(2, "two-warnings", "completed").with("warnings", "soft,fragmented").with("uncertain_fraction", 0.1),
                task(3, "one-warning-soft", "completed").with("warnings", "soft").with("uncertain_fraction", 0.4),
                task(4, "one-warning", "completed").with("warnings", "empty mask").with("uncertain_fraction", 0.2),
                task(5, "uncertain", "completed").with("uncertain_fraction", 0.3),
                task(6, "broken", "permanently_failed").with("error", "timeout"));

        new ReportWriter().write(job(tasks.size()), tasks.iterator(), dir);

        String html = Files.readString(dir.resolve("report.html"));
        assertEquals(List.of("broken", "two-warnings", "one-warning-soft", "one-warning", "uncertain", "clean"), names(html));
        assertFalse(html.contains("more tasks in report.csv"));
        assertFalse(html.contains(">IoU<"), "ground-truth columns only when some task has ground truth");
    }

    @Test
    void withoutGroundTruthTheLowestConfidenceComesFirstAndThoseWithoutOneAfter() throws IOException {
        List<Map<String, Object>> tasks = List.of(
                task(1, "sure", "completed").with("confidence", 0.95),
                task(2, "older", "completed").with("warnings", "soft"),
                task(3, "doubtful", "completed").with("confidence", 0.12).with("review", "rejected"),
                task(4, "so-so", "completed").with("confidence", 0.6).with("warnings", "soft,fragmented"));

        new ReportWriter().write(job(tasks.size()), tasks.iterator(), dir);

        String html = Files.readString(dir.resolve("report.html"));
        assertEquals(List.of("doubtful", "so-so", "sure", "older"), names(html));
        assertTrue(html.contains("rejected in review (not in the zip)</th><td>1</td>"), "the summary counts the rejection");
    }

    @Test
    void partialJobIsReportedWithItsStates() throws IOException {
        List<Map<String, Object>> tasks = List.of(
                task(1, "a.jpg", "completed").with("iou", 0.8),
                task(2, "b.jpg", "processing"),
                task(3, "c.jpg", "pending"),
                task(4, "d.jpg", "failed").with("error", "model timeout").with("retry_count", 1));

        new ReportWriter().write(job(10), tasks.iterator(), dir);

        JsonNode summary = MAPPER.readTree(dir.resolve("report.json").toFile()).get("summary");
        assertTrue(summary.get("partial").asBoolean());
        assertEquals(1, summary.at("/states/processing").asInt());
        assertEquals(1, summary.at("/states/pending").asInt());
        assertEquals(1, summary.at("/states/failed").asInt());
        assertEquals(1, summary.get("completed").asInt());
        String html = Files.readString(dir.resolve("report.html"));
        assertTrue(html.contains("Partial report: 3 of the 4 tasks listed are not finished, and only 4 of the job&#39;s 10 tasks are listed"));
        assertEquals(List.of("d.jpg", "a.jpg", "b.jpg", "c.jpg"), names(html));
        assertTrue(html.contains("<td>removing background</td>"), "states in plain words");
        assertTrue(Files.readString(dir.resolve("report.csv")).contains("\r\nb.jpg,b_jpg,processing,"));
    }

    /** A cancelled task is finished like a done or failed one: a cancelled job's report is whole. */
    @Test
    void cancelledTasksMakeNoPartialReport() throws IOException {
        Map<String, Object> job = job(3);
        job.put("state", "cancelled");
        List<Map<String, Object>> tasks = List.of(
                task(1, "a.jpg", "completed"),
                task(2, "b.jpg", "cancelled"),
                task(3, "c.jpg", "permanently_failed").with("error", "decode failed"));

        new ReportWriter().write(job, tasks.iterator(), dir);

        JsonNode summary = MAPPER.readTree(dir.resolve("report.json").toFile()).get("summary");
        assertFalse(summary.get("partial").asBoolean(), summary.toString());
        assertEquals(1, summary.at("/states/cancelled").asInt());
        assertFalse(Files.readString(dir.resolve("report.html")).contains("Partial report"));
    }

    @Test
    void replacesEarlierReportsAndLeavesNoTemporaryFiles() throws IOException {
        new ReportWriter().write(job(1), List.<Map<String, Object>>of(task(1, "first.jpg", "completed")).iterator(), dir);
        new ReportWriter().write(job(1), List.<Map<String, Object>>of(task(1, "second.jpg", "completed")).iterator(), dir);

        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of("report.csv", "report.html", "report.json"),
                    files.map(p -> p.getFileName().toString()).sorted().toList());
        }
        assertTrue(Files.readString(dir.resolve("report.csv")).contains("second.jpg"));
    }

    @Test
    void aFailingRowSourceLeavesNeitherReportsNorTemporaryFiles() throws IOException {
        Iterator<Map<String, Object>> failing = new Iterator<>() {
            private int served;

            @Override
            public boolean hasNext() {
                if (served == 3) {
                    throw new IllegalStateException("database went away");
                }
                return true;
            }

            @Override
            public Map<String, Object> next() {
                served++;
                return task(served, "t" + served, "completed");
            }
        };

        assertThrows(IllegalStateException.class, () -> new ReportWriter().write(job(5), failing, dir));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(0, files.count());
        }
    }

    /**
     * Streams 200,000 rows, each dragging a payload sized so that keeping all rows would need more
     * than the whole heap: the write can only succeed if no row outlives its turn.
     */
    @Test
    void streamsRowsGeneratedOnTheFlyWithoutKeepingThem() throws IOException {
        int rows = 200_000;
        int payload = (int) Math.max(1024, Runtime.getRuntime().maxMemory() * 3 / 2 / rows);
        Iterator<Map<String, Object>> generated = new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < rows;
            }

            @Override
            public Map<String, Object> next() {
                if (next >= rows) {
                    throw new NoSuchElementException();
                }
                int i = next++;
                TaskMap row = task(i, "photo_" + i + ".jpg", i % 50 == 0 ? "permanently_failed" : "completed")
                        .with("matting_ms", 1000 + i % 7).with("compare_ms", 100).with("iou", (i % 1000) / 1000.0)
                        .with("uncertain_fraction", 0.1).with("width", 4000).with("height", 3000);
                row.put("payload", new byte[payload]);
                return row;
            }
        };

        new ReportWriter().write(job(rows), generated, dir);

        assertEquals(rows, countJsonTasks(dir.resolve("report.json")));
        try (BufferedReader csv = Files.newBufferedReader(dir.resolve("report.csv"), StandardCharsets.UTF_8)) {
            assertEquals(rows + 1, csv.lines().count());
        }
        String html = Files.readString(dir.resolve("report.html"));
        assertEquals(ReportWriter.DEFAULT_HTML_ROW_LIMIT, names(html).size());
        assertTrue(html.contains((rows - ReportWriter.DEFAULT_HTML_ROW_LIMIT) + " more tasks in report.csv"));
        assertEquals(List.of("photo_0.jpg", "photo_50.jpg"), names(html).subList(0, 2));
    }

    private static long countJsonTasks(Path file) throws IOException {
        try (JsonParser parser = new JsonFactory().createParser(file.toFile())) {
            while (parser.nextToken() != null) {
                if (parser.currentToken() == JsonToken.FIELD_NAME && "tasks".equals(parser.currentName())
                        && parser.getParsingContext().getParent().inRoot()) {
                    parser.nextToken();
                    long tasks = 0;
                    while (parser.nextToken() == JsonToken.START_OBJECT) {
                        parser.skipChildren();
                        tasks++;
                    }
                    return tasks;
                }
            }
        }
        throw new AssertionError("no tasks array");
    }

    private static String sha256(String text) {
        try {
            return Base64.getEncoder().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    private static List<String> names(String html) {
        List<String> names = new ArrayList<>();
        Matcher matcher = NAME_CELL.matcher(html);
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        return names;
    }

    private static int count(String text, String part) {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
            count++;
        }
        return count;
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    static Map<String, Object> job(long total) {
        Map<String, Object> job = new LinkedHashMap<>();
        job.put("job_id", "job-1");
        job.put("source", "upload");
        job.put("name", "holiday.zip");
        job.put("state", "completed");
        job.put("model", "isnet-fp16");
        job.put("created_at", "2025-01-01T10:00:00.000Z");
        job.put("finished_at", "2025-01-01T11:00:00.000Z");
        job.put("total", total);
        return job;
    }

    /** A row as the JDBC layer hands it over: every column present, most of them null. */
    static TaskMap task(Object id, String name, String state) {
        TaskMap row = new TaskMap();
        for (String column : List.of("error", "retry_count", "matting_ms", "compare_ms", "width", "height",
                "fg_fraction", "uncertain_fraction", "components", "largest_share", "warnings",
                "sad", "mse", "grad", "conn", "iou")) {
            row.put(column, null);
        }
        row.put("task_id", id);
        row.put("name", name);
        row.put("output_name", name.replace('.', '_'));
        row.put("state", state);
        return row;
    }

    static final class TaskMap extends HashMap<String, Object> {
        TaskMap with(String column, Object value) {
            put(column, value);
            return this;
        }
    }
}
