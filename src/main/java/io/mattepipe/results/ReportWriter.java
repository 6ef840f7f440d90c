package io.mattepipe.results;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Writes a job's {@code report.json}, {@code report.csv} and {@code report.html} in one pass over
 * its task rows. A job may have a million tasks, so rows stream through: JSON and CSV are written
 * as they come, totals and means are running sums, and the HTML page keeps only its worst
 * {@code htmlRowLimit} rows. Each file is written under a temporary name, synced and renamed, so a
 * crash never leaves a half-written report under its final name.
 */
public final class ReportWriter {

    /** The {@code Content-Security-Policy} a served {@code report.html} needs: its own script and style, by hash. */
    public static final String HTML_CONTENT_SECURITY_POLICY = HtmlReport.CONTENT_SECURITY_POLICY;

    public static final int DEFAULT_HTML_ROW_LIMIT = 5_000;
    public static final String JSON_FILE = "report.json";
    public static final String CSV_FILE = "report.csv";
    public static final String HTML_FILE = "report.html";

    private static final JsonFactory JSON = JsonFactory.builder().build();
    private static final int BUFFER = 1 << 16;

    private final int htmlRowLimit;

    public ReportWriter() {
        this(DEFAULT_HTML_ROW_LIMIT);
    }

    /** @param htmlRowLimit how many task rows the HTML table shows at most; the rest are counted and left to the CSV */
    public ReportWriter(int htmlRowLimit) {
        if (htmlRowLimit < 0) {
            throw new IllegalArgumentException("htmlRowLimit must be >= 0, was " + htmlRowLimit);
        }
        this.htmlRowLimit = htmlRowLimit;
    }

    /**
     * @param job   the job row ({@code id, source, name, state, model, created_at, finished_at, total})
     * @param tasks the job's task rows, consumed once; rows in a non-terminal state make a partial report
     * @param dir   where the three reports go; created when missing
     */
    public void write(Map<String, Object> job, Iterator<Map<String, Object>> tasks, Path dir) throws IOException {
        Files.createDirectories(dir);
        String tag = "." + UUID.randomUUID() + ".part";
        Path jsonPart = dir.resolve("." + JSON_FILE + tag);
        Path csvPart = dir.resolve("." + CSV_FILE + tag);
        Path htmlPart = dir.resolve("." + HTML_FILE + tag);
        try {
            Summary summary = new Summary(TaskRow.integer(job.get("total")));
            HtmlReport html = new HtmlReport(htmlRowLimit);
            try (JsonGenerator json = JSON.createGenerator(create(jsonPart), JsonEncoding.UTF8);
                 Writer csvOut = writer(csvPart)) {
                Csv csv = new Csv(csvOut);
                json.writeStartObject();
                json.writeFieldName("job");
                writeMap(json, job);
                json.writeArrayFieldStart("tasks");
                while (tasks.hasNext()) {
                    TaskRow row = TaskRow.of(tasks.next());
                    writeTask(json, row);
                    csv.write(row);
                    summary.add(row);
                    html.offer(row);
                }
                json.writeEndArray();
                // Last, because only now are the totals known.
                json.writeFieldName("summary");
                summary.writeJson(json);
                json.writeEndObject();
            }
            try (Writer htmlOut = writer(htmlPart)) {
                html.write(htmlOut, job, summary);
            }
            for (Path part : List.of(jsonPart, csvPart, htmlPart)) {
                sync(part);
            }
            move(jsonPart, dir.resolve(JSON_FILE));
            move(csvPart, dir.resolve(CSV_FILE));
            move(htmlPart, dir.resolve(HTML_FILE));
        } catch (IOException | RuntimeException | Error e) {
            for (Path part : List.of(jsonPart, csvPart, htmlPart)) {
                try {
                    Files.deleteIfExists(part);
                } catch (IOException cleanup) {
                    e.addSuppressed(cleanup);
                }
            }
            throw e;
        }
    }

    private static void writeTask(JsonGenerator json, TaskRow row) throws IOException {
        json.writeStartObject();
        json.writeFieldName("task_id");
        writeValue(json, row.taskId());
        json.writeStringField("name", row.name());
        json.writeStringField("output_name", row.outputName());
        json.writeStringField("state", row.state());
        json.writeStringField("error", row.error());
        writeNumber(json, "retries", row.retries());
        writeNumber(json, "matting_s", Numbers.secondsOf(row.mattingMs()));
        writeNumber(json, "compare_s", Numbers.secondsOf(row.compareMs()));
        writeNumber(json, "width", row.width());
        writeNumber(json, "height", row.height());
        writeNumber(json, "foreground", row.foreground());
        writeNumber(json, "uncertain", row.uncertain());
        writeNumber(json, "components", row.components());
        writeNumber(json, "largest_share", row.largestShare());
        writeTexts(json, "warnings", row.warnings());
        writeNumber(json, "sad", row.sad());
        writeNumber(json, "mse", row.mse());
        writeNumber(json, "grad", row.grad());
        writeNumber(json, "conn", row.conn());
        writeNumber(json, "iou", row.iou());
        writeNumber(json, "confidence", row.confidence());
        writeNumber(json, "agreement", row.agreement());
        writeTexts(json, "doubts", row.doubts());
        json.writeStringField("review", row.review());
        writeNumber(json, "matte_version", row.matteVersion());
        json.writeEndObject();
    }

    private static void writeTexts(JsonGenerator json, String field, List<String> texts) throws IOException {
        json.writeArrayFieldStart(field);
        for (String text : texts) {
            json.writeString(text);
        }
        json.writeEndArray();
    }

    private static void writeNumber(JsonGenerator json, String field, Number value) throws IOException {
        json.writeFieldName(field);
        writeValue(json, value);
    }

    private static void writeMap(JsonGenerator json, Map<String, Object> map) throws IOException {
        json.writeStartObject();
        for (Map.Entry<String, Object> field : map.entrySet()) {
            json.writeFieldName(field.getKey());
            writeValue(json, field.getValue());
        }
        json.writeEndObject();
    }

    /** JDBC values as JSON; what JSON has no type for (timestamps, NaN) becomes text or null. */
    private static void writeValue(JsonGenerator json, Object value) throws IOException {
        if (value == null) {
            json.writeNull();
        } else if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            json.writeNumber(((Number) value).longValue());
        } else if (value instanceof BigInteger big) {
            json.writeNumber(big);
        } else if (value instanceof BigDecimal big) {
            json.writeNumber(big);
        } else if (value instanceof Number number) {
            double d = number.doubleValue();
            if (Double.isFinite(d)) {
                json.writeNumber(d);
            } else {
                json.writeNull();
            }
        } else if (value instanceof Boolean bool) {
            json.writeBoolean(bool);
        } else {
            json.writeString(value.toString());
        }
    }

    private static OutputStream create(Path file) throws IOException {
        return Files.newOutputStream(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    }

    private static Writer writer(Path file) throws IOException {
        return new BufferedWriter(new OutputStreamWriter(create(file), StandardCharsets.UTF_8), BUFFER);
    }

    /** Without this, a crash soon after the rename can leave the final name pointing at an empty file. */
    private static void sync(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
    }

    private static void move(Path part, Path target) throws IOException {
        Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
    }
}
