package io.mattepipe.results;

import io.mattepipe.state.TaskState;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One task row as the reports see it, typed once so the three reports agree. Built per row and
 * dropped after it: nothing keeps it beyond the loop.
 */
record TaskRow(Object taskId, String name, String outputName, String state, String error, Long retries,
               Double mattingMs, Double compareMs, Long width, Long height,
               Double foreground, Double uncertain, Long components, Double largestShare,
               List<String> warnings, Double sad, Double mse, Double grad, Double conn, Double iou,
               Double confidence, Double agreement, List<String> doubts, String review, Long matteVersion) {

    static final String COMPLETED = "completed";
    static final String PERMANENTLY_FAILED = "permanently_failed";
    /** Between a failed attempt and its retry: it has an error to show, like a permanent failure. */
    static final String FAILED = "failed";
    static final String UNKNOWN_STATE = "unknown";
    /** A person's decision that leaves the cutout out of the zip; listed in the reports. */
    static final String REJECTED = "rejected";

    static TaskRow of(Map<String, Object> row) {
        String state = text(row.get("state"));
        return new TaskRow(row.get("task_id"), text(row.get("name")), text(row.get("output_name")),
                state == null ? UNKNOWN_STATE : state, text(row.get("error")), integer(row.get("retry_count")),
                real(row.get("matting_ms")), real(row.get("compare_ms")),
                integer(row.get("width")), integer(row.get("height")),
                real(row.get("fg_fraction")), real(row.get("uncertain_fraction")),
                integer(row.get("components")), real(row.get("largest_share")),
                warnings(text(row.get("warnings"))),
                real(row.get("sad")), real(row.get("mse")), real(row.get("grad")), real(row.get("conn")),
                real(row.get("iou")), real(row.get("confidence")), real(row.get("agreement")),
                warnings(text(row.get("doubts"))), text(row.get("review")), integer(row.get("matte_version")));
    }

    boolean completed() {
        return COMPLETED.equals(state);
    }

    boolean rejected() {
        return REJECTED.equals(review);
    }

    boolean failed() {
        return PERMANENTLY_FAILED.equals(state) || FAILED.equals(state);
    }

    /** Finished as the state machine says: done, failed for good or cancelled; an unknown state is not. */
    boolean terminal() {
        return TaskState.isName(state) && TaskState.of(state).isTerminal();
    }

    static String text(Object value) {
        return value == null ? null : value.toString();
    }

    /** SQLite is dynamically typed: a figure stored as text still counts, anything unreadable is absent. */
    static Long integer(Object value) {
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        Double real = real(value);
        return real == null ? null : Math.round(real);
    }

    /** NaN and infinities are treated as absent: JSON cannot hold them and they would poison the means. */
    static Double real(Object value) {
        double d;
        if (value instanceof Number number) {
            d = number.doubleValue();
        } else if (value instanceof String s && !s.isBlank()) {
            try {
                d = Double.parseDouble(s.trim());
            } catch (NumberFormatException e) {
                return null;
            }
        } else {
            return null;
        }
        return Double.isFinite(d) ? d : null;
    }

    private static List<String> warnings(String text) {
        if (text == null || text.isBlank()) {
            return List.of();
        }
        List<String> list = new ArrayList<>(4);
        for (String part : text.split(",")) {
            String warning = part.strip();
            if (!warning.isEmpty()) {
                list.add(warning);
            }
        }
        return list;
    }
}
