package io.mattepipe.results;

import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;

/** Job totals and means, accumulated row by row because the rows stream past once. */
final class Summary {

    /** A running mean over the tasks that have the value. */
    static final class Mean {
        private long count;
        private double sum;

        void add(Double value) {
            if (value != null) {
                count++;
                sum += value;
            }
        }

        long count() {
            return count;
        }

        double sum() {
            return sum;
        }

        Double mean() {
            return count == 0 ? null : sum / count;
        }
    }

    private final Long expectedTotal;
    private final Map<String, Long> states = new TreeMap<>();
    private final Mean mattingSeconds = new Mean();
    private final Mean compareSeconds = new Mean();
    private final Map<Figure, Mean> figures = new EnumMap<>(Figure.class);
    private long tasks;
    private long retries;
    private long withWarnings;
    private long rejected;
    private boolean nonTerminal;

    /** @param expectedTotal the job's task count, when known: fewer rows than that makes the report partial */
    Summary(Long expectedTotal) {
        this.expectedTotal = expectedTotal;
        for (Figure figure : Figure.values()) {
            figures.put(figure, new Mean());
        }
    }

    void add(TaskRow row) {
        tasks++;
        states.merge(row.state(), 1L, Long::sum);
        nonTerminal |= !row.terminal();
        if (row.retries() != null) {
            retries += row.retries();
        }
        if (!row.warnings().isEmpty()) {
            withWarnings++;
        }
        if (row.rejected()) {
            rejected++;
        }
        mattingSeconds.add(Numbers.secondsOf(row.mattingMs()));
        compareSeconds.add(Numbers.secondsOf(row.compareMs()));
        for (Map.Entry<Figure, Mean> figure : figures.entrySet()) {
            figure.getValue().add(figure.getKey().of(row));
        }
    }

    long tasks() {
        return tasks;
    }

    long count(String state) {
        return states.getOrDefault(state, 0L);
    }

    Map<String, Long> states() {
        return Collections.unmodifiableMap(states);
    }

    Long expectedTotal() {
        return expectedTotal;
    }

    /** Tasks listed that are neither completed nor permanently failed. */
    long unfinished() {
        return tasks - count(TaskRow.COMPLETED) - count(TaskRow.PERMANENTLY_FAILED);
    }

    long retries() {
        return retries;
    }

    long withWarnings() {
        return withWarnings;
    }

    /** Completed tasks a person rejected: their cutouts are not in the zip. */
    long rejected() {
        return rejected;
    }

    Mean mattingSeconds() {
        return mattingSeconds;
    }

    Mean compareSeconds() {
        return compareSeconds;
    }

    Mean figure(Figure figure) {
        return figures.get(figure);
    }

    boolean hasGroundTruth() {
        return figures.get(Figure.IOU).count() > 0;
    }

    /** Some task is still on its way, or rows are missing: the figures describe only part of the job. */
    boolean partial() {
        return nonTerminal || (expectedTotal != null && tasks < expectedTotal);
    }

    void writeJson(JsonGenerator json) throws IOException {
        json.writeStartObject();
        json.writeNumberField("tasks", tasks);
        json.writeBooleanField("partial", partial());
        json.writeObjectFieldStart("states");
        for (Map.Entry<String, Long> state : states.entrySet()) {
            json.writeNumberField(state.getKey(), state.getValue());
        }
        json.writeEndObject();
        json.writeNumberField("completed", count(TaskRow.COMPLETED));
        json.writeNumberField("permanently_failed", count(TaskRow.PERMANENTLY_FAILED));
        json.writeNumberField("retries", retries);
        json.writeNumberField("tasks_with_warnings", withWarnings);
        json.writeNumberField("rejected", rejected);
        json.writeObjectFieldStart("stages");
        writeStage(json, "matting", mattingSeconds);
        writeStage(json, "compare", compareSeconds);
        json.writeEndObject();
        json.writeObjectFieldStart("figures");
        for (Map.Entry<Figure, Mean> figure : figures.entrySet()) {
            json.writeObjectFieldStart(figure.getKey().key);
            json.writeNumberField("tasks", figure.getValue().count());
            writeNullable(json, "mean", figure.getValue().mean());
            json.writeEndObject();
        }
        json.writeEndObject();
        json.writeEndObject();
    }

    private static void writeStage(JsonGenerator json, String name, Mean seconds) throws IOException {
        json.writeObjectFieldStart(name);
        json.writeNumberField("tasks", seconds.count());
        json.writeNumberField("total_s", seconds.sum());
        writeNullable(json, "mean_s", seconds.mean());
        json.writeEndObject();
    }

    private static void writeNullable(JsonGenerator json, String field, Double value) throws IOException {
        if (value == null) {
            json.writeNullField(field);
        } else {
            json.writeNumberField(field, value);
        }
    }
}
