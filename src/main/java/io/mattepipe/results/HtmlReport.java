package io.mattepipe.results;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * The human report: one self-contained page. The rows stream past once, so it keeps only the worst
 * {@code limit} of them, as small records in a bounded heap, and sorts those at the end.
 */
final class HtmlReport {

    /** What one table row needs; numbers are NaN where absent so the record stays flat. */
    record Row(long seq, int group, String name, String outputName, String state, String error,
               String warnings, int warningCount, double retries, double mattingS, double compareS,
               double width, double height, double[] figures, String review) {

        double figure(Figure figure) {
            return figures[figure.ordinal()];
        }
    }

    private enum Format { INTEGER, SECONDS, FIGURE, PERCENT }

    /** Failed first (they need action), then completed worst first, then whatever is still running. */
    static final Comparator<Row> WORST_FIRST = HtmlReport::compareWorstFirst;

    private static final int FAILED_GROUP = 0;
    private static final int COMPLETED_GROUP = 1;
    private static final int UNFINISHED_GROUP = 2;
    private static final int ERROR_CHARS = 300;
    private static final String SCRIPT = """
            (function () {
              var table = document.getElementById('tasks');
              if (!table) { return; }
              var body = table.tBodies[0], heads = table.tHead.rows[0].cells;
              function key(cell, numeric) {
                if (!numeric) { return cell.textContent.toLowerCase(); }
                var v = cell.getAttribute('data-v');
                return v === null ? null : parseFloat(v);
              }
              Array.prototype.forEach.call(heads, function (th, col) {
                var type = th.getAttribute('data-sort');
                if (!type) { return; }
                th.addEventListener('click', function () {
                  var dir = th.getAttribute('aria-sort') === 'ascending' ? -1 : 1;
                  Array.prototype.forEach.call(heads, function (h) { h.removeAttribute('aria-sort'); });
                  th.setAttribute('aria-sort', dir > 0 ? 'ascending' : 'descending');
                  var rows = Array.prototype.slice.call(body.rows), numeric = type === 'num';
                  rows.sort(function (a, b) {
                    var x = key(a.cells[col], numeric), y = key(b.cells[col], numeric);
                    if (x === null || y === null) { return x === y ? 0 : (x === null ? 1 : -1); }
                    return (x < y ? -1 : x > y ? 1 : 0) * dir;
                  });
                  rows.forEach(function (r) { body.appendChild(r); });
                });
              });
            })();
            """;
    /** Only this exact script may run, so markup that slipped past escaping still cannot execute. */
    private static final String SCRIPT_HASH = sha256Base64(SCRIPT);
    private static final String STYLE = """
            body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222}
            h1{font-size:1.5em;margin:0 0 .5em}h2{font-size:1.2em;margin:1.5em 0 .5em}
            table{border-collapse:collapse}th,td{border:1px solid #ccc;padding:3px 6px;vertical-align:top}
            th{background:#f2f2f2;text-align:left}th[data-sort]{cursor:pointer}
            th[aria-sort=ascending]::after{content:" \\25B2"}th[aria-sort=descending]::after{content:" \\25BC"}
            td.n{text-align:right;font-variant-numeric:tabular-nums}
            td.err{color:#a00;max-width:30em;overflow-wrap:anywhere}td.name{min-width:9em;max-width:20em;overflow-wrap:anywhere}
            tr.failed{background:#fff0f0}img{max-width:240px;height:auto;display:block}
            dl.job{display:grid;grid-template-columns:max-content auto;gap:2px 12px}dd{margin:0}
            .partial{background:#fff6d5;padding:.5em;border:1px solid #e6c200}
            """;
    /**
     * What the service's {@code Content-Security-Policy} header allows a served report: its one
     * script and its one style sheet, by hash, and nothing else inline.
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'sha256-" + SCRIPT_HASH
            + "'; style-src 'sha256-" + sha256Base64("\n" + STYLE) + "'; img-src 'self' data:; object-src 'none';"
            + " base-uri 'none'; form-action 'none'; frame-ancestors 'none'";


    private final int limit;
    private final PriorityQueue<Row> kept;
    private long seen;

    HtmlReport(int limit) {
        this.limit = limit;
        // Reversed, so the head is the least bad row kept: the one a worse newcomer evicts.
        this.kept = new PriorityQueue<>(Math.max(1, Math.min(limit, 1 << 16) + 1), WORST_FIRST.reversed());
    }

    void offer(TaskRow task) {
        long seq = seen++;
        if (limit == 0) {
            return;
        }
        Row row = row(seq, task);
        if (kept.size() < limit) {
            kept.add(row);
        } else if (WORST_FIRST.compare(row, kept.peek()) < 0) {
            kept.poll();
            kept.add(row);
        }
    }

    void write(Writer out, Map<String, Object> job, Summary summary) throws IOException {
        Row[] rows = kept.toArray(new Row[0]);
        Arrays.sort(rows, WORST_FIRST);
        String title = title(job);
        out.write("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n");
        out.write("<meta http-equiv=\"Content-Security-Policy\" content=\"script-src 'sha256-" + SCRIPT_HASH
                + "'; object-src 'none'; base-uri 'none'; form-action 'none'\">\n");
        out.write("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        // no icon: a browser would otherwise ask the server for /favicon.ico
        out.write("<link rel=\"icon\" href=\"data:,\">\n");
        out.write("<title>Report: " + escape(title) + "</title>\n<style>\n" + STYLE + "</style></head><body>\n");
        out.write("<h1>Report: " + escape(title) + "</h1>\n");
        if (summary.partial()) {
            out.write("<p class=\"partial\">Partial report: " + escape(partialReason(summary))
                    + "; the figures cover the tasks done so far.</p>\n");
        }
        writeJob(out, job);
        writeSummary(out, summary);
        writeTable(out, rows, summary.hasGroundTruth());
        long more = seen - rows.length;
        if (more > 0) {
            out.write("<p class=\"more\">" + more + " more tasks in report.csv</p>\n");
        }
        out.write("<script>" + SCRIPT + "</script>\n</body></html>\n");
    }

    private static String partialReason(Summary summary) {
        String listed = summary.unfinished() + " of the " + summary.tasks() + " tasks listed are not finished";
        Long expected = summary.expectedTotal();
        if (expected == null || summary.tasks() >= expected) {
            return listed;
        }
        String missing = "only " + summary.tasks() + " of the job's " + expected + " tasks are listed";
        return summary.unfinished() == 0 ? missing : listed + ", and " + missing;
    }

    /** What the job was, in words: not its raw row ("bgcolor null", "mask_only 0"). */
    private static void writeJob(Writer out, Map<String, Object> job) throws IOException {
        out.write("<dl class=\"job\">\n");
        jobField(out, "State", job.get("state") == null ? null
                : PlainWords.job(job.get("state").toString(), 0).replace(", with errors", ", some images failed"));
        jobField(out, "Output", output(job));
        jobField(out, "Images", job.get("total"));
        jobField(out, "Started", readableTime(job.get("created_at")));
        jobField(out, "Finished", readableTime(job.get("finished_at")));
        jobField(out, "Model", job.get("model"));
        jobField(out, "Came from", job.get("source"));
        jobField(out, "Job id", job.get("job_id"));
        out.write("</dl>\n");
    }

    private static void jobField(Writer out, String label, Object value) throws IOException {
        if (value != null && !value.toString().isBlank()) {
            out.write("<dt>" + escape(label) + "</dt><dd>" + escape(value.toString()) + "</dd>\n");
        }
    }

    /** {@code 2026-12-01T16:54:29.576Z} → {@code 2026-12-01 16:54:29 UTC}; anything else as it is. */
    static String readableTime(Object stamp) {
        if (stamp == null) {
            return null;
        }
        String text = stamp.toString();
        return text.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d.*Z")
                ? text.substring(0, 10) + " " + text.substring(11, 19) + " UTC" : text;
    }

    private static String output(Map<String, Object> job) {
        Object mask = job.get("mask_only");
        if (mask != null && (mask.toString().equals("1") || mask.toString().equalsIgnoreCase("true"))) {
            return "the mask alone (black and white)";
        }
        String format = "jpg".equals(job.get("format")) ? "JPEG" : "webp".equals(job.get("format")) ? "WebP" : "PNG";
        Object background = job.get("bgcolor");
        return background == null || background.toString().isBlank()
                ? format + ", transparent background" : format + " on " + background;
    }

    private static void writeSummary(Writer out, Summary summary) throws IOException {
        out.write("<h2>Summary</h2>\n<table class=\"summary\"><tbody>\n");
        summaryRow(out, "images", Long.toString(summary.tasks()));
        Map<String, Long> inWords = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, Long> state : summary.states().entrySet()) {
            inWords.merge(PlainWords.task(state.getKey(), null), state.getValue(), Long::sum);
        }
        for (Map.Entry<String, Long> words : inWords.entrySet()) {
            summaryRow(out, words.getKey(), words.getValue().toString());
        }
        summaryRow(out, "tries that failed", Long.toString(summary.retries()));
        summaryRow(out, "images worth a look", Long.toString(summary.withWarnings()));
        if (summary.rejected() > 0) {
            summaryRow(out, "rejected in review (not in the zip)", Long.toString(summary.rejected()));
        }
        stageRow(out, "removing background", summary.mattingSeconds());
        stageRow(out, "comparing", summary.compareSeconds());
        for (Figure figure : Figure.values()) {
            Summary.Mean mean = summary.figure(figure);
            if (mean.count() > 0) {
                summaryRow(out, "mean " + figure.label, (figure.isShare() ? percent(mean.mean()) : Numbers.significant(mean.mean(), 4))
                        + " (" + mean.count() + " images)");
            }
        }
        out.write("</tbody></table>\n");
    }

    private static void stageRow(Writer out, String stage, Summary.Mean seconds) throws IOException {
        if (seconds.count() > 0) {
            summaryRow(out, stage, Numbers.significant(seconds.sum(), 6) + " s in all, "
                    + Numbers.significant(seconds.mean(), 4) + " s per image (" + seconds.count() + " images)");
        }
    }

    private static void summaryRow(Writer out, String label, String value) throws IOException {
        out.write("<tr><th>" + escape(label) + "</th><td>" + escape(value) + "</td></tr>\n");
    }

    private static void writeTable(Writer out, Row[] rows, boolean groundTruth) throws IOException {
        out.write("<h2>Tasks</h2>\n<p>Failed tasks first, then completed ones worst first"
                + (groundTruth ? " (lowest IoU against the ground truth first)" : " (lowest confidence first)")
                + ". Click a column header to sort.</p>\n");
        out.write("<table id=\"tasks\"><thead><tr><th>preview</th><th data-sort=\"text\">name</th>"
                + "<th data-sort=\"text\">state</th><th data-sort=\"num\">failed tries</th><th data-sort=\"num\">removing background (s)</th>"
                + "<th data-sort=\"num\">comparing (s)</th><th data-sort=\"num\">size</th>");
        for (Figure figure : Figure.values()) {
            if (groundTruth || !figure.groundTruth) {
                out.write("<th data-sort=\"num\">" + escape(figure.label) + "</th>");
            }
        }
        out.write("<th data-sort=\"text\">worth a look</th><th data-sort=\"text\">review</th>"
                + "<th data-sort=\"text\">why it failed</th></tr></thead>\n<tbody>\n");
        StringBuilder line = new StringBuilder(512);
        for (Row row : rows) {
            line.setLength(0);
            line.append(row.group() == FAILED_GROUP ? "<tr class=\"failed\">" : "<tr>").append("<td>");
            if (TaskRow.COMPLETED.equals(row.state()) && row.outputName() != null) {
                String src = panelSource(row.outputName());
                line.append("<a href=\"").append(src).append("\"><img loading=\"lazy\" alt=\"")
                        .append(escape("before and after: " + row.name())).append("\" src=\"").append(src).append("\"></a>");
            }
            line.append("</td><td class=\"name\"");
            if (row.outputName() != null && !row.outputName().equals(row.name())) {
                line.append(" title=\"").append(escape("output: " + row.outputName())).append('"');
            }
            line.append('>').append(escape(row.name())).append("</td><td>").append(escape(PlainWords.task(row.state(), null))).append("</td>");
            number(line, row.retries(), Format.INTEGER);
            number(line, row.mattingS(), Format.SECONDS);
            number(line, row.compareS(), Format.SECONDS);
            if (Double.isNaN(row.width()) || Double.isNaN(row.height())) {
                line.append("<td class=\"n\"></td>");
            } else {
                line.append("<td class=\"n\" data-v=\"").append(row.width() * row.height()).append("\">")
                        .append((long) row.width()).append('\u00d7').append((long) row.height()).append("</td>");
            }
            for (Figure figure : Figure.values()) {
                if (groundTruth || !figure.groundTruth) {
                    number(line, row.figure(figure), figure == Figure.COMPONENTS ? Format.INTEGER
                            : figure.isShare() ? Format.PERCENT : Format.FIGURE);
                }
            }
            line.append("<td>").append(escape(row.warnings())).append("</td><td>").append(escape(row.review()))
                    .append("</td><td class=\"err\">")
                    .append(escape(row.error())).append("</td></tr>\n");
            out.append(line);
        }
        out.write("</tbody></table>\n");
    }

    /** One numeric cell: the display text, and the exact value in data-v for sorting. */
    private static void number(StringBuilder line, double value, Format format) {
        if (Double.isNaN(value)) {
            line.append("<td class=\"n\"></td>");
            return;
        }
        String text = switch (format) {
            case INTEGER -> Long.toString((long) value);
            case SECONDS -> Numbers.seconds(value * 1000);
            case FIGURE -> Numbers.significant(value, 4);
            case PERCENT -> percent(value);
        };
        line.append("<td class=\"n\" data-v=\"").append(value).append("\">").append(text).append("</td>");
    }

    private static String percent(double share) {
        return String.format(java.util.Locale.ROOT, "%.1f %%", share * 100);
    }

    /**
     * The panel beside the report, percent-encoded segment by segment: a name such as {@code a#b} or
     * {@code http:x} must stay a relative path to a local file, never a fragment or a remote URL.
     */
    static String panelSource(String outputName) {
        String path = outputName + "_compare.jpg";
        StringBuilder src = new StringBuilder(path.length() + 16).append("./");
        for (byte b : path.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~' || c == '/') {
                src.append((char) c);
            } else {
                src.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return src.toString();
    }

    static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            String replacement = switch (c) {
                case '&' -> "&amp;";
                case '<' -> "&lt;";
                case '>' -> "&gt;";
                case '"' -> "&quot;";
                case '\'' -> "&#39;";
                default -> null;
            };
            if (replacement != null && out == null) {
                out = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            if (out != null) {
                if (replacement != null) {
                    out.append(replacement);
                } else {
                    out.append(c);
                }
            }
        }
        return out == null ? text : out.toString();
    }

    private static Row row(long seq, TaskRow task) {
        double[] figures = new double[Figure.values().length];
        for (Figure figure : Figure.values()) {
            figures[figure.ordinal()] = orNaN(figure.of(task));
        }
        String error = task.error();
        if (error != null && error.length() > ERROR_CHARS) {
            error = error.substring(0, ERROR_CHARS) + "\u2026";
        }
        int group = task.failed() ? FAILED_GROUP : task.completed() ? COMPLETED_GROUP : UNFINISHED_GROUP;
        return new Row(seq, group, task.name(), task.outputName(), canonicalState(task.state()), error,
                task.warnings().isEmpty() ? null : String.join(", ", task.warnings()), task.warnings().size(),
                task.retries() == null ? Double.NaN : task.retries(),
                orNaN(Numbers.secondsOf(task.mattingMs())), orNaN(Numbers.secondsOf(task.compareMs())),
                task.width() == null ? Double.NaN : task.width(), task.height() == null ? Double.NaN : task.height(),
                figures, task.review());
    }

    /** Each JDBC row brings its own copy of the state text; kept rows share one. */
    private static String canonicalState(String state) {
        return switch (state) {
            case TaskRow.COMPLETED -> TaskRow.COMPLETED;
            case TaskRow.PERMANENTLY_FAILED -> TaskRow.PERMANENTLY_FAILED;
            case TaskRow.FAILED -> TaskRow.FAILED;
            default -> state;
        };
    }

    private static int compareWorstFirst(Row a, Row b) {
        int c = Integer.compare(a.group(), b.group());
        if (c != 0) {
            return c;
        }
        // Failed and unfinished tasks have no figures worth ranking: they keep the input order.
        if (a.group() != COMPLETED_GROUP) {
            return Long.compare(a.seq(), b.seq());
        }
        double iouA = a.figure(Figure.IOU);
        double iouB = b.figure(Figure.IOU);
        boolean truthA = !Double.isNaN(iouA);
        boolean truthB = !Double.isNaN(iouB);
        // A measured error outranks a guess from warnings, so rows with ground truth come first.
        if (truthA != truthB) {
            return truthA ? -1 : 1;
        }
        if (truthA && (c = Double.compare(iouA, iouB)) != 0) {
            return c;
        }
        // the lowest confidence first; rows without one (made before it existed) after those with one
        if ((c = Double.compare(orInfinity(a.figure(Figure.CONFIDENCE)), orInfinity(b.figure(Figure.CONFIDENCE)))) != 0) {
            return c;
        }
        if ((c = Integer.compare(b.warningCount(), a.warningCount())) != 0) {
            return c;
        }
        if ((c = Double.compare(uncertainOrLowest(b), uncertainOrLowest(a))) != 0) {
            return c;
        }
        return Long.compare(a.seq(), b.seq());
    }

    private static double orInfinity(double value) {
        return Double.isNaN(value) ? Double.POSITIVE_INFINITY : value;
    }

    private static double uncertainOrLowest(Row row) {
        double uncertain = row.figure(Figure.UNCERTAIN);
        return Double.isNaN(uncertain) ? Double.NEGATIVE_INFINITY : uncertain;
    }

    private static double orNaN(Double value) {
        return value == null ? Double.NaN : value;
    }

    private static String title(Map<String, Object> job) {
        for (String key : new String[] {"name", "job_id"}) {
            Object value = job.get(key);
            if (value != null && !value.toString().isBlank()) {
                return value.toString();
            }
        }
        return "job";
    }

    private static String sha256Base64(String text) {
        try {
            return Base64.getEncoder().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
